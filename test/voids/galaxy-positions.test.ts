import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { FlatLambdaCDM } from '../../lib/cosmo/index.js';
import { vastDistances } from '../../lib/voids/galaxy-positions.js';
import { HAVE_SCIPY, NO_SCIPY_MESSAGE, runPython } from '../helpers/astropy.js';

if (!HAVE_SCIPY) console.warn(NO_SCIPY_MESSAGE);
const dir = mkdtempSync(join(tmpdir(), 'skybook-vastdist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * VAST's z_to_comoving_dist re-enacted in Python without VAST: its float32 integrand (a and Omega_M float32, a Om a
 * float32 product, the result rounded to float32) through scipy.integrate.quad (QUADPACK's QAGS, which VAST calls via
 * _quadpack._qagse with epsabs = epsrel = 1.49e-8, limit 50), the integral and c / H0 rounded to float32.
 */
const VAST_DISTANCE = `import sys, json, math
import numpy as np
from scipy.integrate import quad
cases = json.loads(open(sys.argv[1]).read())
out = []
for c in cases:
    Om = np.float32(c['omegaM'])
    def f(x):
        a = np.float32(x)
        return float(np.float32(1.0 / math.sqrt(float(np.float32(a * Om)) * (1.0 + ((1.0 - float(Om)) * float(a) * float(a) * float(a) / float(Om))))))
    cH = np.float32(np.float32(299792.0) / np.float32(100.0 * float(np.float32(c['h']))))  # h is a float32 argument
    row = []
    for z in c['z']:
        z32 = np.float32(z)
        a0 = float(np.float32(1.0 / (1.0 + float(z32))))
        I = quad(f, a0, 1.0, epsabs=1.49e-8, epsrel=1.49e-8, limit=50)[0]
        row.append(float(np.float32(np.float32(I) * cH)))
    out.append(row)
print(json.dumps(out))`;

describe('vastDistances', () => {
  const rng = Rng.for(8, 'vast-distances');
  const zs = [1e-4, 0.001, 0.0345, 0.1026, 0.107, 0.2, 0.24, 0.5, ...Array.from({ length: 600 }, () => rng.range(0, 0.3))].map(Math.fround);
  const cases = [
    { omegaM: 0.26, h: 1, z: zs },
    { omegaM: 0.315, h: 1, z: zs.slice(0, 200) },
    { omegaM: 0.3, h: 0.7, z: zs.slice(200, 400) },
  ];

  it.skipIf(!HAVE_SCIPY)("equals VAST's float32 distances bit for bit (QUADPACK re-enacted with scipy)", () => {
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(cases));
    const want = JSON.parse(runPython(VAST_DISTANCE, [file])) as number[][];
    cases.forEach((c, k) => {
      const got = vastDistances(c.z, { omegaM: c.omegaM, h: c.h });
      const differ = c.z.map((z, i) => [z, got[i], want[k]![i]]).filter(([, g, w]) => g !== w);
      expect(differ, `Omega_M ${c.omegaM}, h ${c.h}`).toEqual([]);
    });
  });

  it("are float32 numbers within 3e-4 Mpc/h of the exact comoving distance (with VAST's c), and NaN for NaN", () => {
    const exact = new FlatLambdaCDM({ omegaM: Math.fround(0.26), H0: 100 * (299792.458 / 299792) });
    const got = vastDistances(zs, { omegaM: 0.26 });
    zs.forEach((z, i) => {
      expect(Math.fround(got[i]!)).toBe(got[i]);
      expect(Math.abs(got[i]! - exact.comovingDistance(z))).toBeLessThan(3e-4);
    });
    expect(Number.isNaN(vastDistances([Number.NaN])[0]!)).toBe(true);
    expect(() => vastDistances([0.1], { omegaM: 0 })).toThrow(/invalid omegaM: 0/);
  });
});
