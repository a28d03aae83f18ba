import { progressOf, type Progress } from '../core/index.js';
import { FitsError } from '../errors/index.js';
import { basename } from 'node:path';
import { describeColumns, type FitsFile, type HduInfo } from '../fits/index.js';
import { findHdu, requireColumns, requireHdu, withFits, type DesiInput } from './read/open.js';
import { primaryMeta } from './read/primary-meta.js';
import { armsOf } from './read/spectra.js';
import { REQUIRED_REDSHIFT_COLUMNS } from './read/catalogs.js';

/**
 * The kinds of file `skybook desi info` recognises.
 *
 * @example
 * const p: DesiProduct = detectProduct(fits) ?? 'coadd';
 */
export type DesiProduct = 'zcatalog' | 'redrock' | 'coadd' | 'spectra' | 'sdss-spec';

/**
 * What `skybook desi info --json` prints. TARGETIDs are strings (int64 beyond 2^53).
 *
 * @example
 * const { product, nspec, arms } = await desiInfo('coadd-main-dark-27247.fits');
 */
export interface DesiInfo {
  file: string;
  product: DesiProduct;
  survey: string | null;
  program: string | null;
  healpix: number | null;
  nspec: number;
  targetids: string[];
  arms: Record<string, { nwave: number; wmin: number; wmax: number }>;
  columns: string[];
  /** A zcatalog's contents (absent for other products), from a scan of its SURVEY, PROGRAM and HEALPIX columns. */
  catalog?: CatalogSummary;
}

/**
 * What a zcatalog holds: its rows, the surveys and programs present with their row counts (from the SURVEY and PROGRAM
 * columns; a zcatalog without the column counts every row under its header's or file name's value), and the range
 * of its HEALPIX column (null without one).
 *
 * @example
 * const { rows, surveys, programs, healpix } = (await desiInfo('zall-pix-iron.fits')).catalog!; // surveys { main: 1500, sv3: 200 }
 */
export interface CatalogSummary {
  rows: number;
  surveys: Record<string, number>;
  programs: Record<string, number>;
  healpix: { min: number; max: number } | null;
}

/**
 * Which DESI product a file is, from its HDU names: ZCATALOG -> zcatalog; REDSHIFTS -> redrock; FIBERMAP and
 * X_WAVELENGTH -> coadd when it has EXP_FIBERMAP (coadds split per-exposure rows out), else spectra; COADD and
 * SPECOBJ (or BOSS's SPALL) -> sdss-spec. Undefined for anything else.
 *
 * @example
 * detectProduct(await openFits('redrock-main-dark-27247.fits')); // 'redrock'
 */
export function detectProduct(f: FitsFile): DesiProduct | undefined {
  // catalogue HDUs must be binary tables: redrock's template files, for one, have an IMAGE named REDSHIFTS
  const table = (name: string): boolean => findHdu(f, name)?.type === 'BINTABLE';
  if (table('ZCATALOG')) return 'zcatalog';
  if (table('REDSHIFTS')) return 'redrock';
  if (table('FIBERMAP') && armsOf(f).length > 0) return findHdu(f, 'EXP_FIBERMAP') ? 'coadd' : 'spectra';
  if (table('COADD') && (table('SPECOBJ') || table('SPALL'))) return 'sdss-spec';
  return undefined;
}

const MAIN_HDU: Record<DesiProduct, string> = {
  zcatalog: 'ZCATALOG',
  redrock: 'REDSHIFTS',
  coadd: 'FIBERMAP',
  spectra: 'FIBERMAP',
  'sdss-spec': 'COADD',
};

/**
 * Summarises a DESI (or SDSS spec) file: product, survey/program/healpix, number of spectra, the first five
 * TARGETIDs, per-arm wavelength ranges and the main table's columns (ZCATALOG, REDSHIFTS, FIBERMAP, or COADD for
 * SDSS). Reads headers, five TARGETIDs and the wavelength HDUs, and for a zcatalog its SURVEY, PROGRAM and HEALPIX
 * columns ({@link CatalogSummary}: a scan of every row, reported to `progress`). A file that is none of these is bad
 * input.
 *
 * @example
 * const info = await desiInfo('coadd-main-dark-27247.fits'); // { product: 'coadd', nspec: 512, arms: { B: {...} } ... }
 */
