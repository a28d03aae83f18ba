import { leastSquares, type LeastSquaresModel } from './fit/least-squares.js';
import type { RestSpectrum } from './rest-frame.js';

/**
 * Line-free rest-frame windows (Angstrom) for the continuum, after the set PyQSOFit and Shen et al. (2011) use; the
 * window in the Lya forest (1150-1170) is left out, since the forest absorbs it.
 *
 * @example
 * CONTINUUM_WINDOWS.find(([lo, hi]) => lo <= 5100 && 5100 <= hi); // [5100, 5535]
 */
export const CONTINUUM_WINDOWS: readonly (readonly [number, number])[] = [
  [1275, 1290],
  [1350, 1360],
  [1445, 1465],
  [1690, 1705],
  [1770, 1810],
  [1970, 2400],
  [2480, 2675],
  [2925, 3400],
  [3775, 3832],
  [4000, 4050],
  [4200, 4230],
  [4435, 4640],
  [5100, 5535],
  [6005, 6035],
  [6110, 6250],
  [6800, 7000],
  [7160, 7180],
  [7500, 7800],
  [8050, 8150],
];

/**
 * A fitted continuum: power law norm * (lambda / 3000)^slope (rest-frame flux units) plus `feScale` times the Fe II
 * template when one was given, with the fit covariance over [norm, slope, feScale].
 *
 * @example
 * const c: ContinuumFit = fitContinuum(rest, use);
 * powerLaw(c, 5100); // continuum at 5100 A
 */
export interface ContinuumFit {
  norm: number;
  slope: number;
  /** 0 without a template. */
  feScale: number;
  /** 3 x 3 row-major over [norm, slope, feScale] (NaN for feScale without a template). */
  covariance: Float64Array;
  /** chi2 over the binned points the fit used (up to 32 neighbouring pixels each, 4 with an Fe II template). */
  chi2: number;
  /** Pixels the final fit used. */
  npix: number;
}

const LN_3000 = Math.log(3000);

/**
 * exp(t) for a small step, |t| < 1e-2, by its series to t^4 (exact to ~1e-15): a power law stepped from pixel to
 * neighbouring pixel multiplies by this instead of calling exp at every pixel, which was most of those loops' cost.
 *
 * @example
 * expSmall(1e-3); // 1.0010005001667084
 */
export function expSmall(t: number): number {
  return 1 + t * (1 + (t / 2) * (1 + (t / 3) * (1 + t / 4)));
}

/**
 * Window pixels combined into one point of the continuum fit: a power law is smooth over 1% in wavelength (its mean
 * over such a bin differs from its value at the bin's mean ln lambda by ~1e-5), so up to 32 pixels; an Fe II
 * template has structure on ~1,000 km/s scales, so with one only 4.
 */
const BIN_POWER_LAW = 32;
const BIN_WITH_FE = 4;

/**
 * Pixels needed in the windows for a continuum fit.
 *
 * @example
 * if (npix < MIN_CONTINUUM_PIXELS) return undefined;
 */
export const MIN_CONTINUUM_PIXELS = 10;

/**
 * The power-law part of a continuum at rest wavelength `lam`.
 *
 * @example
 * powerLaw({ norm: 2, slope: -1.5 }, 3000); // 2
 */
export function powerLaw(c: Pick<ContinuumFit, 'norm' | 'slope'>, lam: number): number {
  return c.norm * (lam / 3000) ** c.slope;
}

/**
 * Fits the continuum by weighted least squares over the good pixels (`use` = 1) of {@link CONTINUUM_WINDOWS}:
 * started from a straight-line fit of ln f against ln lambda, then one pass that drops pixels more than 4 sigma off
 * (sky residuals, narrow absorbers) and refits. `fe` holds the Fe II template at `rest.wave` (or undefined).
 * Returns undefined with fewer than {@link MIN_CONTINUUM_PIXELS} usable pixels.
 *
 * @example
 * const c = fitContinuum(rest, rest.good, undefined);
 */
export function fitContinuum(rest: RestSpectrum, use: Uint8Array, fe: Float64Array | undefined): ContinuumFit | undefined {
  let idx = windowPixels(rest, use);
  if (idx.length < MIN_CONTINUUM_PIXELS) return undefined;
  let fit = fitOnce(rest, idx, fe, undefined);
  if (!fit) return undefined;
  if (kept.length < idx.length) kept = new Int32Array(idx.length);
  let nkeep = 0;
  const { lnWave, flux, ivar } = rest;
  const { norm, slope, feScale } = fit;
  // The power law from pixel to neighbouring pixel by a short series for exp(slope dln), exact to ~1e-15 per step
  // (|slope dln| < 1e-2), a fresh exp at each window's first pixel: a call to exp per pixel was most of this loop.
  let pl = 0;
  let prev = -2;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (i === prev + 1) {
      const t = slope * (lnWave[i]! - lnWave[prev]!);
      pl *= expSmall(t);
    } else pl = Math.exp(slope * (lnWave[i]! - LN_3000));
    prev = i;
    const d = flux[i]! - (norm * pl + (fe ? feScale * fe[i]! : 0));
    if (d * d * ivar[i]! < 16) kept[nkeep++] = i;
  }
  if (nkeep < idx.length && nkeep >= MIN_CONTINUUM_PIXELS) {
    idx = kept.subarray(0, nkeep);
    fit = fitOnce(rest, idx, fe, fit) ?? fit;
  }
  return fit;
}

