import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  angleBetween,
  angularDistance,
  cone,
  coneContains,
  coneMask,
  raDecOf,
  raDecOfVectors,
  unitVector,
  unitVectors,
  withinCone,
} from '../../lib/core/index.js';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { mulberry32, randomSky } from '../helpers/prng.js';

const DEG = Math.PI / 180;

describe('unitVector and raDecOf', () => {
  const axes: [string, number, number, [number, number, number]][] = [
    ['ra 0 on the equator is +x', 0, 0, [1, 0, 0]],
    ['ra 90 is +y', 90, 0, [0, 1, 0]],
    ['ra 180 is -x', 180, 0, [-1, 0, 0]],
    ['ra 270 is -y', 270, 0, [0, -1, 0]],
    ['the north pole is +z', 0, 90, [0, 0, 1]],
    ['the south pole is -z', 123, -90, [0, 0, -1]],
    ['ra 45 dec 45', 45, 45, [0.5, 0.5, Math.SQRT1_2]],
  ];
  it.each(axes)('%s', (_name, ra, dec, want) => {
    const v = unitVector(ra, dec);
    for (let k = 0; k < 3; k++) expect(v[k]).toBeCloseTo(want[k]!, 15);
    expect(Math.hypot(...v)).toBeCloseTo(1, 15);
  });

  // raDecOf(unitVector(ra, dec)) gives (ra, dec) back, ra normalised to [0, 360).
  const roundTrips: [string, number, number, number][] = [
    ['equator', 150.1, 2.2, 150.1],
    ['ra just below 360', 359.9999999, -12, 359.9999999],
    ['ra 0', 0, 30, 0],
    ['negative ra wraps', -10, 5, 350],
    ['ra above 360 wraps', 370, 5, 10],
    ['near the north pole (atan2 branch)', 33, 89.9999999, 33],
    ['near the south pole', 250, -89.99999, 250],
    ['at the asin/atan2 switch', 77, Math.asin(0.99) / DEG, 77],
  ];
  it.each(roundTrips)('round trip: %s', (_name, ra, dec, raBack) => {
    const p = raDecOf(...unitVector(ra, dec));
    expect(Math.abs(p.ra - raBack)).toBeLessThan(1e-9);
    expect(Math.abs(p.dec - dec)).toBeLessThan(1e-12);
  });

  it('keeps ra below 360 when y is a tiny negative number, and gives ra 0 at an exact pole', () => {
    expect(raDecOf(1, -1e-20, 0).ra).toBe(0);
    expect(raDecOf(1, -0, 0).ra).toBe(0);
    expect(raDecOf(0, 0, 1)).toEqual({ ra: 0, dec: 90 });
    expect(raDecOf(0, 0, -1)).toEqual({ ra: 0, dec: -90 });
  });

  it('recovers dec near the poles to 1e-13 degree, where asin alone would lose ~1e-6 degree', () => {
    for (const dec of [89.9999999999, 89.99999, 89.9, 85, -89.9999999, -88]) {
      expect(Math.abs(raDecOf(...unitVector(12, dec)).dec - dec)).toBeLessThan(1e-13);
    }
  });

  it('typed-array forms give exactly the scalar results', () => {
    const { ra, dec } = randomSky(500, 11);
    const xyz = unitVectors(ra, dec);
    expect(xyz.length).toBe(1500);
    for (let i = 0; i < 500; i += 37) expect([xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]]).toEqual(unitVector(ra[i]!, dec[i]!));
    const back = raDecOfVectors(xyz);
    for (let i = 0; i < 500; i++) {
      expect(back.ra[i]).toBe(raDecOf(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!).ra);
      expect(angularDistance(back.ra[i]!, back.dec[i]!, ra[i]!, dec[i]!)).toBeLessThan(1e-12);
    }
    expect(() => unitVectors([1, 2], [1])).toThrow(/must agree/);
    expect(() => raDecOfVectors([1, 0])).toThrow(/multiple of 3/);
  });
});

describe('angularDistance', () => {
  const cases: [string, number, number, number, number, number][] = [
    ['same point', 150, 2, 150, 2, 0],
    ['one degree along the equator', 150, 0, 151, 0, 1],
    ['across ra 0', 359.5, 0, 0.5, 0, 1],
    ['across ra 0 at dec 60 (cos dec shrinks it)', 359.5, 60, 0.5, 60, 0.4999952403301633],
    ['pole to pole', 0, 90, 0, -90, 180],
    ['the north pole at two ras', 0, 90, 123, 90, 0],
    ['pole to equator', 77, 90, 200, 0, 90],
    ['antipodes on the equator', 0, 0, 180, 0, 180],
    ['antipodes off the equator', 10, 20, 190, -20, 180],
  ];
  it.each(cases)('%s', (_name, ra1, dec1, ra2, dec2, want) => {
    expect(angularDistance(ra1, dec1, ra2, dec2)).toBeCloseTo(want, 11);
    expect(angularDistance(ra2, dec2, ra1, dec1)).toBeCloseTo(want, 11);
  });

  it('stays accurate at tiny angles and just short of 180 degrees (atan2 form, not acos)', () => {
    for (const eps of [1e-6, 1e-9, 1e-12]) {
      // A shift along dec at fixed ra is exactly the shift (20 + eps rounds, so measure the shift as stored).
      const shift = 20 + eps - 20;
      expect(angularDistance(10, 20, 10, 20 + eps) / shift).toBeCloseTo(1, 3);
      // acos(dot) would say 0 (or 1.2e-6 degree) here: the dot product rounds to 1.
      expect(angularDistance(0, 0, 180, eps)).toBeCloseTo(180 - eps, 9);
    }
    expect(angularDistance(0, 0, 180, 1e-9)).toBeLessThan(180);
  });

  it('angleBetween works on vectors of any length, in radians', () => {
    expect(angleBetween([2, 0, 0], [0, 0, 5])).toBeCloseTo(Math.PI / 2, 15);
    expect(angleBetween([1, 1, 0], [-3, -3, 0])).toBeCloseTo(Math.PI, 15);
    expect(angleBetween([1, 2, 3], [2, 4, 6])).toBe(0);
  });
});

