import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRedrock, readSpectra, readZcatalog } from '../../lib/desi/index.js';
import { ang2pixNest } from '../../lib/desi/healpix.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE, parseJsonExact } from '../helpers/fixtures.js';
import { bigEndianSha256 } from '../helpers/images.js';

const DIR = join(FIXTURES, 'desi');
const COADD = join(DIR, 'coadd-special-dark-27247.fits');
const REDROCK = join(DIR, 'redrock-special-dark-27247.fits');
const TID = 39089837499744649n;

interface ExpColumn {
  name: string;
  kind: string;
  first: unknown;
  last?: unknown;
}
interface ExpHdu {
  name: string;
  table?: { nrows: number; columns: ExpColumn[] };
  image?: { sha256_be_bytes: string; shape_numpy: number[] };
}
function expected(file: string): ExpHdu[] {
  const doc = parseJsonExact(readFileSync(join(DIR, 'expected', `fits__desi__${file}.json`), 'utf8')) as { hdus: ExpHdu[] };
  return doc.hdus;
}

/** A cell of an Arrow table as the oracle writes it (numbers, bigints, strings, vectors as arrays, logicals as bools). */
function cell(v: unknown): unknown {
  if (v && typeof v === 'object' && 'toArray' in v) return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray());
  if (typeof v === 'string') return v.trimEnd();
  return v;
}

function normalise(want: unknown): unknown {
  if (typeof want === 'bigint') return want;
  if (Array.isArray(want)) return want.map(normalise);
  if (typeof want === 'number' && Number.isInteger(want) && !Number.isSafeInteger(want)) return BigInt(want);
  return want;
}

function sha(data: Float32Array | Float64Array | Uint32Array, dtype: 'float32' | 'float64' | 'uint32'): string {
  return bigEndianSha256({ naxis: [data.length], dtype, data });
}

