import { DesiError, FitsError } from '../../errors/index.js';
import { type FitsFile, type HduInfo, type ImageArray, imageAxes, type OpenSourceOptions } from '../../fits/index.js';
import type { ArmSpectra, Spectra } from '../spectra/spectra.js';
import { findHdu, requireColumns, requireHdu, withFits, type DesiInput } from './open.js';
import { RowReader, type RowsRequest } from './image-rows.js';
import { primaryMeta } from './primary-meta.js';
import { rowsForTargetids, toRuns, type RowRun } from './rows.js';
import { readNamedTable, readTableRuns } from './table.js';

/**
 * What to read from a coadd or spectra file.
 *
 * @example
 * await readSpectra(path, { targetids: [39627745623525818n], bands: ['B'], resolution: false } satisfies ReadSpectraOptions);
 */
export interface ReadSpectraOptions {
  /** Only the spectra of these TARGETIDs (file order; per-exposure files keep every exposure of each). */
  targetids?: Iterable<bigint>;
  /** Or a range [start, end) of spectra. */
  rows?: { start?: number; end?: number };
  /** Arms to read (default every X with an X_WAVELENGTH HDU). */
  bands?: readonly string[];
  /** Read X_RESOLUTION (default true; it is 11x the flux size). */
  resolution?: boolean;
  /** Also read the matching EXP_FIBERMAP rows (coadds) and SCORES rows. Default false. */
  expFibermap?: boolean;
  scores?: boolean;
  /** FIBERMAP columns to read (default all; TARGETID is always read). */
  fibermapColumns?: readonly string[];
  /** Options for opening a path or URL (HTTP retries, read-ahead, S3 endpoint ...). */
  open?: OpenSourceOptions;
}

// One spectrum's FLUX row is ~11 KB; the 64 KiB default read-ahead of HTTP sources would fetch 6x that per row.
const SPECTRA_READ_AHEAD = 16 * 1024;

const WHAT = 'a DESI coadd or spectra file (FIBERMAP, X_WAVELENGTH/FLUX/IVAR/MASK/RESOLUTION per camera X)';

/** Camera names X of every X_WAVELENGTH HDU, in file order. @example armsOf(f); // ['B', 'R', 'Z'] */
export function armsOf(f: FitsFile): string[] {
  return f.hdus.map((h) => /^(.+)_WAVELENGTH$/i.exec(h.name)?.[1]?.toUpperCase()).filter((x): x is string => x !== undefined);
}

/**
 * Reads spectra from a DESI coadd or spectra file (also gzipped, also over HTTP or S3) by HDU name. With `targetids`
 * or `rows`, only those spectra's rows of the FLUX/IVAR/MASK/RESOLUTION images are read (one range read per run of
 * consecutive spectra per HDU), so a few spectra from a remote coadd cost a few small requests.
 *
 * @example
 * const s = await readSpectra('https://data.desi.lbl.gov/public/dr1/.../coadd-main-dark-27247.fits',
 *   { targetids: [39627745623525818n], resolution: false });
 */
export function readSpectra(input: DesiInput, opts: ReadSpectraOptions = {}): Promise<Spectra> {
  return withFits(input, (f) => readSpectraFrom(f, opts), { readAheadBytes: SPECTRA_READ_AHEAD, ...opts.open });
}

