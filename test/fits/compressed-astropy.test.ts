import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkHdus } from '../../lib/fits/hdu.js';
import { compressedImageShape, readCompressedImage } from '../../lib/fits/compressed/index.js';
import { FileSource } from '../../lib/fits/source/file-source.js';
import { bigEndianSha256 } from '../helpers/images.js';

/**
 * Files written by astropy's CompImageHDU (cfitsio inside) in a temporary folder, each decoded by skybook and by
 * astropy: every codec and pixel type, dithering methods, odd tile shapes, 1-D and 3-D images, HCOMPRESS scale and
 * smoothing, NaN / constant tiles (stored in GZIP_COMPRESSED_DATA), BSCALE/BZERO/BLANK. Needs Debian's
 * python3-astropy at /usr/bin/python3; skipped with a message without it.
 */

const PYTHON = '/usr/bin/python3';

const GENERATOR = `
import sys, os, json, hashlib, warnings
import numpy as np
from astropy.io import fits
warnings.simplefilter('ignore')
out = sys.argv[1]
rng = np.random.default_rng(12345)
cases = []
def add(name, data, header=None, **kw):
    path = os.path.join(out, name + '.fits')
    fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(data, header=header, **kw)]).writeto(path, overwrite=True)
    with fits.open(path) as h:
        d = h[1].data
        a = np.ascontiguousarray(d.astype(d.dtype.newbyteorder('>')))
        cases.append({'name': name, 'file': path, 'dtype': d.dtype.name, 'naxis': list(d.shape[::-1]),
                      'sha256': hashlib.sha256(a.tobytes()).hexdigest(),
                      'nan': int(np.isnan(d).sum()) if d.dtype.kind == 'f' else 0})
img = rng.normal(1000, 30, size=(37, 53)).astype('i2')
u8 = rng.integers(0, 256, size=(29, 41)).astype('u1')
i32 = rng.integers(-2**31, 2**31 - 1, size=(19, 23), dtype='i4')
i32s = rng.normal(0, 1e5, size=(33, 47)).astype('i4')
f32 = rng.normal(10, 3, size=(45, 61)).astype('f4')
f64 = rng.normal(-5, 100, size=(40, 50)).astype('f8')
for ct in ['RICE_1', 'GZIP_1', 'GZIP_2', 'PLIO_1', 'HCOMPRESS_1']:
    tiles = (16, 8) if ct == 'HCOMPRESS_1' else (7, 10)
    add(f'i2_{ct}', img if ct != 'PLIO_1' else np.abs(img), compression_type=ct, tile_shape=tiles)
    if ct != 'PLIO_1':
        add(f'u1_{ct}', u8, compression_type=ct, tile_shape=tiles)
        add(f'i4s_{ct}', i32s, compression_type=ct, tile_shape=tiles)
        for q, qn in [(1, 'dither1'), (2, 'dither2'), (-1, 'nodither')]:
            f = f32.copy(); f[3, 5] = 0.0; f[10, 10:20] = 0.0
            add(f'f4_{ct}_{qn}', f, compression_type=ct, quantize_method=q, dither_seed=77, tile_shape=tiles)
            add(f'f8_{ct}_{qn}', f64, compression_type=ct, quantize_method=q, dither_seed=3, tile_shape=tiles)
    if ct in ('GZIP_1', 'GZIP_2', 'RICE_1'):
        add(f'i4_full_range_{ct}', i32, compression_type=ct)
add('f4_GZIP_1_lossless', f32, compression_type='GZIP_1', quantize_level=0.0)
add('f8_GZIP_2_lossless', f64, compression_type='GZIP_2', quantize_level=0.0)
add('i2_HCOMPRESS_scale4', img, compression_type='HCOMPRESS_1', hcomp_scale=4, tile_shape=(37, 53))
add('i2_HCOMPRESS_scale4_smooth', img, compression_type='HCOMPRESS_1', hcomp_scale=4, hcomp_smooth=True, tile_shape=(37, 53))
big = rng.normal(2000, 300, size=(64, 80)).astype('i2')
add('i2_HCOMPRESS_scale10_smooth', big, compression_type='HCOMPRESS_1', hcomp_scale=10, hcomp_smooth=True, tile_shape=(64, 80))
add('i4_HCOMPRESS_scale3_smooth', i32s, compression_type='HCOMPRESS_1', hcomp_scale=3, hcomp_smooth=True, tile_shape=(33, 47))
add('f4_HCOMPRESS_smooth', f32, compression_type='HCOMPRESS_1', hcomp_scale=2.5, hcomp_smooth=True, tile_shape=(16, 20))
cube = rng.integers(-500, 500, size=(5, 9, 11)).astype('i2')
add('i2_3d_RICE_1', cube, compression_type='RICE_1', tile_shape=(2, 4, 5))
add('i2_3d_GZIP_1', cube, compression_type='GZIP_1')
add('i4_1d_RICE_1', i32s.ravel()[:1001].copy(), compression_type='RICE_1', tile_shape=(100,))
f = f32.copy(); f[2, :] = np.nan; f[4, 7] = np.nan; f[6, :] = 5.0; f[8, 3] = np.inf
for ct in ['RICE_1', 'GZIP_2', 'HCOMPRESS_1']:
    add(f'f4_nan_constant_tiles_{ct}', f, compression_type=ct, tile_shape=(1, 61) if ct != 'HCOMPRESS_1' else (4, 61))
h = fits.Header(); h['BSCALE'] = 0.5; h['BZERO'] = 10.0
add('i2_bscale_bzero', img, header=h, compression_type='RICE_1')
add('u2_RICE_1', rng.integers(0, 65536, size=(20, 30)).astype('u2'), compression_type='RICE_1')
add('u4_GZIP_2', rng.integers(0, 2**32, size=(20, 30), dtype='u8').astype('u4'), compression_type='GZIP_2')
b = img.copy(); b[2, 3] = -32768; b[5, :4] = -32768
h = fits.Header(); h['BLANK'] = -32768
add('i2_blank_unscaled', b, header=h, compression_type='RICE_1')
h = fits.Header(); h['BLANK'] = -32768; h['BSCALE'] = 2.0; h['BZERO'] = 1.5
add('i2_blank_scaled', b, header=h, compression_type='GZIP_1')
b4 = i32s.copy(); b4[1, 1] = -999
h = fits.Header(); h['BLANK'] = -999; h['BSCALE'] = 0.25
add('i4_blank_scaled', b4, header=h, compression_type='RICE_1')
add('i2_NOCOMPRESS', img, compression_type='NOCOMPRESS')
json.dump(cases, open(os.path.join(out, 'cases.json'), 'w'))
`;

function astropyAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import astropy.io.fits, numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const HAVE_ASTROPY = astropyAvailable();
const title = `tile-compressed files written by astropy decode to astropy's exact pixels${HAVE_ASTROPY ? '' : ` [skipped: ${PYTHON} has no astropy (apt-get install python3-astropy)]`}`;

interface GeneratedCase {
  name: string;
  file: string;
  dtype: string;
  naxis: number[];
  sha256: string;
  nan: number;
}

(HAVE_ASTROPY ? describe : describe.skip)(title, () => {
  let dir = '';
  let cases: GeneratedCase[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skybook-compressed-'));
    execFileSync(PYTHON, ['-c', GENERATOR, dir], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as GeneratedCase[];
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every generated file: dtype, shape, NaN count and sha256 of all pixels equal astropy's", async () => {
    expect(cases.length).toBeGreaterThan(50);
    const failures: string[] = [];
    for (const c of cases) {
      const src = await FileSource.open(c.file);
      try {
        const hdus = await walkHdus(src);
        const img = await readCompressedImage(src, hdus[1]!);
        const nan = img.data instanceof Float32Array || img.data instanceof Float64Array ? img.data.filter(Number.isNaN).length : 0;
        const got = { dtype: img.dtype, naxis: img.naxis, nan, sha256: bigEndianSha256(img) };
        const want = { dtype: c.dtype, naxis: c.naxis, nan: c.nan, sha256: c.sha256 };
        if (JSON.stringify(got) !== JSON.stringify(want))
          failures.push(`${c.name}: got ${JSON.stringify(got)}, astropy ${JSON.stringify(want)}`);
        expect(compressedImageShape(hdus[1]!), c.name).toEqual({ naxis: c.naxis, dtype: c.dtype });
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
      } finally {
        await src.close();
      }
    }
    expect(failures).toEqual([]);
  });
});