describe.skipIf(!HAVE_FIXTURES)(HAVE_FIXTURES ? 'DESI readers on the real fixture files' : NO_FIXTURES_MESSAGE, () => {
  it.each(['REDSHIFTS', 'FIBERMAP', 'EXP_FIBERMAP', 'TSNR2'] as const)(
    'redrock %s by name: every column first/last value as astropy reads it',
    async (hdu) => {
      const exp = expected('redrock-special-dark-27247.fits').find((h) => h.name === hdu)!;
      const t = await readRedrock(REDROCK, { hdu });
      expect(t.numRows).toBe(exp.table!.nrows);
      expect(t.schema.fields.map((f) => f.name)).toEqual(exp.table!.columns.map((c) => c.name));
      for (const c of exp.table!.columns) {
        const col = t.getChild(c.name)!;
        const got = (i: number): unknown => cell(col.get(i));
        // int64 cells come back as bigint: compare the oracle's integers as bigints too
        const want = (v: unknown, like: unknown): unknown => {
          if (c.kind === 'string') return v;
          const big = typeof like === 'bigint' || (Array.isArray(like) && typeof like[0] === 'bigint');
          return big ? (Array.isArray(v) ? v.map((x) => BigInt(x as number)) : BigInt(v as number)) : normalise(v);
        };
        expect(got(0), `${hdu}.${c.name} first`).toEqual(want(c.first, got(0)));
        if (c.last !== undefined) expect(got(t.numRows - 1), `${hdu}.${c.name} last`).toEqual(want(c.last, got(t.numRows - 1)));
      }
    },
  );

  it('redrock column selection and TARGETID selection keep int64 exact', async () => {
    const z = await readRedrock(REDROCK, { columns: ['Z', 'TARGETID', 'ZWARN'], targetids: [TID] });
    expect(z.schema.fields.map((f) => f.name)).toEqual(['Z', 'TARGETID', 'ZWARN']);
    expect(z.getChild('TARGETID')!.get(0)).toBe(TID);
    expect(z.getChild('Z')!.get(0)).toBe(0.007269671851219614);
    expect((await readRedrock(REDROCK, { targetids: [TID + 1n] })).numRows).toBe(0);
    const exp = await readRedrock(REDROCK, { hdu: 'EXP_FIBERMAP', targetids: [TID], columns: ['TARGETID', 'EXPID'] });
    expect(exp.numRows).toBe(20);
  });

  it("coadd spectra by name: B/R/Z wavelength, flux, ivar, mask, resolution bytes equal astropy's", async () => {
    const hdus = expected('coadd-special-dark-27247.fits');
    const s = await readSpectra(COADD, { scores: true, expFibermap: true });
    expect(s.product).toBe('coadd');
    expect(s.bands).toEqual(['B', 'R', 'Z']);
    expect({ survey: s.survey, program: s.program, healpix: s.healpix, nspec: s.nspec }).toEqual({
      survey: 'special',
      program: 'dark',
      healpix: 27247,
      nspec: 1,
    });
    expect(s.targetids[0]).toBe(TID);
    for (const b of s.bands) {
      const arm = s.arms[b]!;
      const img = (n: string) => hdus.find((h) => h.name === `${b}_${n}`)!.image!;
      expect(sha(arm.wavelength, 'float64'), `${b} wavelength`).toBe(img('WAVELENGTH').sha256_be_bytes);
      expect(sha(arm.flux, 'float32'), `${b} flux`).toBe(img('FLUX').sha256_be_bytes);
      expect(sha(arm.ivar, 'float32'), `${b} ivar`).toBe(img('IVAR').sha256_be_bytes);
      expect(sha(arm.mask, 'uint32'), `${b} mask`).toBe(img('MASK').sha256_be_bytes);
      expect(sha(arm.resolution!, 'float32'), `${b} resolution`).toBe(img('RESOLUTION').sha256_be_bytes);
      expect(arm.ndiag).toBe(11);
      expect(arm.flux.length).toBe(arm.nwave);
    }
    expect(s.scores!.numRows).toBe(1);
    expect(s.expFibermap!.numRows).toBe(20);
    // the target sits in the healpix the file is named after
    const ra = s.fibermap.getChild('TARGET_RA')!.get(0) as number;
    const dec = s.fibermap.getChild('TARGET_DEC')!.get(0) as number;
    expect(ang2pixNest(64, ra, dec)).toBe(27247);
  });

  it('reads the same spectra from a gzipped copy of the coadd', async () => {
    const plain = await readSpectra(COADD, { bands: ['R'] });
    const dir = mkdtempSync(join(tmpdir(), 'skybook-desi-gz-'));
    const path = join(dir, 'coadd-special-dark-27247.fits.gz');
    writeFileSync(path, gzipSync(readFileSync(COADD)));
    const gz = await readSpectra(path, { bands: ['R'] }).finally(() => rmSync(dir, { recursive: true }));
    expect(gz.bands).toEqual(['R']);
    expect(Array.from(gz.arms.R!.flux)).toEqual(Array.from(plain.arms.R!.flux));
    expect(gz.healpix).toBe(27247);
  });

  it('spectra by row range and with chosen fibermap columns; bad ranges name the file', async () => {
    const s = await readSpectra(COADD, {
      rows: { start: 0, end: 1 },
      fibermapColumns: ['TARGET_RA', 'TARGET_DEC'],
      bands: ['Z'],
      resolution: false,
    });
    expect(s.fibermap.schema.fields.map((f) => f.name)).toEqual(['TARGETID', 'TARGET_RA', 'TARGET_DEC']);
    expect(s.bands).toEqual(['Z']);
    expect(s.arms.Z!.resolution).toBeUndefined();
    expect(s.arms.Z!.ndiag).toBe(11);
    await expect(readSpectra(COADD, { rows: { start: 0, end: 2 } })).rejects.toThrow(
      /coadd-special-dark-27247\.fits: HDU FIBERMAP: rows \[0, 2\) are outside the file's 1 spectra/,
    );
    await expect(readSpectra(COADD, { bands: ['X'] })).rejects.toThrow(/missing HDU 'X_WAVELENGTH'/);
  });

  it('TARGETID selection of spectra: absent ids give zero spectra with the arms still described', async () => {
    const none = await readSpectra(COADD, { targetids: [1n] });
    expect(none.nspec).toBe(0);
    expect(none.arms.B!.flux.length).toBe(0);
    expect(none.arms.B!.nwave).toBe(2751);
  });

  it('names the file, the expected HDU and what the file has when a product HDU is missing', async () => {
    await expect(readZcatalog(REDROCK)).rejects.toThrow(
      /redrock-special-dark-27247\.fits: missing HDU 'ZCATALOG' expected in a zcatalog file.*the file has: PRIMARY, REDSHIFTS, FIBERMAP, EXP_FIBERMAP, TSNR2/,
    );
    await expect(readSpectra(REDROCK)).rejects.toThrow(/no X_WAVELENGTH HDU/);
    await expect(readRedrock(COADD)).rejects.toThrow(/missing HDU 'REDSHIFTS'/);
    await expect(readRedrock(REDROCK, { columns: ['Z', 'NOPE'] })).rejects.toThrow(/HDU REDSHIFTS: missing column NOPE/);
  });
});