export function desiInfo(input: DesiInput, opts: { progress?: Progress | false } = {}): Promise<DesiInfo> {
  return withFits(input, async (f) => {
    const product = detectProduct(f);
    if (!product) {
      throw new FitsError(
        'not a DESI product: expected a BINTABLE HDU ZCATALOG (zcatalog), REDSHIFTS (redrock), FIBERMAP with X_WAVELENGTH/FLUX/IVAR ' +
          `images (coadd, spectra) or COADD with SPECOBJ (SDSS spec); the file has: ${f.hdus.map((h) => `${h.name || `#${h.index}`} (${h.type})`).join(', ')}`,
        { file: f.name },
      );
    }
    const main = requireHdu(f, MAIN_HDU[product], `a ${product} file`);
    const meta = primaryMeta(f, main.name);
    const info: DesiInfo = {
      file: f.name,
      product,
      survey: meta.survey ?? null,
      program: meta.program ?? null,
      healpix: meta.healpix ?? null,
      nspec: 0,
      targetids: [],
      arms: {},
      columns: describeColumns(main.header).map((c) => c.name),
    };
    if (product === 'sdss-spec') {
      requireColumns(f, main, ['loglam', 'flux', 'ivar', 'and_mask']);
      const so = await f.readTable(findHdu(f, 'SPECOBJ') ? 'SPECOBJ' : 'SPALL', { rows: { start: 0, end: 1 } });
      const id = so.getChild('SPECOBJID')?.get(0);
      // SDSS primary headers use PROGRAM for other things: take survey and program from SPECOBJ
      const text = (col: string): string | null => {
        const v = so.getChild(col)?.get(0);
        return typeof v === 'string' && v.trim() ? v.trim() : null;
      };
      info.survey = text('SURVEY');
      info.program = text('PROGRAMNAME');
      info.healpix = null;
      info.nspec = 1;
      info.targetids = id === undefined || id === null ? [] : [String(id).trim()];
      const loglam = (await f.readTable(main.index, { columns: ['loglam'] })).getChild('loglam')!.toArray() as Float32Array;
      if (loglam.length) info.arms.SDSS = { nwave: loglam.length, wmin: 10 ** loglam[0]!, wmax: 10 ** loglam[loglam.length - 1]! };
      return info;
    }
    requireColumns(f, main, product === 'zcatalog' || product === 'redrock' ? REQUIRED_REDSHIFT_COLUMNS : ['TARGETID']);
    info.nspec = main.header.int('NAXIS2');
    const first = await f.readTable(main.index, { columns: ['TARGETID'], rows: { start: 0, end: Math.min(5, info.nspec) } });
    info.targetids = Array.from(first.getChild('TARGETID')!.toArray() as BigInt64Array, (t) => t.toString());
    if (product === 'zcatalog') info.catalog = await catalogSummary(f, main, meta, opts.progress);
    for (const arm of armsOf(f)) {
      for (const part of ['FLUX', 'IVAR']) requireHdu(f, `${arm}_${part}`, `a ${product} file`);
      const w = (await f.readImage(`${arm}_WAVELENGTH`)).data;
      info.arms[arm] = { nwave: w.length, wmin: Number(w[0]), wmax: Number(w[w.length - 1]) };
    }
    return info;
  });
}

/** Counts a zcatalog's surveys and programs and finds its HEALPIX range in one pass over those columns. */
async function catalogSummary(
  f: FitsFile,
  main: HduInfo,
  meta: { survey?: string; program?: string },
  progressOption: Progress | false | undefined,
): Promise<CatalogSummary> {
  const rows = main.header.int('NAXIS2');
  const have = new Set(describeColumns(main.header).map((c) => c.name.toUpperCase()));
  const columns = ['SURVEY', 'PROGRAM', 'HEALPIX'].filter((c) => have.has(c));
  const surveys = new Map<string, number>();
  const programs = new Map<string, number>();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  if (columns.length && rows > 0) {
    const progress = progressOf(progressOption);
    progress.start({ label: `desi info ${basename(f.name)}`, total: rows, unit: 'rows' });
    try {
      for await (const batch of f.readBatches(main.index, { columns })) {
        const count = (name: string, into: Map<string, number>) => {
          const v = batch.getChild(name);
          if (!v) return;
          for (let i = 0; i < batch.numRows; i++) {
            const key = String(v.get(i) ?? '').trim() || '(blank)';
            into.set(key, (into.get(key) ?? 0) + 1);
          }
        };
        count('SURVEY', surveys);
        count('PROGRAM', programs);
        const pix = batch.getChild('HEALPIX');
        if (pix)
          for (let i = 0; i < batch.numRows; i++) {
            const p = Number(pix.get(i));
            if (p < min) min = p;
            if (p > max) max = p;
          }
        progress.advance(batch.numRows);
      }
    } finally {
      progress.finish();
    }
  }
  // without the column, every row is the header's (or file name's) survey and program
  if (!have.has('SURVEY') && meta.survey !== undefined && rows > 0) surveys.set(meta.survey, rows);
  if (!have.has('PROGRAM') && meta.program !== undefined && rows > 0) programs.set(meta.program, rows);
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { rows, surveys: sorted(surveys), programs: sorted(programs), healpix: min <= max ? { min, max } : null };
}
