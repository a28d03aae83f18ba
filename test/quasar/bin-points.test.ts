import { describe, expect, it } from 'vitest';
import { binPoints } from '../../lib/quasar/fit/bin-points.js';
import { GaussianLines } from '../../lib/quasar/fit/gaussian-lines.js';

/** A broad line sampled as DESI samples it (~40 km/s pixels), with uneven weights. */
function line(sigma: number) {
  const n = 2000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.log(1500) + (i - n / 2) * 1.3e-4);
  const w = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(i));
  const component = { lnRest: Math.log(1500), shift: 0, sigma: 1, amp: 2, ratio: 1 };
  const p = Float64Array.of(0, sigma, 3);
  const y = new Float64Array(n);
  new GaussianLines(3, [component], x).evaluate(p, y, null);
  return { x, y, w, component, p };
}

describe('binPoints', () => {
  it('keeps pixels in the keep intervals single, bins the others within the width and count, and keeps the weights', () => {
    const { x, y, w } = line(0.002);
    const keep = [[x[900]!, x[1100]!]] as const;
    const b = binPoints(x, y, w, { width: 0.001, most: 8, keep });
    const inKeep = Array.from(b.x).filter((v) => v >= keep[0][0] && v <= keep[0][1]).length;
    expect(inKeep).toBe(201);
    expect(b.x.length).toBeLessThan(201 + (2000 - 201) / 7);
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(b.w)).toBeCloseTo(sum(w), 8);
    expect(Array.from(b.v).every((v, k) => v >= 0 && (b.x[k]! < keep[0][0] || b.x[k]! > keep[0][1] || v === 0))).toBe(true);
    for (let k = 1; k < b.x.length; k++) expect(b.x[k]!).toBeGreaterThan(b.x[k - 1]!);
  });

  it('with the curvature term, a Gaussian read at a bin matches the bin mean of the narrowest broad line to 1e-3 of its peak', () => {
    // sigma 0.0017 in ln lambda is the narrowest broad line fitComplex allows (FWHM 1,200 km/s).
    const { x, y, w, component, p } = line(0.0017);
    const b = binPoints(x, y, w, { width: 0.001, most: 8, keep: [] });
    const plain = new Float64Array(b.x.length);
    const corrected = new Float64Array(b.x.length);
    new GaussianLines(3, [component], b.x).evaluate(p, plain, null);
    new GaussianLines(3, [component], b.x, b.v).evaluate(p, corrected, null);
    let worstPlain = 0;
    let worstCorrected = 0;
    for (let k = 0; k < b.x.length; k++) {
      worstPlain = Math.max(worstPlain, Math.abs(plain[k]! - b.y[k]!) / 3);
      worstCorrected = Math.max(worstCorrected, Math.abs(corrected[k]! - b.y[k]!) / 3);
    }
    expect(worstPlain).toBeGreaterThan(5e-3);
    expect(worstCorrected).toBeLessThan(1e-3);
  });
});

describe('binPoints into a kept array', () => {
  it('gives what fresh arrays give, whatever the array held before', () => {
    const { x, y, w } = line(0.002);
    const keep = [[x[900]!, x[1100]!]] as const;
    const fresh = binPoints(x, y, w, { width: 0.001, most: 8, keep });
    const dirty = new Float64Array(4 * x.length).fill(123.5);
    const reused = binPoints(x, y, w, { width: 0.001, most: 8, keep }, dirty);
    for (const k of ['x', 'y', 'w', 'v'] as const) expect(Array.from(reused[k])).toEqual(Array.from(fresh[k]));
  });
});
