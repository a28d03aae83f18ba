import { QuasarError } from '../../errors/index.js';
import { restWavelength } from '../log-lambda-grid.js';
import type { MlMatrix } from '../ml-matrix.js';
import { choleskySolve } from './dense.js';
import { noiseFloor } from './noise-floor.js';
import { randomisedSvd } from './randomised-svd.js';

/**
 * A PCA basis of normalised rest-frame quasar spectra: the mean spectrum and `k` orthonormal components (rows of
 * `components`, k x npix). Pixels that too few spectra cover have mean 0, component values 0 and `used` 0.
 *
 * @example
 * const model: PcaModel = fitMaskedPca(matrix, { components: 8, seed: 1 });
 */
export interface PcaModel {
  npix: number;
  k: number;
  mean: Float64Array;
  components: Float64Array;
  /** Singular values of the filled, centred matrix at the last iteration (decreasing). */
  singularValues: Float64Array;
  /** 1 where the basis is defined: inside `restRange` and good in enough spectra. */
  used: Uint8Array;
  /**
   * Per-pixel variance (normalised flux units^2) that k components leave unexplained in ordinary spectra, added to
   * each pixel's 1/IVAR when scoring (scorePca); all 0 with `modelError: false`.
   */
  modelVariance: Float64Array;
}

/**
 * Options of {@link fitMaskedPca}.
 *
 * @example
 * fitMaskedPca(m, { components: 10, iterations: 4, seed: 3 } satisfies MaskedPcaOptions);
 */
export interface MaskedPcaOptions {
  /** Number of components (default 8). */
  components?: number;
  /** Rounds of fill-and-refit (default 3). */
  iterations?: number;
  /** Seed of the randomised SVD (default 0). */
  seed?: number;
  /** A pixel joins the basis when at least this many spectra have it good (default 10). */
  minSpectra?: number;
  /**
   * Rest wavelengths (Angstrom) the basis and the scores use (default [1260, Infinity]): redward of Lya + NV, because
   * the Lya forest is absorption by intervening gas, different in every sightline; no low-rank basis models it, and
   * its residuals would rank every bright z > 2 quasar first.
   */
  restRange?: readonly [number, number];
  /** Calibrate the per-pixel model variance (default true); see PcaModel.modelVariance. */
  modelError?: boolean;
}

/**
 * Masked PCA by iterative imputation: masked pixels start at the mean spectrum; then, `iterations` times, the leading
 * components of the filled, centred matrix come from a seeded randomised SVD, every spectrum is fitted on its good
 * pixels only (IVAR-weighted least squares on the mean plus the components, see fitRow), and its masked pixels are
 * filled with that fit. Spectra at different redshifts cover different rest ranges, so filling by the mean alone would
 * make the first components describe coverage, not spectra; refitting the fill removes that.
 *
 * @example
 * const model = fitMaskedPca(mlMatrixFromStitched(s, ids, z), { components: 8, seed: 42 });
 */
export function fitMaskedPca(m: MlMatrix, options: MaskedPcaOptions = {}): PcaModel {
  const k = options.components ?? 8;
  const iterations = options.iterations ?? 3;
  const minSpectra = options.minSpectra ?? 10;
  const n = m.targetid.length;
  const p = m.npix;
  if (n < k + 2) throw new QuasarError(`${n} spectra cannot define ${k} components`, { scope: 'fitMaskedPca' });
  const mean = new Float64Array(p);
  const count = new Float64Array(p);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      if (isGood(m, o)) {
        mean[j]! += m.flux[o]!;
        count[j]!++;
      }
    }
  const used = new Uint8Array(p);
  const [lo, hi] = options.restRange ?? [1260, Number.POSITIVE_INFINITY];
  for (let j = 0; j < p; j++) {
    const w = restWavelength(m.grid, j);
    used[j] = count[j]! >= minSpectra && w >= lo && w <= hi ? 1 : 0;
    mean[j] = used[j] ? mean[j]! / count[j]! : 0;
  }
  // The filled, centred matrix: good pixels hold flux - mean, masked ones the current fit's value - mean.
  const x = new Float64Array(n * p);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      if (used[j] && isGood(m, o)) x[o] = m.flux[o]! - mean[j]!;
    }
  const modelVariance = new Float64Array(p);
  let model: PcaModel = { npix: p, k: 0, mean, components: new Float64Array(0), singularValues: new Float64Array(0), used, modelVariance };
  for (let it = 0; it < iterations; it++) {
    const svd = randomisedSvd(x, n, p, k, { seed: (options.seed ?? 0) + it });
    model = { npix: p, k: svd.values.length, mean, components: svd.vectors, singularValues: svd.values, used, modelVariance };
    if (it === iterations - 1) break;
    const recon = new Float64Array(p);
    for (let r = 0; r < n; r++) {
      const fit = fitRow(model, m, r);
      if (!fit) continue;
      reconstructRow(model, fit.coefficients, recon);
      for (let j = 0; j < p; j++) {
        const o = r * p + j;
        if (used[j] && !isGood(m, o)) x[o] = recon[j]! - mean[j]!;
      }
    }
  }
  if (options.modelError ?? true) calibrateModelVariance(model, m, x);
  return model;
}