describe('cones', () => {
  it('withinCone includes its boundary and handles ra wrap and poles', () => {
    expect(withinCone(151, 0, 150, 0, 1)).toBe(true);
    expect(withinCone(151.000001, 0, 150, 0, 1)).toBe(false);
    expect(withinCone(0.4, 0, 359.8, 0, 0.61)).toBe(true);
    expect(withinCone(200, 89.5, 20, 89.5, 1.01)).toBe(true);
    expect(withinCone(200, 89.5, 20, 89.5, 0.99)).toBe(false);
    expect(() => withinCone(0, 0, 0, 0, -1)).toThrow(/invalid radiusDeg: -1/);
    expect(() => cone(0, 0, Number.NaN)).toThrow(/invalid radiusDeg/);
  });

  it('the cosine test agrees with the exact test away from the edge; 180 degrees holds the whole sky', () => {
    const rnd = mulberry32(5);
    let checked = 0;
    for (let k = 0; k < 30; k++) {
      const [cra, cdec, r] = [rnd() * 360, Math.asin(2 * rnd() - 1) / DEG, [0.01, 0.5, 3, 45, 120][k % 5]!];
      const c = cone(cra, cdec, r);
      const { ra, dec } = randomSky(400, 100 + k);
      // Half the points near the cone, so both answers occur.
      for (let i = 0; i < 200; i++) {
        ra[i] = cra + ((rnd() - 0.5) * 3 * r) / Math.max(Math.cos(cdec * DEG), 0.05);
        dec[i] = Math.max(-90, Math.min(90, cdec + (rnd() - 0.5) * 3 * r));
      }
      const mask = coneMask(c, unitVectors(ra, dec));
      for (let i = 0; i < 400; i++) {
        const d = angularDistance(ra[i]!, dec[i]!, cra, cdec);
        if (Math.abs(d - r) < 1e-9) continue;
        expect(mask[i]).toBe(d <= r ? 1 : 0);
        expect(coneContains(c, ...unitVector(ra[i]!, dec[i]!))).toBe(d <= r);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(11_000);
    const all = cone(10, 10, 180);
    expect(coneContains(all, ...unitVector(190, -10))).toBe(true);
    expect(cone(10, 10, 500).radiusDeg).toBe(180);
    // A 0.01 arcsecond cone still separates its centre from a point 0.02 arcsecond away.
    const small = cone(10, 10, 0.01 / 3600);
    expect(coneContains(small, ...unitVector(10, 10))).toBe(true);
    expect(coneContains(small, ...unitVector(10, 10 + 0.02 / 3600))).toBe(false);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'skybook-sphere-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAVE_ASTROPY)(HAVE_ASTROPY ? 'angularDistance against astropy SkyCoord.separation' : NO_ASTROPY_MESSAGE, () => {
  it('agrees to 1e-12 degree on 20,000 seeded pairs (random, tiny and near-antipodal separations)', () => {
    const n = 20_000;
    const a = randomSky(n, 2024);
    const b = randomSky(n, 2025);
    const rnd = mulberry32(9);
    for (let i = 0; i < n; i += 4) {
      // Every fourth pair: a tiny offset; every eighth (shifted): nearly antipodal.
      const eps = 10 ** (-3 - 9 * rnd());
      b.ra[i] = a.ra[i]! + eps;
      b.dec[i] = Math.max(-90, Math.min(90, a.dec[i]! - eps));
      if (i + 1 < n) {
        b.ra[i + 1] = (a.ra[i + 1]! + 180) % 360;
        b.dec[i + 1] = -a.dec[i + 1]! + eps;
      }
    }
    const raw = Buffer.concat([a.ra, a.dec, b.ra, b.dec].map((x) => Buffer.from(x.buffer)));
    writeFileSync(join(dir, 'pairs.f8'), raw);
    runPython(
      `
import sys, numpy as np, astropy.units as u
from astropy.coordinates import SkyCoord
d = sys.argv[1]; n = ${n}
x = np.fromfile(d + '/pairs.f8', dtype='<f8').reshape(4, n)
sep = SkyCoord(x[0] * u.deg, x[1] * u.deg).separation(SkyCoord(x[2] * u.deg, x[3] * u.deg)).deg
sep.astype('<f8').tofile(d + '/sep.f8')
`,
      [dir],
    );
    const want = new Float64Array(readFileSync(join(dir, 'sep.f8')).buffer.slice(0));
    expect(want.length).toBe(n);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(angularDistance(a.ra[i]!, a.dec[i]!, b.ra[i]!, b.dec[i]!) - want[i]!));
    console.log(`sphere: max |angularDistance - astropy separation| over ${n} pairs = ${worst.toExponential(2)} deg`);
    expect(worst).toBeLessThan(1e-12);
  });
});
