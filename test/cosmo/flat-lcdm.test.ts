import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { C_KMS, FlatLambdaCDM } from '../../lib/cosmo/index.js';
import { ASTROPY_PYTHON, HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { mulberry32 } from '../helpers/prng.js';

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

/** Redshifts 0-5: a uniform grid, seeded random values, and small ones where relative accuracy is hardest. */
function redshiftSample(n: number, seed: number): Float64Array {
  const rnd = mulberry32(seed);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = i % 3 === 0 ? (5 * i) / (n - 1) : i % 3 === 1 ? 5 * rnd() : 10 ** (-8 + 8 * rnd());
  z[0] = 0;
  z[n - 1] = 5;
  return z;
}

describe('FlatLambdaCDM: analytic limits (no astropy needed)', () => {
  // Omega_M = 1 (Einstein-de Sitter): D = 2 c/H0 (1 - 1/sqrt(1+z)).
  const eds: [number, number][] = [
    [0, 100],
    [1e-8, 100],
    [0.01, 100],
    [0.5, 70],
    [1, 100],
    [3, 67.4],
    [5, 100],
    [100, 100],
    [1e6, 100],
  ];
  it.each(eds)('Omega_M = 1, z = %s, H0 = %s: D = 2 c/H0 (1 - 1/sqrt(1+z))', (z, H0) => {
    const cosmo = new FlatLambdaCDM({ omegaM: 1, H0 });
    // 1 - 1/sqrt(1+z) written as z / (1 + z + sqrt(1+z)), which does not cancel at small z.
    const want = ((2 * C_KMS) / H0) * (z / (1 + z + Math.sqrt(1 + z)));
    expect(rel(cosmo.comovingDistance(z), want)).toBeLessThan(1e-13);
    if (z > 0) expect(rel(cosmo.redshiftAtDistance(want), z)).toBeLessThan(1e-12);
  });

  it('small z follows the series D_H (z - 3/4 Om z^2) to 1e-12 relative', () => {
    for (const omegaM of [0.2, 0.3, 0.4]) {
      const cosmo = new FlatLambdaCDM({ omegaM });
      for (const z of [1e-9, 1e-7, 1e-6]) {
        expect(rel(cosmo.comovingDistance(z), cosmo.hubbleDistance * (z - 0.75 * omegaM * z * z))).toBeLessThan(1e-12);
      }
    }
  });

  it('the horizon, negative and invalid redshifts', () => {
    const cosmo = new FlatLambdaCDM({ omegaM: 0.3 });
    const horizon = cosmo.comovingDistance(Infinity);
    expect(horizon).toBeGreaterThan(cosmo.comovingDistance(1e4));
    expect(rel(cosmo.comovingDistance(1e12), horizon)).toBeLessThan(1e-5);
    expect(cosmo.redshiftAtDistance(horizon)).toBe(Infinity);
    expect(cosmo.redshiftAtDistance(horizon * 1.01)).toBe(Infinity);
    expect(cosmo.comovingDistance(0)).toBe(0);
    expect(cosmo.redshiftAtDistance(0)).toBe(0);
    // -1 < z < 0: blueshifts give negative distances, and the inverse still holds.
    const d = cosmo.comovingDistance(-0.5);
    expect(d).toBeLessThan(0);
    expect(rel(cosmo.redshiftAtDistance(d), -0.5)).toBeLessThan(1e-12);
    expect(cosmo.comovingDistance(-1)).toBeNaN();
    expect(cosmo.comovingDistance(Number.NaN)).toBeNaN();
    expect(cosmo.redshiftAtDistance(Number.NaN)).toBeNaN();
  });

  it('rejects bad parameters, naming them', () => {
    for (const omegaM of [0, -0.1, 1.2, Number.NaN]) expect(() => new FlatLambdaCDM({ omegaM })).toThrow(`invalid omegaM: ${omegaM}`);
    expect(() => new FlatLambdaCDM({ omegaM: 0.3, H0: 0 })).toThrow('invalid H0: 0');
    expect(() => new FlatLambdaCDM({ omegaM: 0.3, H0: Infinity })).toThrow('invalid H0: Infinity');
  });

  it('derived distances follow from the comoving distance', () => {
    const cosmo = new FlatLambdaCDM({ omegaM: 0.3, H0: 70 });
    const z = 0.7;
    const d = cosmo.comovingDistance(z);
    expect(cosmo.hubbleDistance).toBe(C_KMS / 70);
    expect(cosmo.luminosityDistance(z)).toBeCloseTo(1.7 * d, 9);
    expect(cosmo.angularDiameterDistance(z)).toBeCloseTo(d / 1.7, 9);
    expect(cosmo.distanceModulus(z)).toBeCloseTo(5 * Math.log10((1.7 * d * 1e6) / 10), 12);
    expect(cosmo.comovingVolume(z) / ((4 / 3) * Math.PI * d ** 3)).toBeCloseTo(1, 14);
    expect(cosmo.efunc(1)).toBeCloseTo(Math.sqrt(0.3 * 8 + 0.7), 15);
  });

  it('redshiftAtDistance inverts comovingDistance to 1e-12 relative', () => {
    for (const omegaM of [0.2, 0.3, 0.4]) {
      const cosmo = new FlatLambdaCDM({ omegaM });
      let worst = 0;
      for (const z of redshiftSample(600, 3))
        if (z > 0) worst = Math.max(worst, rel(cosmo.redshiftAtDistance(cosmo.comovingDistance(z)), z));
      expect(worst).toBeLessThan(1e-12);
    }
  });
});

describe('FlatLambdaCDM: the vectorised (Hermite table) path', () => {
  it('comovingDistances matches the exact integral to 1e-14 relative for z in 0-5 (and to 1e6)', () => {
    const z = redshiftSample(30_000, 17);
    for (const omegaM of [0.2, 0.3, 0.4]) {
      const cosmo = new FlatLambdaCDM({ omegaM });
      const fast = cosmo.comovingDistances(z);
      let worst = 0;
      for (let i = 0; i < z.length; i++) worst = Math.max(worst, rel(fast[i]!, cosmo.comovingDistance(z[i]!)));
      console.log(`flat-lcdm: Om ${omegaM}: comovingDistances vs exact, max relative error ${worst.toExponential(2)} (z 0-5)`);
      expect(worst).toBeLessThan(1e-14);
      const far = cosmo.comovingDistances([10, 1e3, 1e6, Infinity]);
      [10, 1e3, 1e6, Infinity].forEach((zi, i) => expect(rel(far[i]!, cosmo.comovingDistance(zi))).toBeLessThan(1e-12));
    }
  });

  it('redshiftsAtDistances inverts to 1e-13 relative for z in 0-5, and routes odd inputs to the exact path', () => {
    const z = redshiftSample(30_000, 18);
    for (const omegaM of [0.2, 0.3, 0.4]) {
      const cosmo = new FlatLambdaCDM({ omegaM });
      const back = cosmo.redshiftsAtDistances(cosmo.comovingDistances(z));
      let worst = 0;
      for (let i = 0; i < z.length; i++) if (z[i]! > 0) worst = Math.max(worst, rel(back[i]!, z[i]!));
      console.log(`flat-lcdm: Om ${omegaM}: redshiftsAtDistances round trip, max relative error ${worst.toExponential(2)} (z 0-5)`);
      expect(worst).toBeLessThan(1e-13);
      const horizon = cosmo.comovingDistance(Infinity);
      const odd = cosmo.redshiftsAtDistances([Number.NaN, -100, horizon, 2 * horizon, 0]);
      expect([...odd]).toEqual([Number.NaN, cosmo.redshiftAtDistance(-100), Infinity, Infinity, 0]);
    }
    const out = new Float64Array(2);
    expect(new FlatLambdaCDM({ omegaM: 0.3 }).comovingDistances([0.1, 0.2], out)).toBe(out);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'skybook-cosmo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HAVE_MPMATH = HAVE_ASTROPY && spawnSync(ASTROPY_PYTHON, ['-c', 'import mpmath'], { encoding: 'utf8' }).status === 0;
const NO_MPMATH = `skipped: ${ASTROPY_PYTHON} cannot import mpmath (apt-get install python3-mpmath)`;
const OMEGAS = [0.2, 0.25, 0.3, 0.35, 0.4];

describe.skipIf(!HAVE_ASTROPY)(HAVE_ASTROPY ? 'FlatLambdaCDM against astropy FlatLambdaCDM(H0, Om0, Tcmb0=0)' : NO_ASTROPY_MESSAGE, () => {
  const z = redshiftSample(3000, 29);

  // astropy 5.2 takes the difference of two hypergeometric terms, which cancels at small z: against a 30-digit
  // integral (below) it is itself 1e-12 off at z = 1e-3, 1e-9 at 1e-6 and 2e-7 at 1e-8. So the 1e-7 requirement is
  // asserted from z = 1e-6, 1e-10 from z = 1e-3; smaller z is checked against mpmath only.
  it('comoving and luminosity distances, distance modulus and volume: 1e-7 relative from z = 1e-6, 1e-10 from z = 1e-3', () => {
    writeFileSync(join(dir, 'z.f8'), Buffer.from(z.buffer));
    const cases = OMEGAS.flatMap((om) => [
      [om, 100],
      [om, 70],
    ]);
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    runPython(
      `
import sys, json, numpy as np
from astropy.cosmology import FlatLambdaCDM
d = sys.argv[1]
z = np.fromfile(d + '/z.f8', dtype='<f8')
for k, (om, h0) in enumerate(json.load(open(d + '/cases.json'))):
    c = FlatLambdaCDM(H0=h0, Om0=om, Tcmb0=0)
    with np.errstate(divide='ignore'):
        np.stack([c.comoving_distance(z).value, c.luminosity_distance(z).value, c.comoving_volume(z).value,
                  c.distmod(z).value]).astype('<f8').tofile(d + '/ref-%d.f8' % k)
`,
      [dir],
    );
    // [z >= 1e-3, 1e-6 <= z < 1e-3, z < 1e-6] x [exact, vectorised]; distance modulus in magnitudes, z >= 1e-3.
    const worst = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    let worstMu = 0;
    cases.forEach(([omegaM, H0], k) => {
      const cosmo = new FlatLambdaCDM({ omegaM: omegaM!, H0: H0! });
      const ref = new Float64Array(readFileSync(join(dir, `ref-${k}.f8`)).buffer.slice(0));
      const n = z.length;
      expect(ref.length).toBe(4 * n);
      const fast = cosmo.comovingDistances(z);
      for (let i = 1; i < n; i++) {
        const band = z[i]! >= 1e-3 ? 0 : z[i]! >= 1e-6 ? 1 : 2;
        const exact = [
          rel(cosmo.comovingDistance(z[i]!), ref[i]!),
          rel(cosmo.luminosityDistance(z[i]!), ref[n + i]!),
          rel(cosmo.comovingVolume(z[i]!), ref[2 * n + i]!) / 3,
        ];
        worst[band]![0] = Math.max(worst[band]![0]!, ...exact);
        worst[band]![1] = Math.max(worst[band]![1]!, rel(fast[i]!, ref[i]!));
        if (band === 0) worstMu = Math.max(worstMu, Math.abs(cosmo.distanceModulus(z[i]!) - ref[3 * n + i]!));
      }
    });
    const f = (x: number[]) => `exact ${x[0]!.toExponential(2)}, vectorised ${x[1]!.toExponential(2)}`;
    console.log(
      `flat-lcdm vs astropy (Om 0.2-0.4, H0 100 and 70), max relative difference: z 1e-3..5 ${f(worst[0]!)}; ` +
        `z 1e-6..1e-3 ${f(worst[1]!)}; z 1e-8..1e-6 ${f(worst[2]!)} (astropy's own error); distance modulus ${worstMu.toExponential(2)} mag`,
    );
    expect(Math.max(...worst[0]!)).toBeLessThan(1e-10);
    expect(Math.max(...worst[1]!)).toBeLessThan(1e-7);
    expect(worstMu).toBeLessThan(1e-10);
  });
});

describe.skipIf(!HAVE_MPMATH)(HAVE_MPMATH ? 'FlatLambdaCDM against a 30-digit mpmath integral' : NO_MPMATH, () => {
  it('comoving distance to 1e-14 relative for z from 1e-8 to 5, both paths', () => {
    const z = [1e-8, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 0.3, 0.5, 1, 1.5, 2, 3, 4, 5];
    const ref = JSON.parse(
      runPython(`
import json, mpmath
mpmath.mp.dps = 30
out = []
for om in ${JSON.stringify(OMEGAS)}:
    f = lambda x: 1 / mpmath.sqrt(om * (1 + x) ** 3 + 1 - om)
    out.append([float(mpmath.quad(f, [0, z]) * mpmath.mpf(299792.458) / 100) for z in ${JSON.stringify(z)}])
print(json.dumps(out))
`),
    ) as number[][];
    let worstExact = 0,
      worstFast = 0;
    OMEGAS.forEach((omegaM, k) => {
      const cosmo = new FlatLambdaCDM({ omegaM });
      const fast = cosmo.comovingDistances(z);
      z.forEach((zi, i) => {
        worstExact = Math.max(worstExact, rel(cosmo.comovingDistance(zi), ref[k]![i]!));
        worstFast = Math.max(worstFast, rel(fast[i]!, ref[k]![i]!));
      });
    });
    console.log(
      `flat-lcdm vs mpmath (Om 0.2-0.4, z 1e-8..5): exact ${worstExact.toExponential(2)}, vectorised ${worstFast.toExponential(2)}`,
    );
    expect(worstExact).toBeLessThan(1e-14);
    expect(worstFast).toBeLessThan(1e-14);
  });
});
