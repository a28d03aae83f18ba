import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ang2pixNest, conePixels, pix2angNest } from '../../lib/desi/healpix.js';
import { ASTROPY_PYTHON, runPython } from '../helpers/astropy.js';
import { mulberry32, randomSky } from '../helpers/prng.js';
import { spawnSync } from 'node:child_process';

const HAVE_AHP = spawnSync(ASTROPY_PYTHON, ['-c', 'import astropy_healpix'], { encoding: 'utf8' }).status === 0;
const NO_AHP = `skipped: ${ASTROPY_PYTHON} cannot import astropy_healpix (apt-get install python3-astropy-healpix)`;
const NSIDES = [1, 2, 8, 64, 1024, 2 ** 16, 2 ** 20];
const N = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'skybook-healpix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function angDist(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const r = Math.PI / 180;
  const s = Math.sin(((dec2 - dec1) * r) / 2) ** 2 + Math.cos(dec1 * r) * Math.cos(dec2 * r) * Math.sin(((ra2 - ra1) * r) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(s)))) / r;
}

describe.skipIf(!HAVE_AHP)(HAVE_AHP ? 'healpix against astropy_healpix' : NO_AHP, () => {
  const { ra, dec } = randomSky(N, 20261125);
  writeFileSync(join(dir, 'radec.f8'), Buffer.concat([Buffer.from(ra.buffer), Buffer.from(dec.buffer)]));
  // astropy_healpix computes pixels and centres for every nside in one run; results come back as raw little-endian arrays.
  runPython(
    `
import sys, numpy as np, astropy.units as u
from astropy_healpix import HEALPix
d = sys.argv[1]; n = ${N}
a = np.fromfile(d + '/radec.f8', dtype='<f8'); ra, dec = a[:n], a[n:]
for nside in [${NSIDES.join(',')}]:
    hp = HEALPix(nside=nside, order='nested')
    pix = hp.lonlat_to_healpix(ra * u.deg, dec * u.deg).astype('<i8')
    pix.tofile(d + '/pix-%d.i8' % nside)
    lon, lat = hp.healpix_to_lonlat(pix)
    np.concatenate([lon.deg, lat.deg]).astype('<f8').tofile(d + '/centre-%d.f8' % nside)
`,
    [dir],
  );

  for (const nside of NSIDES) {
    it(`ang2pixNest matches lonlat_to_healpix on ${N} seeded positions, nside ${nside}`, () => {
      const want = new BigInt64Array(readFileSync(join(dir, `pix-${nside}.i8`)).buffer.slice(0));
      let mismatches = 0;
      for (let i = 0; i < N; i++) {
        if (BigInt(ang2pixNest(nside, ra[i]!, dec[i]!)) === want[i]) continue;
        mismatches++;
        // At fine nside the two codes may round a point lying on a pixel edge differently: then a nudge of
        // 1e-9 degree (far below the pixel size) must land in astropy's pixel.
        const near = [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ].some(([a, b]) => BigInt(ang2pixNest(nside, ra[i]! + a! * 1e-9, dec[i]! + b! * 1e-9)) === want[i]);
        expect(near, `position ${i}: ra ${ra[i]} dec ${dec[i]}`).toBe(true);
      }
      expect(mismatches).toBeLessThanOrEqual(nside >= 2 ** 16 ? 20 : 0);
    });

    it(`pix2angNest matches healpix_to_lonlat centres, nside ${nside}`, () => {
      const pix = new BigInt64Array(readFileSync(join(dir, `pix-${nside}.i8`)).buffer.slice(0));
      const c = new Float64Array(readFileSync(join(dir, `centre-${nside}.f8`)).buffer.slice(0));
      let worst = 0;
      for (let i = 0; i < N; i += 7) {
        const got = pix2angNest(nside, Number(pix[i]));
        worst = Math.max(worst, angDist(got.ra, got.dec, c[i]!, c[N + i]!));
      }
      expect(worst).toBeLessThan(1e-9);
    });
  }

  it('conePixels covers every random point inside each cone and contains astropy_healpix cone_search_lonlat', () => {
    const rnd = mulberry32(7);
    const cones: Array<[number, number, number, number]> = [];
    for (let k = 0; k < 40; k++) {
      const nside = [16, 64, 64, 1024][k % 4]!;
      const radius = nside === 1024 ? [0.02, 0.3][k % 2]! : [0.05, 0.5, 2, 10, 40][k % 5]!;
      cones.push([nside, rnd() * 360, (Math.asin(2 * rnd() - 1) * 180) / Math.PI, radius]);
    }
    cones.push([64, 10, 89.9, 1], [64, 200, -89.95, 3], [64, 0.01, 0, 1.2], [64, 359.99, 41.8, 0.7]);
    writeFileSync(join(dir, 'cones.json'), JSON.stringify(cones));
    const astro = JSON.parse(
      runPython(
        `
import sys, json, astropy.units as u
from astropy_healpix import HEALPix
out = []
for nside, ra, dec, r in json.load(open(sys.argv[1] + '/cones.json')):
    hp = HEALPix(nside=nside, order='nested')
    out.append(sorted(int(p) for p in hp.cone_search_lonlat(ra * u.deg, dec * u.deg, r * u.deg)))
print(json.dumps(out))
`,
        [dir],
      ),
    ) as number[][];
    let extra = 0;
    let total = 0;
    for (const [k, [nside, cra, cdec, radius]] of cones.entries()) {
      const ours = conePixels(nside, cra, cdec, radius);
      expect([...ours].sort((a, b) => a - b)).toEqual(ours);
      const set = new Set(ours);
      // random points inside the cone: offsets in a local tangent frame, kept if truly within the radius
      for (let i = 0; i < 400; i++) {
        const r0 = radius * Math.sqrt(rnd());
        const th = rnd() * 2 * Math.PI;
        const pdec = Math.max(-90, Math.min(90, cdec + r0 * Math.sin(th)));
        const pra = (cra + (r0 * Math.cos(th)) / Math.max(1e-6, Math.cos((pdec * Math.PI) / 180)) + 360) % 360;
        if (angDist(pra, pdec, cra, cdec) > radius) continue;
        expect(set.has(ang2pixNest(nside, pra, pdec)), `cone ${k} point ${pra},${pdec}`).toBe(true);
      }
      for (const p of astro[k]!) expect(set.has(p), `cone ${k}: astropy pixel ${p}`).toBe(true);
      extra += ours.length - astro[k]!.length;
      total += ours.length;
    }
    // ours is conservative, but not wildly so: at most 25% more pixels than astropy_healpix overall
    expect(extra / total).toBeLessThan(0.25);
  });
});

describe('healpix basics', () => {
  it('round-trips pixel centres and rejects bad nside and positions', () => {
    for (const nside of [1, 4, 64]) {
      for (let p = 0; p < 12 * nside * nside; p += Math.max(1, nside)) {
        const c = pix2angNest(nside, p);
        expect(ang2pixNest(nside, c.ra, c.dec)).toBe(p);
      }
    }
    expect(() => ang2pixNest(3, 0, 0)).toThrow(/power of two/);
    expect(() => ang2pixNest(64, 0, 91)).toThrow(/bad position/);
    expect(() => pix2angNest(64, 12 * 64 * 64)).toThrow(/out of range/);
  });

  it('puts the redrock fixture target of healpix 27247 in pixel 27247 (TARGET_RA/DEC from the file)', () => {
    // TARGET_RA/TARGET_DEC of the single target in fixtures/desi redrock-special-dark-27247.fits
    // (checked again against the file itself in readers.test.ts)
    const c = pix2angNest(64, 27247);
    expect(ang2pixNest(64, c.ra, c.dec)).toBe(27247);
  });
});
