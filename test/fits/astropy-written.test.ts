/**
 * Files written by astropy (not by us), including a DESI-like catalogue with the column types of the real zcatalog, read
 * through `skybook fits stats --json` and compared with astropy's own per-column sums, counts and extremes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { skybook } from '../helpers/cli.js';
import { parseJsonExact } from '../helpers/fixtures.js';

const WRITE_AND_SUMMARIZE = `
import sys, json, math
import numpy as np
from astropy.io import fits
from astropy.table import Table
out = sys.argv[1]
rng = np.random.default_rng(7)
n = 5000
tid = (np.int64(39627000000000000) + rng.integers(0, 10**12, n)).astype('>i8')
cols = [
  fits.Column(name='TARGETID', format='K', array=tid),
  fits.Column(name='SURVEY', format='7A', array=np.array(rng.choice(['main', 'sv1', 'special'], n))),
  fits.Column(name='PROGRAM', format='6A', array=np.array(rng.choice(['dark', 'bright', 'backup'], n))),
  fits.Column(name='HEALPIX', format='J', array=rng.integers(0, 49152, n).astype('>i4')),
  fits.Column(name='Z', format='D', array=rng.uniform(-0.005, 5.0, n)),
  fits.Column(name='ZERR', format='D', array=rng.uniform(0, 1e-3, n)),
  fits.Column(name='ZWARN', format='K', array=rng.choice([0, 4, 1024, 2**60], n).astype('>i8')),
  fits.Column(name='CHI2', format='D', array=np.where(rng.random(n) < 0.01, np.nan, rng.uniform(0, 1e4, n))),
  fits.Column(name='COEFF', format='10D', array=rng.normal(0, 1, (n, 10))),
  fits.Column(name='SPECTYPE', format='6A', array=np.array(rng.choice(['GALAXY', 'QSO', 'STAR'], n))),
  fits.Column(name='SUBTYPE', format='20A', array=np.array(rng.choice(['', 'CV', 'WD', 'LOZ'], n))),
  fits.Column(name='DELTACHI2', format='D', array=rng.exponential(100, n)),
  fits.Column(name='COADD_FIBERSTATUS', format='J', bzero=2147483648, array=rng.choice([0, 8, 2**31 + 5], n).astype(np.uint32)),
  fits.Column(name='TARGET_RA', format='D', array=rng.uniform(0, 360, n)),
  fits.Column(name='TARGET_DEC', format='D', array=rng.uniform(-20, 80, n)),
  fits.Column(name='FLUX_G', format='E', array=rng.normal(1, 2, n).astype(np.float32)),
  fits.Column(name='ZCAT_NSPEC', format='I', array=rng.integers(1, 5, n).astype('>i2')),
  fits.Column(name='ZCAT_PRIMARY', format='L', array=rng.random(n) < 0.8),
  fits.Column(name='DESI_TARGET', format='K', array=rng.choice([1, 4, 2**60 + 4], n).astype('>i8')),
  fits.Column(name='MASKBITS', format='I', bzero=32768, array=rng.integers(0, 65535, n).astype(np.uint16)),
  fits.Column(name='DESINAME', format='22A', array=np.array(['DESI J%010.6f+%09.6f' % (a, d) for a, d in zip(rng.uniform(0, 360, n), rng.uniform(0, 80, n))])),
  fits.Column(name='MEAN_MJD', format='D', array=rng.uniform(59000, 60000, n)),
  fits.Column(name='TSNR2_LRG', format='E', array=rng.uniform(0, 100, n).astype(np.float32)),
]
hdu = fits.BinTableHDU.from_columns(cols, name='ZCATALOG')
img = fits.ImageHDU(rng.normal(0, 1, (50, 40)).astype(np.float32), name='FLUXIMG')
u16 = fits.ImageHDU(rng.integers(0, 65535, (30, 20)).astype(np.uint16), name='MASKIMG')
fits.HDUList([fits.PrimaryHDU(), hdu, img, u16]).writeto(out, overwrite=True, checksum=True)
t = fits.open(out)
res = {'columns': {}, 'images': {}}
for c in t[1].columns:
    a = np.asarray(t[1].data[c.name])
    if a.dtype.kind in 'SU':
        res['columns'][c.name] = {'count': int(a.size)}
    elif a.dtype.kind == 'b':
        res['columns'][c.name] = {'count': int(a.size), 'countTrue': int(a.sum())}
    elif a.dtype.kind in 'iu':
        res['columns'][c.name] = {'count': int(a.size), 'sum': str(sum(int(x) for x in a.ravel().tolist())), 'min': str(int(a.min())), 'max': str(int(a.max()))}
    else:
        f = a.ravel().astype(np.float64); fin = f[np.isfinite(f)]
        res['columns'][c.name] = {'count': int(a.size), 'nanCount': int(np.isnan(f).sum()), 'sum': math.fsum(fin.tolist()), 'min': float(fin.min()), 'max': float(fin.max())}
for h in t[2:]:
    a = h.data.ravel()
    res['images'][h.name] = {'dtype': a.dtype.name, 'count': int(a.size), 'sum': float(math.fsum(a.astype(np.float64).tolist()))}
print(json.dumps(res))
`;

describe.skipIf(!HAVE_ASTROPY)('astropy-written files through skybook fits stats --json', () => {
  if (!HAVE_ASTROPY) it.skip(NO_ASTROPY_MESSAGE, () => {});
  const dir = mkdtempSync(join(tmpdir(), 'skybook-astropy-'));
  const file = join(dir, 'zcat-like.fits');
  let truth: any;
  let ours: any;
  beforeAll(() => {
    truth = JSON.parse(runPython(WRITE_AND_SUMMARIZE, [file]));
    const r = skybook(['fits', 'stats', file, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    ours = parseJsonExact(r.stdout);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the zcatalog columns with their types', () => {
    const zcat = ours.hdus[1];
    expect(zcat.name).toBe('ZCATALOG');
    expect(zcat.type).toBe('BINTABLE');
    expect(zcat.table.rows).toBe(5000);
    const type = Object.fromEntries(zcat.table.columns.map((c: any) => [c.name, c.type]));
    expect(type.TARGETID).toBe('Int64');
    expect(type.COADD_FIBERSTATUS).toBe('Uint32');
    expect(type.MASKBITS).toBe('Uint16');
    expect(type.SURVEY).toBe('Utf8');
    expect(type.ZCAT_PRIMARY).toBe('Bool');
    expect(type.COEFF).toMatch(/^FixedSizeList\[10\]<Float64>$/);
  });

  it("gives astropy's counts, sums and extremes for every column", () => {
    for (const c of ours.hdus[1].table.columns) {
      const t = truth.columns[c.name];
      expect(c.count, c.name).toBe(t.count);
      if (t.countTrue !== undefined) expect(c.countTrue, c.name).toBe(t.countTrue);
      if (typeof t.sum === 'string') {
        expect(BigInt(c.sum), `${c.name} sum`).toBe(BigInt(t.sum));
        expect(BigInt(c.min), `${c.name} min`).toBe(BigInt(t.min));
        expect(BigInt(c.max), `${c.name} max`).toBe(BigInt(t.max));
      } else if (typeof t.sum === 'number') {
        expect(Math.abs(c.sum - t.sum), `${c.name} sum`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(t.sum)));
        expect(c.min, `${c.name} min`).toBe(t.min);
        expect(c.max, `${c.name} max`).toBe(t.max);
        expect(c.nanCount, `${c.name} NaNs`).toBe(t.nanCount);
      }
    }
  });

  it("reads the images and verifies astropy's checksums", () => {
    for (const h of ours.hdus) {
      expect(h.checksum, `HDU ${h.index}`).toBe('ok');
      expect(h.datasum, `HDU ${h.index}`).toBe('ok');
    }
    const [img, mask] = [ours.hdus[2].image, ours.hdus[3].image];
    expect(img.dtype).toBe(truth.images.FLUXIMG.dtype);
    expect(img.naxis).toEqual([40, 50]);
    expect(Math.abs(img.sum - truth.images.FLUXIMG.sum)).toBeLessThan(1e-6);
    expect(mask.dtype).toBe('uint16');
    expect(Number(mask.sum)).toBe(truth.images.MASKIMG.sum);
  });
});
