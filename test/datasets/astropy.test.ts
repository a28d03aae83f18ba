import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSurvey, type SurveySummary } from '../../lib/datasets/make-survey.js';
import {
  EXP_FIBERMAP_COLUMNS,
  FIBERMAP_COLUMNS,
  REDSHIFTS_COLUMNS,
  SCORES_COLUMNS,
  TSNR2_COLUMNS,
  ZCATALOG_COLUMNS,
  DR1_WAVELENGTH,
} from '../../lib/desi/index.js';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-astropy-'));
let summary: SurveySummary;

beforeAll(async () => {
  if (HAVE_ASTROPY) summary = await makeSurvey({ preset: 'small', seed: 3, out: dir, spectra: 4 });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Opens every file with warnings as errors and checksum verification, and reports what astropy sees: HDU names,
// per table the (name, TFORM) pairs, per image dtype/shape/BZERO.
const SCRIPT = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.io import fits
out = {}
for path in sys.argv[1:]:
    with fits.open(path, checksum=True) as h:
        hdus = []
        for hdu in h:
            d = hdu.data
            e = {'name': hdu.name, 'checksum': 'CHECKSUM' in hdu.header and 'DATASUM' in hdu.header}
            if isinstance(hdu, fits.BinTableHDU):
                e['columns'] = [[c.name, c.format] for c in hdu.columns]
                e['rows'] = len(d)
            elif d is not None:
                e['dtype'] = d.dtype.str
                e['shape'] = list(d.shape)
                e['bzero'] = hdu.header.get('BZERO')
            hdus.append(e)
        out[path] = {'hdus': hdus, 'primary': {k: h[0].header.get(k) for k in ['SURVEY', 'PROGRAM', 'HPXPIXEL', 'HPXNSIDE', 'HPXNEST', 'SPGRP', 'SPGRPVAL']}}
print(json.dumps(out))
`;

interface Seen {
  hdus: {
    name: string;
    checksum: boolean;
    columns?: [string, string][];
    rows?: number;
    dtype?: string;
    shape?: number[];
    bzero?: number;
  }[];
  primary: Record<string, unknown>;
}

const pairs = (specs: readonly { name: string; tform: string }[]) => specs.map((c) => [c.name, c.tform]);
// lib/fits's writer spells scalar TFORMs with an explicit repeat ('1K'), DESI's files without ('K'): equal per the
// FITS standard, so compare them normalised.
const norm = (cols: [string, string][] | undefined) => cols?.map(([n, f]) => [n, f.replace(/^1(?=[LXBIJKED]$)/, '')]);

describe.skipIf(!HAVE_ASTROPY)('astropy reads the mock survey', () => {
  it('opens every file without warnings, with valid checksums, in the DR1 data model', () => {
    const paths = summary.files.filter((f) => f.path.endsWith('.fits')).map((f) => join(dir, f.path));
    const seen = JSON.parse(runPython(SCRIPT, paths)) as Record<string, Seen>;
    expect(Object.keys(seen).length).toBe(paths.length);
    let coadds = 0;
    for (const [path, s] of Object.entries(seen)) {
      expect(s.hdus.every((h) => h.checksum)).toBe(true);
      const names = s.hdus.map((h) => h.name);
      const hdu = (n: string) => s.hdus.find((h) => h.name === n)!;
      if (path.endsWith('zall-pix-iron.fits')) {
        expect(names).toEqual(['PRIMARY', 'ZCATALOG']);
        expect(norm(hdu('ZCATALOG').columns)).toEqual(pairs(ZCATALOG_COLUMNS));
        expect(hdu('ZCATALOG').rows).toBe(summary.counts.zcatalogRows);
        continue;
      }
      const m = /(coadd|redrock)-main-(bright|dark)-(\d+)\.fits$/.exec(path)!;
      expect(s.primary).toEqual({
        SURVEY: 'main',
        PROGRAM: m[2],
        HPXPIXEL: Number(m[3]),
        HPXNSIDE: 64,
        HPXNEST: true,
        SPGRP: 'healpix',
        SPGRPVAL: Number(m[3]),
      });
      expect(norm(hdu('FIBERMAP').columns)).toEqual(pairs(FIBERMAP_COLUMNS));
      expect(norm(hdu('EXP_FIBERMAP').columns)).toEqual(pairs(EXP_FIBERMAP_COLUMNS));
      if (m[1] === 'redrock') {
        expect(names).toEqual(['PRIMARY', 'REDSHIFTS', 'FIBERMAP', 'EXP_FIBERMAP', 'TSNR2']);
        expect(norm(hdu('REDSHIFTS').columns)).toEqual(pairs(REDSHIFTS_COLUMNS.filter((c) => c.name !== 'FITMETHOD')));
        expect(norm(hdu('TSNR2').columns)).toEqual(pairs(TSNR2_COLUMNS));
        continue;
      }
      coadds++;
      expect(names).toEqual([
        'PRIMARY',
        'FIBERMAP',
        'EXP_FIBERMAP',
        ...['B', 'R', 'Z'].flatMap((a) => ['WAVELENGTH', 'FLUX', 'IVAR', 'MASK', 'RESOLUTION'].map((x) => `${a}_${x}`)),
        'SCORES',
      ]);
      expect(norm(hdu('SCORES').columns)).toEqual(pairs(SCORES_COLUMNS));
      const nspec = hdu('FIBERMAP').rows!;
      for (const a of ['B', 'R', 'Z'] as const) {
        const nw = DR1_WAVELENGTH[a].nwave;
        expect(hdu(`${a}_WAVELENGTH`)).toMatchObject({ dtype: '>f8', shape: [nw] });
        expect(hdu(`${a}_FLUX`)).toMatchObject({ dtype: '>f4', shape: [nspec, nw] });
        expect(hdu(`${a}_IVAR`)).toMatchObject({ dtype: '>f4', shape: [nspec, nw] });
        expect(hdu(`${a}_MASK`)).toMatchObject({ dtype: '<u4', shape: [nspec, nw], bzero: 2147483648 });
        expect(hdu(`${a}_RESOLUTION`)).toMatchObject({ dtype: '>f4', shape: [nspec, 11, nw] });
      }
    }
    expect(coadds).toBe(4);
  });
});

if (!HAVE_ASTROPY) console.warn(NO_ASTROPY_MESSAGE);