async function readSpectraFrom(f: FitsFile, opts: ReadSpectraOptions): Promise<Spectra> {
  const fmHdu = requireHdu(f, 'FIBERMAP', WHAT);
  requireColumns(f, fmHdu, ['TARGETID']);
  const available = armsOf(f);
  if (available.length === 0)
    throw new FitsError(`no X_WAVELENGTH HDU: not ${WHAT}; the file has: ${f.hdus.map((h) => h.name).join(', ')}`, { file: f.name });
  const bands = (opts.bands ?? available).map((b) => b.toUpperCase());
  for (const b of bands) if (!available.includes(b)) requireHdu(f, `${b}_WAVELENGTH`, WHAT);
  const ntotal = fmHdu.header.int('NAXIS2');
  const runs = await selectRuns(f, fmHdu, ntotal, opts);
  const fmCols = opts.fibermapColumns ? ['TARGETID', ...opts.fibermapColumns.filter((c) => c.toUpperCase() !== 'TARGETID')] : undefined;
  if (fmCols) requireColumns(f, fmHdu, fmCols);
  const plans = planArms(f, bands, ntotal, opts.resolution ?? true);
  const wanted = plans.flatMap((p) => p.wanted);
  const rr = await RowReader.open(f);
  let fibermap: Awaited<ReturnType<typeof readTableRuns>>;
  let arms: Record<string, ArmSpectra>;
  try {
    // From a local file other threads start on the image rows now (native ones, or a worker), while this thread reads FIBERMAP.
    const pending = rr.startRows(wanted, runs, FIBERMAP_BUSY_BYTES);
    const wavelengths: Float64Array[] = [];
    try {
      fibermap = await readTableRuns(f, fmHdu.index, runs, fmCols);
      for (const p of plans) wavelengths.push(toFloat64((await f.readImage(p.wave.index)).data));
    } catch (e) {
      await pending.cancel();
      throw e;
    }
    const fast = await pending.finish();
    const arrays = new Map<Wanted, Float32Array | Uint32Array>();
    for (let i = 0; i < wanted.length; i++) arrays.set(wanted[i]!, fast[i] ?? (await decodeRows(f, wanted[i]!, runs)));
    arms = {};
    plans.forEach((p, k) => {
      const get = (what: string) => arrays.get(p.wanted.find((w) => w.what === what)!);
      const arm: ArmSpectra = {
        wavelength: wavelengths[k]!,
        nwave: p.nwave,
        flux: get('FLUX') as Float32Array,
        ivar: get('IVAR') as Float32Array,
        mask: get('MASK') as Uint32Array,
        ndiag: p.ndiag,
      };
      if (p.wanted.some((w) => w.what === 'RESOLUTION')) arm.resolution = get('RESOLUTION') as Float32Array;
      arms[p.band] = arm;
    });
  } finally {
    await rr.close();
  }
  const targetids = fibermap.getChild('TARGETID')!.toArray() as BigInt64Array;
  const out: Spectra = {
    product: findHdu(f, 'EXP_FIBERMAP') ? 'coadd' : 'spectra',
    nspec: targetids.length,
    targetids,
    bands,
    arms,
    fibermap,
    source: f.name,
    ...primaryMeta(f, 'FIBERMAP'),
  };
  if (opts.expFibermap && findHdu(f, 'EXP_FIBERMAP')) {
    const sel = opts.targetids !== undefined || opts.rows !== undefined;
    out.expFibermap = await readNamedTable(f, 'EXP_FIBERMAP', WHAT, sel ? { targetids: new Set(targetids) } : {});
  }
  if (opts.scores) {
    const sc = requireHdu(f, 'SCORES', WHAT);
    out.scores = await readTableRuns(f, sc.index, runs);
  }
  return out;
}

async function selectRuns(f: FitsFile, fm: HduInfo, ntotal: number, opts: ReadSpectraOptions): Promise<RowRun[]> {
  if (opts.targetids !== undefined && opts.rows !== undefined)
    throw new DesiError('give either targetids or rows, not both', { file: f.name });
  if (opts.targetids !== undefined) return toRuns(await rowsForTargetids(f, fm, opts.targetids));
  const start = opts.rows?.start ?? 0;
  const end = opts.rows?.end ?? ntotal;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > ntotal || start > end) {
    throw new FitsError(`rows [${start}, ${end}) are outside the file's ${ntotal} spectra`, { file: f.name, hdu: 'FIBERMAP' });
  }
  return start === end ? [] : [{ start, end }];
}

