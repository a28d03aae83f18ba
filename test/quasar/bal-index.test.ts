import { describe, expect, it } from 'vitest';
import {
  absorptionIndex,
  AI_WINDOW,
  BAL_IONS,
  balIndex,
  balnicityIndex,
  BI_WINDOW,
  velocityOffset,
  wavelengthAtVelocity,
} from '../../lib/quasar/index.js';

const C = 299792.458;

/** A normalised spectrum on a 1 km/s grid around `ion` (-30000..+1000 km/s) with flat-bottomed box troughs [v1, v2, depth]. */
function boxTroughs(boxes: [number, number, number][], ion: number = BAL_IONS.CIV) {
  const rest: number[] = [];
  const flux: number[] = [];
  for (let v = -30000; v <= 1000; v += 1) {
    rest.push(ion * (1 + v / C));
    const box = boxes.find(([v1, v2]) => v >= v1 && v <= v2);
    flux.push(box ? 1 - box[2] : 1);
  }
  return { rest, flux };
}

/** What one box contributes with baltools' definition: (width - minWidth) * (1 - f / 0.9), within a grid step. */
const expected = (v1: number, v2: number, depth: number, minWidth: number) => Math.max(0, v2 - v1 - minWidth) * (1 - (1 - depth) / 0.9);

describe('balnicityIndex (BI: -25000..-3000 km/s, f < 0.9, wider than 2000 km/s)', () => {
  const cases: [string, [number, number, number][], number][] = [
    ['5000 km/s wide, depth 0.5', [[-15000, -10000, 0.5]], expected(-15000, -10000, 0.5, 2000)],
    ['3000 km/s wide, depth 0.8', [[-8000, -5000, 0.8]], expected(-8000, -5000, 0.8, 2000)],
    [
      'two troughs add',
      [
        [-20000, -16000, 0.6],
        [-9000, -6000, 0.4],
      ],
      expected(-20000, -16000, 0.6, 2000) + expected(-9000, -6000, 0.4, 2000),
    ],
    ['narrower than 2000 km/s gives 0', [[-8000, -6500, 0.9]], 0],
    ['1990 km/s wide, just under the limit, gives 0', [[-8000, -6010, 0.9]], 0],
    ['too shallow (f = 0.95 > 0.9) gives 0', [[-15000, -8000, 0.05]], 0],
    ['f exactly 0.9 is not absorbed', [[-15000, -8000, 0.1]], 0],
    ['outside the window (v > -3000) gives 0', [[-2900, -100, 0.9]], 0],
    ['a trough crossing -25000 counts from -25000', [[-27000, -20000, 0.5]], expected(-25000, -20000, 0.5, 2000)],
    ['a trough crossing -3000 counts up to -3000', [[-7000, -1000, 0.5]], expected(-7000, -3001, 0.5, 2000)],
  ];
  it.each(cases)('%s', (_name, boxes, want) => {
    const { rest, flux } = boxTroughs(boxes);
    const { bi } = balnicityIndex(rest, flux, BAL_IONS.CIV);
    expect(Math.abs(bi - want)).toBeLessThanOrEqual(2);
    if (want === 0) expect(bi).toBe(0);
  });

  it('lists each counted trough as positive outflow speeds (vmin the red edge), as baltools VMIN/VMAX_CIV_2000', () => {
    const { rest, flux } = boxTroughs([
      [-20000, -16000, 0.6],
      [-9000, -6000, 0.4],
      [-5000, -4000, 0.9],
    ]);
    const { troughs } = balnicityIndex(rest, flux, BAL_IONS.CIV);
    expect(troughs).toHaveLength(2);
    // Sorted by increasing rest wavelength: the fastest trough first.
    expect(troughs[0]!.vmax).toBeCloseTo(20000, 6);
    expect(troughs[0]!.vmin).toBeCloseTo(16000, 6);
    expect(troughs[1]!.vmax).toBeCloseTo(9000, 6);
    expect(troughs[1]!.vmin).toBeCloseTo(6000, 6);
  });

  it('measures SiIV troughs against 1398 A', () => {
    const { rest, flux } = boxTroughs([[-12000, -6000, 0.7]], BAL_IONS.SIIV);
    expect(Math.abs(balnicityIndex(rest, flux, BAL_IONS.SIIV).bi - expected(-12000, -6000, 0.7, 2000))).toBeLessThanOrEqual(2);
    // The same trough is ~30000 km/s from CIV: outside CIV's window.
    expect(balnicityIndex(rest, flux, BAL_IONS.CIV).bi).toBe(0);
  });
});