describe('zcatalog reader on a zall-pix-like file written here', () => {
  it('selects every row of the requested TARGETIDs (duplicates across surveys) in file order, with exact int64', async () => {
    const { Table, makeVector, vectorFromArray, Utf8, Bool } = await import('apache-arrow');
    const { writeFits } = await import('../../lib/fits/writer/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'skybook-zall-'));
    try {
      const big = 2n ** 60n + 12345n; // beyond 2^53: a number would round it
      const tids = BigInt64Array.from([big, 7n, big + 1n, big, 9n, big + 1n]);
      const n = tids.length;
      const path = join(dir, 'zall-pix-iron.fits');
      await writeFits(path, [
        { kind: 'image' },
        {
          kind: 'table',
          name: 'ZCATALOG',
          table: new Table({
            TARGETID: makeVector(tids),
            SURVEY: vectorFromArray(['main', 'main', 'sv3', 'sv1', 'main', 'main'], new Utf8()),
            Z: makeVector(Float64Array.from({ length: n }, (_, i) => i / 10)),
            ZERR: makeVector(new Float64Array(n)),
            ZWARN: makeVector(new BigInt64Array(n)),
            SPECTYPE: vectorFromArray(Array(n).fill('QSO'), new Utf8()),
            DELTACHI2: makeVector(new Float64Array(n).fill(50)),
            ZCAT_PRIMARY: vectorFromArray([true, true, false, false, true, true], new Bool()),
          }),
        },
      ]);
      const t = await readZcatalog(path, { targetids: [big + 1n, big], columns: ['TARGETID', 'SURVEY', 'ZCAT_PRIMARY'] });
      expect(Array.from(t.getChild('TARGETID')!.toArray() as BigInt64Array)).toEqual([big, big + 1n, big, big + 1n]);
      expect(Array.from({ length: t.numRows }, (_, i) => t.getChild('SURVEY')!.get(i))).toEqual(['main', 'sv3', 'sv1', 'main']);
      expect(Array.from({ length: t.numRows }, (_, i) => t.getChild('ZCAT_PRIMARY')!.get(i))).toEqual([true, false, false, true]);
      const rows = await readZcatalog(path, { rows: { start: 4, end: 6 }, columns: ['Z'] });
      expect(Array.from(rows.getChild('Z')!.toArray() as Float64Array)).toEqual([0.4, 0.5]);
      await expect(readZcatalog(path, { targetids: [big], rows: { start: 0, end: 1 } })).rejects.toThrow(/either targetids or rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
