import type { StitchedSpectra } from '../desi/index.js';
import { QuasarError } from '../errors/index.js';
import { type LogLambdaGrid, ML_GRID } from './log-lambda-grid.js';
import { normaliseRow } from './normalise-row.js';
import { resampleToRest } from './rest-frame-resample.js';

/**
 * Rows of the ML matrix: one per spectrum, `npix` rest pixels each, row-major. Flux is normalised (divided by
 * `scale`, in the input's flux units per rest Angstrom) and ivar scaled to match; mask holds ML_MASK bits (0 = good).
 *
 * @example
 * const m: MlMatrix = mlMatrixFromStitched(stitched, targetids, redshifts);
 * m.flux.subarray(r * m.npix, (r + 1) * m.npix); // row r
 */
export interface MlMatrix {
  targetid: BigInt64Array;
  /** The rest-frame grid of the columns (npix = grid.npix). */
  grid: LogLambdaGrid;
  npix: number;
  flux: Float32Array;
  ivar: Float32Array;
  mask: Uint8Array;
  /** The normalisation of each row (NaN where the row could not be normalised). */
  scale: Float64Array;
}

/**
 * Options of {@link mlMatrixFromStitched}.
 *
 * @example
 * mlMatrixFromStitched(s, ids, z, { grid: logLambdaGrid({ start: 1200, end: 3000, dlog10: 1e-4 }) });
 */
export interface MlMatrixOptions {
  /** The rest-frame grid (default ML_GRID). */
  grid?: LogLambdaGrid;
}

/**
 * The ML matrix of a set of stitched spectra (lib/desi's `stitchArms`): each row moved to the rest frame at its
 * redshift, resampled flux-conservingly onto the grid (resampleToRest) and normalised (normaliseRow).
 * `targetid` and `z` are per row of the spectra.
 *
 * @example
 * const s = stitchArms(await readSpectra('coadd-main-dark-27247.fits'));
 * const m = mlMatrixFromStitched(s, fibermap.TARGETID, redrock.Z);
 */
export function mlMatrixFromStitched(
  spectra: StitchedSpectra,
  targetid: BigInt64Array,
  z: ArrayLike<number>,
  options: MlMatrixOptions = {},
): MlMatrix {
  const grid = options.grid ?? ML_GRID;
  const { nspec, nwave } = spectra;
  if (targetid.length !== nspec || z.length !== nspec)
    throw new QuasarError(`${nspec} spectra but ${targetid.length} TARGETIDs and ${z.length} redshifts`, {
      scope: 'mlMatrixFromStitched',
    });
  const m = emptyMlMatrix(nspec, grid);
  m.targetid.set(targetid);
  for (let r = 0; r < nspec; r++) {
    const at = r * nwave;
    const zr = z[r]!;
    if (!(zr > -1) || !Number.isFinite(zr))
      throw new QuasarError(`TARGETID ${targetid[r]}: invalid redshift ${zr}`, { scope: 'mlMatrixFromStitched', row: r });
    const rest = resampleToRest(
      spectra.wavelength,
      spectra.flux.subarray(at, at + nwave),
      spectra.ivar.subarray(at, at + nwave),
      spectra.mask.subarray(at, at + nwave),
      zr,
      grid,
    );
    m.scale[r] = normaliseRow(rest);
    m.flux.set(rest.flux, r * grid.npix);
    m.ivar.set(rest.ivar, r * grid.npix);
    m.mask.set(rest.mask, r * grid.npix);
  }
  return m;
}

/**
 * An ML matrix of `nrows` rows on `grid`, all zero.
 *
 * @example
 * const m = emptyMlMatrix(1000, ML_GRID);
 */
export function emptyMlMatrix(nrows: number, grid: LogLambdaGrid = ML_GRID): MlMatrix {
  const npix = grid.npix;
  return {
    targetid: new BigInt64Array(nrows),
    grid,
    npix,
    flux: new Float32Array(nrows * npix),
    ivar: new Float32Array(nrows * npix),
    mask: new Uint8Array(nrows * npix),
    scale: new Float64Array(nrows),
  };
}

/**
 * The rows of several ML matrix batches (on one grid) as one matrix, in order: what PCA needs, since it fits all rows
 * at once, and what readMlMatrix streams in batches.
 *
 * @example
 * const parts: MlMatrix[] = [];
 * for await (const m of readMlMatrix('matrix.parquet')) parts.push(m);
 * const all = concatMlMatrix(parts);
 */
export function concatMlMatrix(parts: readonly MlMatrix[]): MlMatrix {
  if (parts.length === 0) return emptyMlMatrix(0);
  const grid = parts[0]!.grid;
  for (const [k, m] of parts.entries())
    if (m.npix !== grid.npix || m.grid.log10Start !== grid.log10Start || m.grid.dlog10 !== grid.dlog10)
      throw new QuasarError(`batch ${k} is on another grid (${m.npix} pixels from log10 ${m.grid.log10Start}) than batch 0`, {
        scope: 'concatMlMatrix',
      });
  const n = parts.reduce((s, m) => s + m.targetid.length, 0);
  const out = emptyMlMatrix(n, grid);
  let r = 0;
  for (const m of parts) {
    out.targetid.set(m.targetid, r);
    out.flux.set(m.flux, r * out.npix);
    out.ivar.set(m.ivar, r * out.npix);
    out.mask.set(m.mask, r * out.npix);
    out.scale.set(m.scale, r);
    r += m.targetid.length;
  }
  return out;
}
