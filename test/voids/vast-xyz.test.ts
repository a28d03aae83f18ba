/**
 * VAST's galaxy distances and positions (lib/voids/vast-xyz.ts): for float32 columns, bit for bit what VAST's own
 * z_to_comoving_dist (distance.pyx) and ra_dec_to_xyz (numpy float32 products and sin/cos) give, on every row of SDSS
 * DR7 where VAST imports; everywhere, that they are the float32 roundings of the exact positions (lib/cosmo).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlatLambdaCDM } from '../../lib/cosmo/index.js';
import { openFits } from '../../lib/fits/index.js';
import { vastRadii, vastXyz } from '../../lib/voids/vast-xyz.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { NO_VAST_MESSAGE, VAST_PYTHON } from '../helpers/numpy-python.js';
import { randomSky } from '../helpers/prng.js';

const DR7 = join(FIXTURES, 'voids', 'vollim_dr7_cbp_102709.fits');

describe('vastRadii and vastXyz in float32', () => {
  it('are float32 values within a few float32 ulps of the exact comoving positions', () => {
    const { ra, dec } = randomSky(20_000, 3);
    const f = Math.fround;
    const z = Float64Array.from(ra, (_, i) => f(0.001 + (0.2 * i) / ra.length));
    const ra32 = ra.map(f);
    const dec32 = dec.map(f);
    const r = vastRadii(z, { omegaM: 0.26, h: 1, distanceMetric: 'comoving' });
    const exact = new FlatLambdaCDM({ omegaM: f(0.26), H0: 100 }).comovingDistances(z);
    const xyz = vastXyz(ra32, dec32, r, { float32: true });
    const ideal = vastXyz(ra32, dec32, exact);
    // VAST's c = 299792 km/s (not 299792.458: -1.5e-6 of r), a = float32(1 / (1 + z)) (half a float32 ulp of a moves
    // r by up to 3000 Mpc/h x 3e-8 = 1e-4 Mpc/h, and about as much from the float32 roundings inside the integrand),
    // float32 roundings of the integral, the sines and the products (~1e-7 r)
    let worstR = 0;
    let worstXyz = 0;
    for (let i = 0; i < z.length; i++) {
      expect(f(r[i]!)).toBe(r[i]);
      worstR = Math.max(worstR, Math.abs(r[i]! - exact[i]!) / (1.6e-6 * exact[i]! + 2e-4));
      for (let a = 0; a < 3; a++) {
        expect(f(xyz[3 * i + a]!)).toBe(xyz[3 * i + a]);
        worstXyz = Math.max(worstXyz, Math.abs(xyz[3 * i + a]! - ideal[3 * i + a]!) / (2e-6 * exact[i]! + 2e-4));
      }
    }
    expect(worstR).toBeLessThan(1);
    expect(worstXyz).toBeLessThan(1);
  });
});

/** VAST's own distances and positions of every DR7 row (float32), as its preprocessing and ra_dec_to_xyz make them. */
const VAST_SCRIPT = `
import sys, numpy as np
from astropy.table import Table
from vast.voidfinder.distance import z_to_comoving_dist
from vast.voidfinder.voidfinder import ra_dec_to_xyz
t = Table.read(sys.argv[1])
g = Table()
g['ra'] = t['ra']; g['dec'] = t['dec']; g['redshift'] = t['z']
g['Rgal'] = z_to_comoving_dist(g['redshift'].data.astype(np.float32), 0.26, 1)
xyz = ra_dec_to_xyz(g)
assert xyz.dtype == np.float32 and g['Rgal'].dtype == np.float32
np.asarray(g['Rgal']).astype('<f4').tofile(sys.argv[2] + '/r.f32')
xyz.astype('<f4').tofile(sys.argv[2] + '/xyz.f32')
`;

describe.skipIf(!VAST_PYTHON || !existsSync(DR7))(
  `VAST's own positions of SDSS DR7 (${VAST_PYTHON ?? NO_VAST_MESSAGE}; skipped without ${DR7})`,
  () => {
    it("are ours to the bit, every row: distances (QUADPACK on VAST's float32 integrand) and x, y, z", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'skybook-vast-xyz-'));
      try {
        const { spawnSync } = await import('node:child_process');
        const run = spawnSync(VAST_PYTHON!, ['-c', VAST_SCRIPT, DR7, dir], { encoding: 'utf8' });
        expect(run.stderr.split('\n').filter((l) => /Error/.test(l))).toEqual([]);
        const read = (name: string) => {
          const b = readFileSync(join(dir, name));
          return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
        };
        const fits = await openFits(DR7);
        const t = await fits.readTable(1, { columns: ['ra', 'dec', 'z'] });
        await fits.close();
        const col = (n: string) => Float64Array.from(t.getChild(n)!.toArray() as Float32Array);
        const r = vastRadii(col('z'), { omegaM: 0.26, h: 1, distanceMetric: 'comoving' });
        const xyz = vastXyz(col('ra'), col('dec'), r, { float32: true });
        const theirsR = read('r.f32');
        const theirsXyz = read('xyz.f32');
        expect(theirsR.length).toBe(120_606);
        let sameR = 0;
        let sameXyz = 0;
        for (let i = 0; i < r.length; i++) {
          if (r[i] === theirsR[i]) sameR++;
          if (xyz[3 * i] === theirsXyz[3 * i] && xyz[3 * i + 1] === theirsXyz[3 * i + 1] && xyz[3 * i + 2] === theirsXyz[3 * i + 2])
            sameXyz++;
        }
        expect({ sameR, sameXyz }).toEqual({ sameR: r.length, sameXyz: r.length });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
