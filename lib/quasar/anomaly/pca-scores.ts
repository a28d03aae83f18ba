import type { MlMatrix } from '../ml-matrix.js';
import { fitRow, isGood, type PcaModel, reconstructRow } from './masked-pca.js';

/**
 * Per-spectrum PCA scores of an ML matrix: the IVAR-weighted chi-square of the reconstruction per good pixel, the
 * good-pixel count, the coefficients (n x (k + 1), mean amplitude first) and, for comparison only, the plain
 * flux-residual score (mean squared normalised-flux residual, unweighted). NaN where a row could not be fitted.
 *
 * @example
 * const s: PcaScores = scorePca(model, matrix); s.chi2[0];
 */
export interface PcaScores {
  chi2: Float64Array;
  ngood: Int32Array;
  coefficients: Float64Array;
  /**
   * Mean of (flux - model)^2 over good pixels, ignoring IVAR: what a flux-space detector sees. It ranks sky-line
   * residuals (large flux errors where IVAR is low) as anomalies; it is kept to show that, never to rank.
   */
  fluxResidual: Float64Array;
  /**
   * The largest excess chi-square over any `window` consecutive good pixels, in units of its noise:
   * max (sum chi2 - window) / sqrt(2 window). Localised artefacts (spikes, narrow absorbers) that chi2 per pixel
   * dilutes over thousands of pixels stand out here.
   */
  localPeak: Float64Array;
}

/**
 * Options of {@link scorePca}.
 *
 * @example
 * scorePca(model, m, { window: 15 } satisfies PcaScoreOptions);
 */
export interface PcaScoreOptions {
  /** Good pixels per window of the local peak (default 15: ~2000 km/s on ML_GRID, an absorber doublet or a line). */
  window?: number;
}

/**
 * Fits every row of `m` on the basis (fitRow: IVAR-weighted least squares on its good pixels) and scores the
 * reconstruction with chi2 / ngood = sum((flux - model)^2 / (1/ivar + s_j^2)) / ngood, s_j^2 the basis's own
 * per-pixel error (PcaModel.modelVariance: without it the brightest ordinary quasars, whose noise is below what k
 * components can describe, would outrank every artefact). IVAR weighting is the point: DESI quasars
 * flagged by flux-space residuals turned out to be sky-line mis-subtractions, large in flux but only a few sigma
 * where the sky makes IVAR small (desispec#2725-2727); in chi-square they are ordinary.
 *
 * @example
 * const { chi2 } = scorePca(fitMaskedPca(m), m);
 */
export function scorePca(model: PcaModel, m: MlMatrix, options: PcaScoreOptions = {}): PcaScores {
  const window = options.window ?? 15;
  const n = m.targetid.length;
  const p = model.npix;
  const q = model.k + 1;
  const out: PcaScores = {
    chi2: new Float64Array(n).fill(Number.NaN),
    ngood: new Int32Array(n),
    coefficients: new Float64Array(n * q).fill(Number.NaN),
    fluxResidual: new Float64Array(n).fill(Number.NaN),
    localPeak: new Float64Array(n).fill(Number.NaN),
  };
  const recon = new Float64Array(p);
  const terms = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const fit = fitRow(model, m, r);
    if (!fit) continue;
    reconstructRow(model, fit.coefficients, recon);
    let chi2 = 0;
    let sq = 0;
    let g = 0;
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      if (!model.used[j] || !isGood(m, o)) continue;
      const d = m.flux[o]! - recon[j]!;
      const t = (d * d) / (1 / m.ivar[o]! + model.modelVariance[j]!);
      terms[g++] = t;
      chi2 += t;
      sq += d * d;
    }
    let peak = Number.NEGATIVE_INFINITY;
    let run = 0;
    for (let i = 0; i < g; i++) {
      run += terms[i]!;
      if (i >= window) run -= terms[i - window]!;
      if (i >= window - 1) peak = Math.max(peak, run);
    }
    const w = Math.min(window, g);
    out.localPeak[r] = g >= window ? (peak - w) / Math.sqrt(2 * w) : Number.NaN;
    out.chi2[r] = chi2 / fit.ngood;
    out.fluxResidual[r] = sq / fit.ngood;
    out.ngood[r] = fit.ngood;
    out.coefficients.set(fit.coefficients, r * q);
  }
  return out;
}