type Ctor<T> = { new (n: number): T; from(a: ArrayLike<number>): T };
type Wanted = RowsRequest & { what: string; ctor: Ctor<Float32Array> | Ctor<Uint32Array> };
interface ArmPlan {
  band: string;
  wave: HduInfo;
  nwave: number;
  ndiag: number;
  wanted: Wanted[];
}

/** About what reading 1,000 FIBERMAP rows costs this thread, in bytes of image rows it could gather meanwhile. */
const FIBERMAP_BUSY_BYTES = 48 * 2 ** 20;

/** Each arm's images to read (FLUX, IVAR, MASK, and RESOLUTION unless not wanted), checked against the headers. */
function planArms(f: FitsFile, bands: readonly string[], ntotal: number, withRes: boolean): ArmPlan[] {
  return bands.map((band) => {
    const wave = requireHdu(f, `${band}_WAVELENGTH`, WHAT);
    const nwave = imageAxes(wave).reduce((a, b) => a * b, 1);
    const wanted = [
      image(f, band, 'FLUX', nwave, ntotal, Float32Array),
      image(f, band, 'IVAR', nwave, ntotal, Float32Array),
      image(f, band, 'MASK', nwave, ntotal, Uint32Array),
    ];
    let ndiag = 0;
    const resHdu = findHdu(f, `${band}_RESOLUTION`);
    if (resHdu) {
      ndiag = imageAxes(resHdu)[1] ?? 0;
      if (withRes) wanted.push(image(f, band, 'RESOLUTION', nwave * ndiag, ntotal, Float32Array));
    }
    return { band, wave, nwave, ndiag, wanted };
  });
}

/** Image X_WHAT, checked to hold `ntotal` rows of `perRow` values. */
function image(
  f: FitsFile,
  band: string,
  what: string,
  perRow: number,
  ntotal: number,
  ctor: Ctor<Float32Array> | Ctor<Uint32Array>,
): Wanted {
  const hdu = requireHdu(f, `${band}_${what}`, WHAT);
  const axes = imageAxes(hdu);
  const rows = axes[axes.length - 1] ?? 0;
  const per = axes.slice(0, -1).reduce((a, b) => a * b, 1);
  if (rows !== ntotal || per !== perRow) {
    throw new FitsError(`image shape [${axes.join(', ')}] does not match ${ntotal} FIBERMAP rows x ${perRow} values per spectrum`, {
      file: f.name,
      hdu: hdu.name,
    });
  }
  return { hdu, perRow, ctor: ctor as unknown as Wanted['ctor'] & RowsRequest['ctor'], what };
}

/** Any other storage (another BITPIX, BSCALE): decoded per run by lib/fits into the wanted array type. */
async function decodeRows(f: FitsFile, w: Wanted, runs: readonly RowRun[]): Promise<Float32Array | Uint32Array> {
  const nsel = runs.reduce((n, r) => n + r.end - r.start, 0);
  const ctor = w.ctor as Ctor<Float32Array | Uint32Array>;
  const out = new ctor(nsel * w.perRow);
  let at = 0;
  for (const run of runs) {
    const img = await f.readImage(w.hdu.index, { rows: run });
    out.set(coerce(img.data, ctor), at);
    at += img.data.length;
  }
  return out;
}

/** Same values in the wanted array type; a signed int32 mask is reinterpreted bit for bit as uint32. */
function coerce<T extends Float32Array | Uint32Array>(a: ImageArray, ctor: Ctor<T>): T {
  if (a instanceof (ctor as unknown as typeof Float32Array)) return a as unknown as T;
  if ((ctor as unknown) === Uint32Array && a instanceof Int32Array) return new Uint32Array(a.buffer, a.byteOffset, a.length) as T;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return ctor.from(Array.from(a, (v) => Number(BigInt.asUintN(32, v))));
  return ctor.from(a);
}

function toFloat64(a: ImageArray): Float64Array {
  if (a instanceof Float64Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return Float64Array.from(a, Number);
  return Float64Array.from(a);
}