/**
 * Sets model.modelVariance[j] to the floor s^2 that makes ordinary spectra's residuals at pixel j look like pure noise
 * in the median (noiseFloor). `work` (n x p) is reused for the residuals.
 */
function calibrateModelVariance(model: PcaModel, m: MlMatrix, work: Float64Array): void {
  const n = m.targetid.length;
  const p = model.npix;
  const recon = new Float64Array(p);
  const d2 = work;
  d2.fill(Number.NaN);
  for (let r = 0; r < n; r++) {
    const fit = fitRow(model, m, r);
    if (!fit) continue;
    reconstructRow(model, fit.coefficients, recon);
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      if (model.used[j] && isGood(m, o)) d2[o] = (m.flux[o]! - recon[j]!) ** 2;
    }
  }
  const resid = new Float64Array(n);
  const noise = new Float64Array(n);
  const scratch = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    if (!model.used[j]) continue;
    let c = 0;
    for (let r = 0; r < n; r++) {
      const o = r * p + j;
      if (Number.isNaN(d2[o]!)) continue;
      resid[c] = d2[o]!;
      noise[c++] = 1 / m.ivar[o]!;
    }
    model.modelVariance[j] = noiseFloor(resid, noise, c, 0.5, scratch);
  }
}

/**
 * A row's coefficients on [mean, component 1..k] (k + 1 numbers: the mean's free amplitude first) by IVAR-weighted
 * least squares over its good pixels inside the basis (less those `exclude` marks, e.g. BAL troughs), with the number
 * of those pixels; undefined when fewer good
 * pixels than coefficients, or a singular system.
 *
 * @example
 * const fit = fitRow(model, matrix, 17); fit?.coefficients[0]; // amplitude of the mean spectrum
 */
export function fitRow(
  model: PcaModel,
  m: MlMatrix,
  r: number,
  exclude?: Uint8Array,
): { coefficients: Float64Array; ngood: number } | undefined {
  const { npix: p, k, mean, components, used } = model;
  const q = k + 1;
  const ata = new Float64Array(q * q);
  const atb = new Float64Array(q);
  const basis = new Float64Array(q);
  let ngood = 0;
  for (let j = 0; j < p; j++) {
    const o = r * p + j;
    if (!used[j] || !isGood(m, o) || exclude?.[j]) continue;
    const w = m.ivar[o]!;
    basis[0] = mean[j]!;
    for (let c = 0; c < k; c++) basis[c + 1] = components[c * p + j]!;
    const wx = w * m.flux[o]!;
    for (let a = 0; a < q; a++) {
      const wa = w * basis[a]!;
      atb[a]! += basis[a]! * wx;
      for (let b = 0; b <= a; b++) ata[a * q + b]! += wa * basis[b]!;
    }
    ngood++;
  }
  if (ngood < q + 1) return undefined;
  for (let a = 0; a < q; a++) for (let b = a + 1; b < q; b++) ata[a * q + b] = ata[b * q + a]!;
  // A tiny ridge keeps spectra that cover only a sliver of the basis solvable; it is far below any real signal.
  let trace = 0;
  for (let a = 0; a < q; a++) trace += ata[a * q + a]!;
  const solved = choleskySolve(ata, q, atb, 1e-10 * (trace / q));
  return solved ? { coefficients: solved.x, ngood } : undefined;
}

/**
 * The model spectrum of coefficients from {@link fitRow} (amplitude x mean + sum of c_i x component i), into `out`.
 *
 * @example
 * reconstructRow(model, fit.coefficients, new Float64Array(model.npix));
 */
export function reconstructRow(model: PcaModel, coefficients: Float64Array, out: Float64Array): Float64Array {
  const { npix: p, k, mean, components } = model;
  for (let j = 0; j < p; j++) out[j] = coefficients[0]! * mean[j]!;
  for (let c = 0; c < k; c++) {
    const a = coefficients[c + 1]!;
    const off = c * p;
    for (let j = 0; j < p; j++) out[j]! += a * components[off + j]!;
  }
  return out;
}

/**
 * Whether element `o` of the matrix (row * npix + pixel) is a good pixel: unmasked, positive ivar, finite flux.
 *
 * @example
 * isGood(matrix, r * matrix.npix + j);
 */
export function isGood(m: MlMatrix, o: number): boolean {
  return m.mask[o] === 0 && m.ivar[o]! > 0 && Number.isFinite(m.flux[o]!);
}