describe('absorptionIndex (AI: -25000..0 km/s, f < 0.9, wider than 450 km/s)', () => {
  const cases: [string, [number, number, number][], number, number][] = [
    ['a 1000 km/s trough: AI > 0, BI 0', [[-8000, -7000, 0.5]], expected(-8000, -7000, 0.5, 450), 0],
    ['a trough at -2500..-1000 is inside AI window only', [[-2500, -1000, 0.6]], expected(-2500, -1000, 0.6, 450), 0],
    ['400 km/s is too narrow for AI', [[-8000, -7600, 0.9]], 0, 0],
    [
      'a wide trough counts beyond its first 450 km/s for AI, 2000 for BI',
      [[-15000, -10000, 0.5]],
      expected(-15000, -10000, 0.5, 450),
      expected(-15000, -10000, 0.5, 2000),
    ],
    ['a trough crossing 0 counts up to 0', [[-1500, 500, 0.5]], expected(-1500, -1, 0.5, 450), 0],
  ];
  it.each(cases)('%s', (_name, boxes, wantAi, wantBi) => {
    const { rest, flux } = boxTroughs(boxes);
    const { ai, troughs } = absorptionIndex(rest, flux, BAL_IONS.CIV);
    expect(Math.abs(ai - wantAi)).toBeLessThanOrEqual(2);
    expect(troughs).toHaveLength(wantAi > 0 ? 1 : 0);
    expect(Math.abs(balnicityIndex(rest, flux, BAL_IONS.CIV).bi - wantBi)).toBeLessThanOrEqual(2);
  });

  it('reports a 1000 km/s trough as vmin 7000, vmax 8000', () => {
    const { rest, flux } = boxTroughs([[-8000, -7000, 0.5]]);
    const { troughs } = absorptionIndex(rest, flux, BAL_IONS.CIV);
    expect(troughs[0]!.vmin).toBeCloseTo(7000, 6);
    expect(troughs[0]!.vmax).toBeCloseTo(8000, 6);
  });
});

describe('balIndex, windows and velocities', () => {
  it('balIndex with a window equals the named indices, and checks lengths', () => {
    const { rest, flux } = boxTroughs([[-15000, -10000, 0.5]]);
    expect(balIndex(rest, flux, BAL_IONS.CIV, BI_WINDOW).index).toBe(balnicityIndex(rest, flux, BAL_IONS.CIV).bi);
    expect(balIndex(rest, flux, BAL_IONS.CIV, AI_WINDOW).index).toBe(absorptionIndex(rest, flux, BAL_IONS.CIV).ai);
    expect(() => balnicityIndex([1400, 1401], [1], BAL_IONS.CIV)).toThrow(/lengths differ/);
  });

  it('holds baltools constants', () => {
    expect(BAL_IONS).toEqual({ CIV: 1549.48, SIIV: 1398.0 });
    expect(BI_WINDOW).toEqual({ vmin: -25000, vmax: -3000, threshold: 0.9, minWidth: 2000 });
    expect(AI_WINDOW).toEqual({ vmin: -25000, vmax: 0, threshold: 0.9, minWidth: 450 });
  });

  const speeds: [string, number, number, number][] = [
    ['at the line', 1549.48, 1549.48, 0],
    ['1% redward is +0.01 c', 1549.48 * 1.01, 1549.48, 0.01 * C],
    ['blueward is negative (outflow)', 1500, 1549.48, (C * (1500 - 1549.48)) / 1549.48],
  ];
  it.each(speeds)('velocityOffset: %s', (_name, lam, ion, want) => {
    expect(velocityOffset(lam, ion)).toBeCloseTo(want, 8);
  });
  it('wavelengthAtVelocity inverts velocityOffset', () => {
    for (const v of [-25000, -12345.6, -3000, 0, 450]) expect(velocityOffset(wavelengthAtVelocity(v, 1398), 1398)).toBeCloseTo(v, 8);
  });
});
