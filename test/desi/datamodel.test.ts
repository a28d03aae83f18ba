import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DR1_WAVELENGTH,
  EXP_FIBERMAP_COLUMNS,
  FIBERMAP_COLUMNS,
  REDSHIFTS_COLUMNS,
  SCORES_COLUMNS,
  TSNR2_COLUMNS,
  ZCATALOG_COLUMNS,
  dr1Wavelength,
} from '../../lib/desi/index.js';
import { openFits } from '../../lib/fits/index.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE, parseJsonExact } from '../helpers/fixtures.js';
import { bigEndianSha256 } from '../helpers/images.js';
import { readFileSync } from 'node:fs';

const COADD = join(FIXTURES, 'desi', 'coadd-special-dark-27247.fits');
const REDROCK = join(FIXTURES, 'desi', 'redrock-special-dark-27247.fits');

async function tforms(file: string, hdu: string): Promise<Array<[string, string]>> {
  const f = await openFits(file);
  try {
    const h = f.hdus.find((x) => x.name === hdu)!.header;
    const n = Number(h.get('TFIELDS'));
    return Array.from({ length: n }, (_, i) => [String(h.get(`TTYPE${i + 1}`)), String(h.get(`TFORM${i + 1}`))] as [string, string]);
  } finally {
    await f.close();
  }
}

describe.skipIf(!HAVE_FIXTURES)(HAVE_FIXTURES ? 'data model against the real DESI files' : NO_FIXTURES_MESSAGE, () => {
  it.each([
    [COADD, 'FIBERMAP', FIBERMAP_COLUMNS],
    [COADD, 'EXP_FIBERMAP', EXP_FIBERMAP_COLUMNS],
    [COADD, 'SCORES', SCORES_COLUMNS],
    [REDROCK, 'REDSHIFTS', REDSHIFTS_COLUMNS],
    [REDROCK, 'TSNR2', TSNR2_COLUMNS],
    [REDROCK, 'FIBERMAP', FIBERMAP_COLUMNS],
    [REDROCK, 'EXP_FIBERMAP', EXP_FIBERMAP_COLUMNS],
  ] as const)('%s %s has the data model columns in order with their TFORMs', async (file, hdu, spec) => {
    expect(await tforms(file, hdu)).toEqual(spec.map((c) => [c.name, c.tform]));
  });

  it("dr1Wavelength reproduces the coadd wavelength HDUs bit for bit (astropy's sha256 of the bytes)", () => {
    const hdus = (
      parseJsonExact(readFileSync(join(FIXTURES, 'desi', 'expected', 'fits__desi__coadd-special-dark-27247.fits.json'), 'utf8')) as {
        hdus: Array<{ name: string; image?: { sha256_be_bytes: string; size: number } }>;
      }
    ).hdus;
    for (const arm of ['B', 'R', 'Z'] as const) {
      const want = hdus.find((h) => h.name === `${arm}_WAVELENGTH`)!.image!;
      const w = dr1Wavelength(arm);
      expect(w.length).toBe(DR1_WAVELENGTH[arm].nwave);
      expect(w.length).toBe(want.size);
      expect(bigEndianSha256({ naxis: [w.length], dtype: 'float64', data: w }), arm).toBe(want.sha256_be_bytes);
    }
  });
});

describe('zcatalog data model', () => {
  it('has the DR1 key columns with their TFORMs, redrock columns in REDSHIFTS order, and unique names', () => {
    const by = new Map(ZCATALOG_COLUMNS.map((c) => [c.name, c.tform]));
    expect(by.size).toBe(ZCATALOG_COLUMNS.length);
    expect(ZCATALOG_COLUMNS[0]!.name).toBe('TARGETID');
    for (const [n, t] of [
      ['TARGETID', 'K'],
      ['SURVEY', '7A'],
      ['PROGRAM', '6A'],
      ['HEALPIX', 'J'],
      ['ZCAT_NSPEC', 'I'],
      ['ZCAT_PRIMARY', 'L'],
      ['DESINAME', '22A'],
      ['COEFF', '10D'],
      ['MEAN_MJD', 'D'],
      ['TSNR2_LRG', 'E'],
      ['MAIN_PRIMARY', 'L'],
    ]) {
      expect(by.get(n!), n).toBe(t);
    }
    const rr = REDSHIFTS_COLUMNS.filter((c) => !c.optional && c.name !== 'TARGETID').map((c) => c.name);
    const z = ZCATALOG_COLUMNS.map((c) => c.name).filter((n) => rr.includes(n));
    expect(z).toEqual(rr);
  });
});
