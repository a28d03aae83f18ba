import { QuasarError } from '../errors/index.js';
import type { LogLambdaGrid } from './log-lambda-grid.js';

/**
 * Why a rest pixel of the ML matrix is masked (bits of its uint8 MASK; 0 = good).
 *
 * @example
 * (mask[j]! & ML_MASK.NOT_COVERED) !== 0; // outside the observed range
 */
export const ML_MASK = {
  /** A contributing observed pixel was masked, had ivar 0 or a non-finite flux. */
  BAD_PIXEL: 1,
  /** The observed spectrum does not cover the whole rest pixel. */
  NOT_COVERED: 2,
  /** The spectrum has no usable normalisation (see normaliseRow): the whole row is masked. */
  NO_SCALE: 4,
} as const;

/**
 * One spectrum on a rest-frame grid: flux density per rest Angstrom, its inverse variance and the ML_MASK bits.
 *
 * @example
 * const { flux, ivar, mask }: RestGridSpectrum = resampleToRest(wave, f, iv, m, 2.1, ML_GRID);
 */
export interface RestGridSpectrum {
  flux: Float64Array;
  ivar: Float64Array;
  mask: Uint8Array;
}

/**
 * Moves one observed spectrum to the rest frame and onto `grid`, conserving flux: each rest pixel's flux density is
 * the mean of the observed pixels it covers (pixel edges halfway between centres), each weighted by its overlap
 * times its ivar, with f_rest = (1 + z) f_obs so that the integral over wavelength is the same in both frames; where
 * the ivars are equal this is the overlap-weighted integral over the pixel's width. Weighting by ivar as desispec's
 * resample_flux does: a rest pixel spans ~3 DESI pixels, and with overlap weights alone one pixel on a sky line
 * gave the whole rest pixel its variance (on mock spectra, whose red arms carry a comb of sky lines every 5.8 A, every
 * other rest pixel there had ~1/8 of its neighbours' ivar, and an absorber's doublet read at half its S/N). The
 * variance is propagated through the same linear weights (sum of a^2 var) and ivar is its inverse, so correlated
 * neighbours are not double-counted within a pixel. A rest pixel is masked when any observed pixel touching it is bad
 * (mask != 0, ivar <= 0 or flux not finite) or when the observed range does not cover it completely; masked pixels
 * have flux 0 and ivar 0. `wave` must increase (DESI's stitched grid does).
 *
 * @example
 * const rest = resampleToRest(stitched.wavelength, flux, ivar, mask, 2.1, ML_GRID);
 */
export function resampleToRest(
  wave: Float64Array,
  flux: ArrayLike<number>,
  ivar: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  z: number,
  grid: LogLambdaGrid,
): RestGridSpectrum {
  const n = wave.length;
  if (flux.length !== n || ivar.length !== n || (mask && mask.length !== n))
    throw new QuasarError(
      `arrays differ in length: wave ${n}, flux ${flux.length}, ivar ${ivar.length}${mask ? `, mask ${mask.length}` : ''}`,
      { scope: 'resampleToRest' },
    );
  if (!(z > -1) || !Number.isFinite(z)) throw new QuasarError(`invalid redshift: ${z}`, { scope: 'resampleToRest' });
  const { npix } = grid;
  const out: RestGridSpectrum = { flux: new Float64Array(npix), ivar: new Float64Array(npix), mask: new Uint8Array(npix) };
  if (n < 2) {
    out.mask.fill(ML_MASK.NOT_COVERED);
    return out;
  }
  const opz = 1 + z;
  // Observed pixel edges in the rest frame: halfway between centres, the outer ones half a step beyond.
  const edge = new Float64Array(n + 1);
  edge[0] = (1.5 * wave[0]! - 0.5 * wave[1]!) / opz;
  for (let i = 1; i < n; i++) edge[i] = (0.5 * (wave[i - 1]! + wave[i]!)) / opz;
  edge[n] = (1.5 * wave[n - 1]! - 0.5 * wave[n - 2]!) / opz;
  const gridEdge = edgesOf(grid);
  let i = 0;
  for (let j = 0; j < npix; j++) {
    const lo = gridEdge[j]!;
    const hi = gridEdge[j + 1]!;
    if (lo < edge[0]! || hi > edge[n]!) {
      out.mask[j] = ML_MASK.NOT_COVERED;
      continue;
    }
    while (edge[i + 1]! <= lo) i++;
    // Sums over the observed pixels overlapping this rest pixel: overlap x ivar, its square over ivar, x flux.
    let w = 0;
    let w2 = 0;
    let wf = 0;
    let bad = false;
    for (let k = i; k < n && edge[k]! < hi; k++) {
      const overlap = Math.min(hi, edge[k + 1]!) - Math.max(lo, edge[k]!);
      if (overlap <= 0) continue;
      const fk = flux[k]!;
      const ik = ivar[k]!;
      if ((mask && mask[k] !== 0) || !(ik > 0) || !Number.isFinite(fk)) {
        bad = true;
        break;
      }
      w += overlap * ik;
      w2 += overlap * overlap * ik;
      wf += overlap * ik * fk;
    }
    if (bad || !(w > 0)) {
      out.mask[j] = ML_MASK.BAD_PIXEL;
      continue;
    }
    // f_rest d(lambda_rest) = f_obs d(lambda_obs): the rest flux density is (1 + z) times the observed one.
    out.flux[j] = (opz * wf) / w;
    out.ivar[j] = (w * w) / (opz * opz * w2);
  }
  return out;
}

/** Each grid's pixel edges, 10^(log10Start + (j - 1/2) dlog10) for j = 0..npix, computed once: every row needs them. */
const EDGES = new WeakMap<LogLambdaGrid, Float64Array>();
function edgesOf(grid: LogLambdaGrid): Float64Array {
  let e = EDGES.get(grid);
  if (!e) {
    e = new Float64Array(grid.npix + 1);
    for (let j = 0; j <= grid.npix; j++) e[j] = 10 ** (grid.log10Start + (j - 0.5) * grid.dlog10);
    EDGES.set(grid, e);
  }
  return e;
}