function evaluate(c: ContinuumFit, lam: number, fe: number): number {
  return powerLaw(c, lam) + c.feScale * fe;
}

/**
 * The continuum (power law plus scaled Fe II) at each of `restWave`; `fe` the template at the same wavelengths.
 *
 * @example
 * const cont = continuumModel(fit, rest.wave, feAtWave);
 */
export function continuumModel(c: ContinuumFit, restWave: ArrayLike<number>, fe: Float64Array | undefined): Float64Array {
  const out = new Float64Array(restWave.length);
  for (let i = 0; i < restWave.length; i++) out[i] = evaluate(c, restWave[i]!, fe ? fe[i]! : 0);
  return out;
}

function windowPixels(rest: RestSpectrum, use: Uint8Array): Int32Array {
  const out: number[] = [];
  const { wave } = rest;
  let w = 0;
  for (let i = 0; i < wave.length; i++) {
    const lam = wave[i]!;
    while (w < CONTINUUM_WINDOWS.length && lam > CONTINUUM_WINDOWS[w]![1]) w++;
    if (w === CONTINUUM_WINDOWS.length) break;
    if (lam >= CONTINUUM_WINDOWS[w]![0] && use[i]) out.push(i);
  }
  return Int32Array.from(out);
}

/**
 * The binned points' arrays, kept between fits (a fit's result holds none of them): sized for every window pixel,
 * they were a tenth of what the features allocate per spectrum.
 */
let work = new Float64Array(0);
/** The window pixels kept by the clipping pass, likewise. */
let kept = new Int32Array(0);

function fitOnce(
  rest: RestSpectrum,
  idx: Int32Array,
  fe: Float64Array | undefined,
  start: ContinuumFit | undefined,
): ContinuumFit | undefined {
  // Groups of `bin` neighbouring window pixels (within 1% in wavelength) are combined by inverse variance, which keeps
  // chi2's information about the smooth model and cuts the fit's cost by up to `bin`.
  const m = idx.length;
  const bin = fe ? BIN_WITH_FE : BIN_POWER_LAW;
  if (work.length < 4 * m) work = new Float64Array(4 * m);
  const y = work.subarray(0, m);
  const w = work.subarray(m, 2 * m);
  const lnx = work.subarray(2 * m, 3 * m);
  const t = work.subarray(3 * m, 4 * m);
  let n = 0;
  const { wave, ivar, flux, lnWave } = rest;
  for (let k = 0; k < m; ) {
    const limit = wave[idx[k]!]! * 1.01;
    const end = Math.min(m, k + bin);
    let sw = 0;
    let swf = 0;
    let swx = 0;
    let swt = 0;
    let j = k;
    for (; j < end; j++) {
      const i = idx[j]!;
      if (!(wave[i]! < limit)) break;
      const wi = ivar[i]!;
      sw += wi;
      swf += wi * flux[i]!;
      swx += wi * (lnWave[i]! - LN_3000);
      swt += wi * (fe ? fe[i]! : 0);
    }
    y[n] = swf / sw;
    w[n] = sw;
    lnx[n] = swx / sw;
    t[n] = swt / sw;
    n++;
    k = j;
  }
  // The fit reads the n binned points only (the arrays were sized for the pixels).
  const yb = y.subarray(0, n);
  const wb = w.subarray(0, n);
  const p0 = start ? Float64Array.of(start.norm, start.slope, start.feScale) : initialGuess(yb, wb, lnx);
  if (!p0) return undefined;
  const withFe = fe !== undefined;
  const model: LeastSquaresModel = {
    nParams: 3,
    evaluate(p, m, jac) {
      const norm = p[0]!;
      const slope = p[1]!;
      const s = p[2]!;
      for (let k = 0; k < n; k++) {
        const pl = Math.exp(slope * lnx[k]!);
        m[k] = norm * pl + s * t[k]!;
        if (jac) {
          jac[3 * k] = pl;
          jac[3 * k + 1] = norm * pl * lnx[k]!;
          jac[3 * k + 2] = t[k]!;
        }
      }
    },
  };
  const fit = leastSquares(model, yb, wb, p0, {
    lower: Float64Array.of(-Infinity, -10, 0),
    upper: Float64Array.of(Infinity, 10, withFe ? Infinity : 0),
    maxIterations: 50,
  });
  const [norm, slope, feScale] = fit.params;
  return { norm: norm!, slope: slope!, feScale: feScale!, covariance: fit.covariance, chi2: fit.chi2, npix: m };
}

/** ln f = ln norm + slope ln(lambda / 3000) by weighted linear least squares over pixels with f > 0 (weights f^2 ivar). */
function initialGuess(y: Float64Array, w: Float64Array, lnx: Float64Array): Float64Array | undefined {
  let s = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < y.length; k++) {
    if (!(y[k]! > 0)) continue;
    const wk = w[k]! * y[k]! * y[k]!;
    const ly = Math.log(y[k]!);
    s += wk;
    sx += wk * lnx[k]!;
    sy += wk * ly;
    sxx += wk * lnx[k]! * lnx[k]!;
    sxy += wk * lnx[k]! * ly;
  }
  if (!(s > 0)) return undefined;
  const det = s * sxx - sx * sx;
  const slope = det > 1e-12 * s * s ? (s * sxy - sx * sy) / det : -1.5;
  const lnNorm = (sy - slope * sx) / s;
  return Float64Array.of(Math.exp(lnNorm), Math.min(Math.max(slope, -5), 5), 0);
}
