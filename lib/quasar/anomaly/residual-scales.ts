import { restWavelength } from '../log-lambda-grid.js';
import type { MlMatrix } from '../ml-matrix.js';
import { ARM_BREAKS, armBreakPixels } from './arm-breaks.js';
import { doubletPeak, mgiiDoubletSearch } from './doublet-filter.js';
import { fitRow, isGood, type PcaModel, reconstructRow } from './masked-pca.js';
import { noiseFloor } from './noise-floor.js';
import { runningMedian } from './running-median.js';
import { TRIMMED_MEAN_FRACTION, TRIMMED_MEAN_VARIANCE, trimmedSums } from './trimmed-mean.js';

/**
 * How the PCA residual of a spectrum is split into scales and calibrated on a population: the running-median window
 * (good pixels) that separates the narrow part from the smooth part, the rest-pixel bins of the smooth part, and the
 * variance floors (flux units^2) that ordinary spectra's residuals need at each pixel (narrow part) and bin (smooth
 * part) to look like noise in the median. `balBin` marks bins within BAL_WINDOW, where negative smooth residuals are
 * not counted.
 *
 * @example
 * const scales: ResidualScales = fitResidualScales(model, matrix); scales.highFloor.length === matrix.npix;
 */
export interface ResidualScales {
  window: number;
  bin: number;
  step: number;
  /** Rest pixels either side of each of ARM_BREAKS that ARM_STEP compares. */
  armWidth: number;
  widths: readonly number[];
  nbins: number;
  highFloor: Float64Array;
  lowFloor: Float64Array;
  stepFloor: Float64Array;
  /** Variance floors (fractional flux^2) of the arm steps at each of ARM_BREAKS, calibrated like the others. */
  armFloor: Float64Array;
  balBin: Uint8Array;
}

/**
 * Options of {@link fitResidualScales}.
 *
 * @example
 * fitResidualScales(model, m, { window: 15, bin: 32 } satisfies ResidualScaleOptions);
 */
export interface ResidualScaleOptions {
  /** Running-median window in good pixels (odd, default 15: ~2000 km/s on ML_GRID). */
  window?: number;
  /** Rest pixels per bin of the smooth part (default 32: ~4400 km/s on ML_GRID). */
  bin?: number;
  /** Widths (good pixels) over which the narrow part is summed for its peak (default [1, 3]). */
  widths?: readonly number[];
  /** Good pixels either side of the step statistic (default 64). */
  step?: number;
  /**
   * Rest pixels either side of each arm break that ARM_STEP compares (default 192, ~9% in wavelength). Measured on
   * 3000 mock quasars with 25 dropped arms: 64 found 19, 128 23, 192 24, 256 24, 384 23 (with SCORE; seed 7); the
   * wider the windows, the less the noise of faint spectra and the more the basis's smooth misfit adds to the step.
   */
  armWidth?: number;
  /**
   * The quantile of the calibration sample's residuals that the floors bring to that of noise (default 0.99; see
   * noiseFloor): measured on 3000 mock quasars, 0.5 left line cores (CIV, CIII], MgII, Lya) of bright ordinary quasars
   * in the top 1%; 0.99 still leaves the few anomalies of a sample out of the floor.
   */
  quantile?: number;
}

/**
 * Rest wavelengths (Angstrom) where broad absorption troughs sit: up to 25,000 km/s blueward of SiIV 1398 and CIV 1549,
 * baltools' integration range. A trough is a deficit of flux there that PCA of a mostly non-BAL population cannot
 * describe; counting it would rank every BAL quasar as an anomaly.
 *
 * @example
 * BAL_WINDOW[1]; // 1549
 */
export const BAL_WINDOW: readonly [number, number] = [1280, 1549];

/**
 * Per-spectrum statistics of the PCA residual at two scales: HIGH_PEAK, the most significant narrow excess (the
 * residual minus its running median, in units of noise plus the pixel's calibrated floor, summed over 1 or 3 pixels;
 * excesses only: spikes, cosmic rays, unexpected narrow emission, since narrow absorption is DOUBLET_PEAK's and the
 * ordinary absorption of BAL trough edges would otherwise crowd the top of HIGH_PEAK)
 * and LOW_CHI2, the excess chi-square of the smooth part (the running median, averaged in rest bins, in units of noise
 * plus the bin's floor) as a significance: (sum u^2 - nbins) / sqrt(2 nbins), and STEP_PEAK, the most significant
 * difference between the mean smooth residual of `step` good pixels and that of the `step` before (a dropped arm or a
 * calibration break, wherever it falls in the rest frame), in units of noise plus the pixel's floor. NaN where a row
 * could not be fitted.
 *
 * @example
 * const { highPeak, lowChi2 }: ResidualScaleStats = scoreResidualScales(model, scales, matrix);
 */
export interface ResidualScaleStats {
  highPeak: Float64Array;
  lowChi2: Float64Array;
  stepPeak: Float64Array;
  /**
   * DOUBLET_PEAK: the matched-filter significance of the strongest MgII 2796/2803 absorption doublet in the narrow
   * part, in the same units as HIGH_PEAK (doublet-filter.ts), searched blueward of MgII; NaN where a row could not be fitted.
   */
  doubletPeak: Float64Array;
  /**
   * ARM_STEP: where the spectrograph's arms meet (ARM_BREAKS, moved to the rest frame by the redshift the row's
   * coverage implies), the change of the (trimmed) mean residual, as a fraction of the model, from the `armWidth`
   * rest pixels before the break to those after it, in units of its noise plus a floor calibrated per break on the population;
   * the larger of the two breaks; NaN where neither has pixels enough on both sides. A dropped arm (its flux scaled
   * down) is a discontinuity there that no smooth basis follows, seen at a fraction of the noise that STEP_PEAK's
   * 64-pixel windows need, and only two places are looked at instead of thousands. Whole-arm means saw less: the
   * fit to the whole row bends to meet a dropped arm halfway (a 60% drop left 0.1-0.3 of the model between them).
   */
  armStep: Float64Array;
  /** The rest pixel of the narrow peak and the first pixel of the smooth part's worst bin (-1 where none), to show where. */
  highAt: Int32Array;
  lowAt: Int32Array;
  /** The rest pixel of the doublet's first line (-1 where none). */
  doubletAt: Int32Array;
}

// Rest pixels (~4100 km/s on ML_GRID) either side of a marked BAL trough that ARM_STEP leaves out: beyond the
// window markTroughs already excludes, a trough's shallow wings still make steps. Measured on 7 mock seeds: 30 found
// 612 of 700 injected anomalies, 60 found 609; the test's small mock needs at least ~30 (an ordinary BAL quasar whose
// wing meets the 5780 A break at z 3.1 ranked 10th without).
const TROUGH_WING = 30;

/** One row's residual decomposed: good pixels in order (index, residual, ivar, smooth part), and its bin means. */
class RowWork {
  readonly idx: Int32Array;
  readonly d: Float64Array;
  readonly iv: Float64Array;
  readonly smooth: Float64Array;
  readonly recon: Float64Array;
  readonly binMean: Float64Array;
  readonly binVar: Float64Array;
  readonly exclude: Uint8Array;
  /** 1 within TROUGH_WING rest pixels of an excluded (trough) pixel: see armSteps. */
  readonly nearTrough: Uint8Array;
  /** At good pixel i (i >= step, i + step <= count): mean smooth residual of the `step` pixels from i on minus that of the `step` before. */
  readonly stepDiff: Float64Array;
  readonly stepVar: Float64Array;
  private readonly sideResid: Float64Array;
  private readonly sideIvar: Float64Array;
  private readonly sideModel: Float64Array;
  private readonly sideWork: Float64Array;
  private readonly cumW: Float64Array;
  private readonly cumF: Float64Array;
  count = 0;
  /** Whether load found BAL troughs (and left them out). */
  troughs = false;
  constructor(p: number, nbins: number) {
    this.idx = new Int32Array(p);
    this.d = new Float64Array(p);
    this.iv = new Float64Array(p);
    this.smooth = new Float64Array(p);
    this.recon = new Float64Array(p);
    this.binMean = new Float64Array(nbins);
    this.binVar = new Float64Array(nbins);
    this.exclude = new Uint8Array(p);
    this.nearTrough = new Uint8Array(p);
    this.stepDiff = new Float64Array(p);
    this.stepVar = new Float64Array(p);
    this.sideResid = new Float64Array(p);
    this.sideIvar = new Float64Array(p);
    this.sideModel = new Float64Array(p);
    this.sideWork = new Float64Array(2 * p);
    this.cumW = new Float64Array(p + 1);
    this.cumF = new Float64Array(p + 1);
  }

  /** Fills stepDiff / stepVar (NaN where either side is short) from the smooth part, by prefix sums. */
  steps(step: number): void {
    const g = this.count;
    for (let i = 0; i < g; i++) {
      this.cumW[i + 1] = this.cumW[i]! + this.iv[i]!;
      this.cumF[i + 1] = this.cumF[i]! + this.iv[i]! * this.smooth[i]!;
    }
    for (let i = 0; i < g; i++) {
      if (i < step || i + step > g) {
        this.stepDiff[i] = Number.NaN;
        continue;
      }
      const wl = this.cumW[i]! - this.cumW[i - step]!;
      const wr = this.cumW[i + step]! - this.cumW[i]!;
      const fl = (this.cumF[i]! - this.cumF[i - step]!) / wl;
      const fr = (this.cumF[i + step]! - this.cumF[i]!) / wr;
      this.stepDiff[i] = fr - fl;
      this.stepVar[i] = 1.57 * (1 / wl + 1 / wr);
    }
  }

  /**
   * The fractional steps of the residual at ARM_BREAKS (rest pixels `at`): for each break, the IVAR-weighted mean
   * residual of the good pixels within `width` rest pixels after it, over the mean model there, minus the same for the
   * `width` pixels before it, each side's mean trimmed of the 10% (TRIMMED_MEAN_FRACTION) of its pixels farthest from its median in units
   * of their noise (trimmedSums); with its variance (TRIMMED_MEAN_VARIANCE). Robust, because the breaks lie near
   * strong sky lines (5577, 5890 A, OH) and at the arms' noisy ends: on 7 mock seeds the plain mean of the residual,
   * and a mean trimmed by rank, each put a spectrum with planted sky residuals in the top 1% (635 of 700 found). The
   * raw residual, not its smooth part (the running median over 15 good pixels, which straddles the break): 628 -> 631
   * found (dropped arms 156 -> 159), no sky spectrum. NaN where a side has fewer than width / 8 good pixels (a
   * break at the edge of coverage) or a model at or below zero. In a row with BAL troughs the pixels near a trough
   * (nearTrough) are left out too: a trough's unmarked shallow wings make steps. Only those: leaving out the whole BAL
   * window, as before, also left out the break of a blue arm dropped at z ~ 2.7-3.2, whose deficit markTroughs had
   * partly taken for troughs (7 mock seeds: 608 -> 612 of 700 found).
   */
  armSteps(at: readonly number[], width: number, delta: Float64Array, variance: Float64Array): void {
    for (let b = 0; b < at.length; b++) {
      const [nb, wb, rb, mb] = this.armSide(at[b]! - width, at[b]!);
      const [na, wa, ra, ma] = this.armSide(at[b]!, at[b]! + width);
      const both = nb * 8 >= width && na * 8 >= width && mb > 0 && ma > 0;
      delta[b] = both ? ra / ma - rb / mb : Number.NaN;
      variance[b] = both ? (TRIMMED_MEAN_VARIANCE * wa) / ma ** 2 + (TRIMMED_MEAN_VARIANCE * wb) / mb ** 2 : Number.NaN;
    }
  }

  /** One side of an arm break, rest pixels [lo, hi): its count of good pixels and trimmedSums of them. */
  private armSide(lo: number, hi: number): [number, number, number, number] {
    let n = 0;
    // idx ascends: the side ends at the first pixel past hi.
    for (let i = 0; i < this.count; i++) {
      const j = this.idx[i]!;
      if (j >= hi) break;
      if (j < lo || (this.troughs && this.nearTrough[j] === 1)) continue;
      this.sideResid[n] = this.d[i]!;
      this.sideIvar[n] = this.iv[i]!;
      this.sideModel[n++] = this.recon[j]!;
    }
    return [n, ...trimmedSums(this.sideResid, this.sideIvar, this.sideModel, n, TRIMMED_MEAN_FRACTION, this.sideWork)];
  }

  /**
   * Fits row r and splits its residual; false when the row cannot be fitted. BAL troughs (runs of at least `window`
   * good pixels in the BAL window whose smooth residual is more than 10% of the model below it, the 90%-of-continuum
   * depth of the balnicity index) are taken out and the row refitted without them: a trough drags the least-squares
   * fit down everywhere else, and is a known kind of quasar, not an artefact.
   */
  load(model: PcaModel, m: MlMatrix, r: number, window: number, bin: number, balPixel: Uint8Array, breaks: readonly number[]): boolean {
    const p = model.npix;
    this.exclude.fill(0);
    this.troughs = false;
    for (let pass = 0; pass < 2; pass++) {
      const fit = fitRow(model, m, r, this.exclude);
      if (!fit) return false;
      reconstructRow(model, fit.coefficients, this.recon);
      let g = 0;
      for (let j = 0; j < p; j++) {
        const o = r * p + j;
        if (!model.used[j] || !isGood(m, o) || this.exclude[j]) continue;
        this.idx[g] = j;
        this.d[g] = m.flux[o]! - this.recon[j]!;
        this.iv[g++] = m.ivar[o]!;
      }
      this.count = g;
      runningMedian(this.d, g, window, this.smooth);
      if (pass === 1 || !this.markTroughs(balPixel, window, breaks)) break;
      this.troughs = true;
      this.markTroughWings();
    }
    const wsum = this.binVar.fill(0);
    const fsum = this.binMean.fill(0);
    const nb = new Int32Array(this.binMean.length);
    for (let i = 0; i < this.count; i++) {
      const b = Math.floor(this.idx[i]! / bin);
      wsum[b]! += this.iv[i]!;
      fsum[b]! += this.iv[i]! * this.smooth[i]!;
      nb[b]!++;
    }
    for (let b = 0; b < nb.length; b++) {
      // A bin needs half its pixels: a sliver at the coverage edge has a mean the running median's edge effects bias.
      if (nb[b]! * 2 < bin) {
        fsum[b] = Number.NaN;
        wsum[b] = Number.NaN;
        continue;
      }
      fsum[b] = fsum[b]! / wsum[b]!;
      // The running median of w values is ~1.25x noisier than their mean; bins are that much noisier than 1/sum(ivar).
      wsum[b] = (1.57 * 1) / wsum[b]!;
    }
    return true;
  }

  /** nearTrough: 1 within TROUGH_WING pixels of an excluded pixel, by one sweep each way. */
  private markTroughWings(): void {
    const p = this.exclude.length;
    let last = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < p; j++) {
      if (this.exclude[j]) last = j;
      this.nearTrough[j] = j - last <= TROUGH_WING ? 1 : 0;
    }
    last = Number.POSITIVE_INFINITY;
    for (let j = p - 1; j >= 0; j--) {
      if (this.exclude[j]) last = j;
      if (last - j <= TROUGH_WING) this.nearTrough[j] = 1;
    }
  }

  /**
   * Marks BAL troughs in `exclude` (see load); true when there is one. A deficit that runs on (past the BAL window if
   * need be) to within `window` pixels of an arm break (rest pixels `breaks`) is a dropped arm's, not a trough: the
   * fit would take a dropped blue arm at z ~ 2.6-3.9, which covers the BAL window, for one and refit it away.
   */
  private markTroughs(balPixel: Uint8Array, window: number, breaks: readonly number[]): boolean {
    let found = false;
    let start = -1;
    const low = (i: number) => this.smooth[i]! < -0.1 * this.recon[this.idx[i]!]!;
    for (let i = 0; i <= this.count; i++) {
      const inTrough = i < this.count && balPixel[this.idx[i]!] === 1 && low(i);
      if (inTrough && start < 0) start = i;
      if (!inTrough && start >= 0) {
        let end = i;
        while (end < this.count && low(end)) end++;
        const last = this.idx[end - 1]!;
        if (i - start >= window && !breaks.some((b) => Math.abs(last - b) <= window)) {
          // The trough's edges too: where it starts and ends is where the narrow part of its residual peaks.
          for (let t = Math.max(0, start - window); t < Math.min(this.count, i + window); t++) this.exclude[this.idx[t]!] = 1;
          found = true;
        }
        start = -1;
      }
    }
    return found;
  }
}

/** The first rest pixel the basis uses (0 when none). */
function firstUsed(model: PcaModel): number {
  return Math.max(0, model.used.indexOf(1));
}

/** 1 at the rest pixels of `grid` inside BAL_WINDOW. */
function balPixels(m: MlMatrix): Uint8Array {
  return Uint8Array.from({ length: m.npix }, (_, j) => {
    const w = restWavelength(m.grid, j);
    return w >= BAL_WINDOW[0] && w <= BAL_WINDOW[1] ? 1 : 0;
  });
}

/**
 * Calibrates the two residual scales of {@link ResidualScaleStats} on the rows of `m` (the PCA fit sample): the
 * per-pixel floor of the narrow part and the per-bin floor of the smooth part, each the median-noise floor of
 * noiseFloor, so that rest wavelengths where ordinary quasars differ from the basis (line cores, the blue wing
 * of CIV) count less, and the residual of a bright quasar's well-modelled continuum is not inflated.
 *
 * @example
 * const scales = fitResidualScales(fitMaskedPca(m), m);
 */
export function fitResidualScales(model: PcaModel, m: MlMatrix, options: ResidualScaleOptions = {}): ResidualScales {
  const window = options.window ?? 15;
  const bin = options.bin ?? 32;
  const quantile = options.quantile ?? 0.99;
  const step = options.step ?? 64;
  const armWidth = options.armWidth ?? 192;
  const widths = options.widths ?? [1, 3];
  const n = m.targetid.length;
  const p = model.npix;
  const nbins = Math.ceil(p / bin);
  const h2 = new Float32Array(n * p).fill(Number.NaN);
  const hNoise = new Float32Array(n * p);
  const s2 = new Float32Array(n * p).fill(Number.NaN);
  const sNoise = new Float32Array(n * p);
  const l2 = new Float64Array(n * nbins).fill(Number.NaN);
  const lNoise = new Float64Array(n * nbins);
  const w = new RowWork(p, nbins);
  const bal = balPixels(m);
  const nbreaks = ARM_BREAKS.length;
  const breaks = new Array<number>(nbreaks);
  const armDelta = new Float64Array(nbreaks);
  const armVar = new Float64Array(nbreaks);
  const a2 = new Float64Array(n * nbreaks).fill(Number.NaN);
  const aNoise = new Float64Array(n * nbreaks);
  for (let r = 0; r < n; r++) {
    armBreakPixels(m, r, breaks);
    if (!w.load(model, m, r, window, bin, bal, breaks)) continue;
    for (let i = 0; i < w.count; i++) {
      const o = r * p + w.idx[i]!;
      h2[o] = (w.d[i]! - w.smooth[i]!) ** 2;
      hNoise[o] = 1 / w.iv[i]!;
    }
    w.armSteps(breaks, armWidth, armDelta, armVar);
    for (let b = 0; b < nbreaks; b++) {
      a2[r * nbreaks + b] = armDelta[b]! ** 2;
      aNoise[r * nbreaks + b] = armVar[b]!;
    }
    w.steps(step);
    for (let i = 0; i < w.count; i++) {
      if (Number.isNaN(w.stepDiff[i]!)) continue;
      const o = r * p + w.idx[i]!;
      s2[o] = w.stepDiff[i]! ** 2;
      sNoise[o] = w.stepVar[i]!;
    }
    for (let b = 0; b < nbins; b++) {
      l2[r * nbins + b] = w.binMean[b]! ** 2;
      lNoise[r * nbins + b] = w.binVar[b]!;
    }
  }
  const resid = new Float64Array(n);
  const noise = new Float64Array(n);
  const scratch = new Float64Array(n);
  const column = (a: ArrayLike<number>, an: ArrayLike<number>, j: number, stride: number) => {
    let c = 0;
    for (let r = 0; r < n; r++) {
      const v = a[r * stride + j]!;
      if (Number.isNaN(v)) continue;
      resid[c] = v;
      noise[c++] = an[r * stride + j]!;
    }
    return c;
  };
  const highFloor = new Float64Array(p);
  for (let j = 0; j < p; j++) if (model.used[j]) highFloor[j] = noiseFloor(resid, noise, column(h2, hNoise, j, p), quantile, scratch);
  const stepFloor = new Float64Array(p);
  for (let j = 0; j < p; j++) if (model.used[j]) stepFloor[j] = noiseFloor(resid, noise, column(s2, sNoise, j, p), quantile, scratch);
  const lowFloor = new Float64Array(nbins);
  const balBin = new Uint8Array(nbins);
  for (let b = 0; b < nbins; b++) {
    lowFloor[b] = noiseFloor(resid, noise, column(l2, lNoise, b, nbins), quantile, scratch);
    const centre = restWavelength(m.grid, Math.min(p - 1, b * bin + (bin >> 1)));
    balBin[b] = centre >= BAL_WINDOW[0] && centre <= BAL_WINDOW[1] ? 1 : 0;
  }
  const armFloor = new Float64Array(nbreaks);
  for (let b = 0; b < nbreaks; b++) armFloor[b] = noiseFloor(resid, noise, column(a2, aNoise, b, nbreaks), quantile, scratch);
  return { window, bin, step, armWidth, widths, nbins, highFloor, lowFloor, stepFloor, armFloor, balBin };
}

/**
 * The two residual-scale statistics of every row of `m` on a fitted basis and its calibration (fitResidualScales,
 * from this matrix or a sample like it: scoring streams through rows one at a time).
 *
 * @example
 * const { highPeak, lowChi2 } = scoreResidualScales(model, fitResidualScales(model, sample), batch);
 */
export function scoreResidualScales(model: PcaModel, scales: ResidualScales, m: MlMatrix): ResidualScaleStats {
  const n = m.targetid.length;
  const { window, bin, step, armWidth, widths, nbins, highFloor, lowFloor, stepFloor, armFloor, balBin } = scales;
  const breaks = new Array<number>(ARM_BREAKS.length);
  const armDelta = new Float64Array(ARM_BREAKS.length);
  const armVar = new Float64Array(ARM_BREAKS.length);
  const out: ResidualScaleStats = {
    highPeak: new Float64Array(n).fill(Number.NaN),
    lowChi2: new Float64Array(n).fill(Number.NaN),
    stepPeak: new Float64Array(n).fill(Number.NaN),
    doubletPeak: new Float64Array(n).fill(Number.NaN),
    armStep: new Float64Array(n).fill(Number.NaN),
    highAt: new Int32Array(n).fill(-1),
    lowAt: new Int32Array(n).fill(-1),
    doubletAt: new Int32Array(n).fill(-1),
  };
  // Narrow absorption in the BAL window is a trough's edge in a BAL quasar; in any other it is a doublet like any.
  const fromRest = restWavelength(m.grid, firstUsed(model));
  const searchBal = mgiiDoubletSearch(m.grid, fromRest, [BAL_WINDOW]);
  const search = mgiiDoubletSearch(m.grid, fromRest);
  const full = new Float64Array(model.npix);
  const weight = new Float64Array(model.npix);
  const w = new RowWork(model.npix, nbins);
  const t = new Float64Array(model.npix);
  const cum = new Float64Array(model.npix + 1);
  const bal = balPixels(m);
  for (let r = 0; r < n; r++) {
    armBreakPixels(m, r, breaks);
    if (!w.load(model, m, r, window, bin, bal, breaks)) continue;
    const g = w.count;
    full.fill(Number.NaN);
    weight.fill(0);
    // Absorption cannot take away more light than there is: a dip more than a sigma below zero flux is noise or a
    // sky-subtraction error (desispec#2725), so the doublet search counts a pixel's deficit down to one sigma below
    // zero. Not to zero itself: the core of a saturated absorber is at zero, and there the limit would take away the
    // half of its noise that falls below, 0.4 sigma per pixel of its signal (7 mock seeds: 619 -> 623 of 700 found).
    for (let i = 0; i < g; i++) {
      const j = w.idx[i]!;
      const sigma = Math.sqrt(1 / w.iv[i]! + highFloor[j]!);
      t[i] = (w.d[i]! - w.smooth[i]!) / sigma;
      const expected = w.recon[j]! + w.smooth[i]!;
      full[j] = Math.max(w.d[i]! - w.smooth[i]!, -expected - sigma) / sigma;
      weight[j] = Math.max(0, expected) / sigma;
    }
    const doublet = doubletPeak(full, weight, w.troughs ? searchBal : search);
    out.doubletPeak[r] = doublet.peak;
    out.doubletAt[r] = doublet.at;
    let peak = 0;
    let at = -1;
    cum[0] = 0;
    for (let i = 0; i < g; i++) cum[i + 1] = cum[i]! + t[i]!;
    for (const width of widths)
      for (let i = width; i <= g; i++) {
        const v = (cum[i]! - cum[i - width]!) / Math.sqrt(width);
        if (v > peak) {
          peak = v;
          at = w.idx[i - 1 - (width >> 1)]!;
        }
      }
    out.highAt[r] = at;
    w.steps(step);
    let sp = 0;
    for (let i = 0; i < g; i++) {
      const d = w.stepDiff[i]!;
      if (Number.isNaN(d)) continue;
      const v = Math.abs(d) / Math.sqrt(w.stepVar[i]! + stepFloor[w.idx[i]!]!);
      sp = Math.max(sp, v);
    }
    out.stepPeak[r] = sp;
    w.armSteps(breaks, armWidth, armDelta, armVar);
    let arm = Number.NaN;
    for (let b = 0; b < breaks.length; b++) {
      const v = Math.abs(armDelta[b]!) / Math.sqrt(armVar[b]! + armFloor[b]!);
      if (!Number.isNaN(v)) arm = Number.isNaN(arm) ? v : Math.max(arm, v);
    }
    out.armStep[r] = arm;
    let chi2 = 0;
    let used = 0;
    let worst = 0;
    for (let b = 0; b < nbins; b++) {
      const mean = w.binMean[b]!;
      if (Number.isNaN(mean)) continue;
      used++;
      if (balBin[b] && mean < 0) continue;
      const u2 = (mean * mean) / (w.binVar[b]! + lowFloor[b]!);
      if (u2 > worst) {
        worst = u2;
        out.lowAt[r] = b * bin;
      }
      chi2 += u2;
    }
    out.highPeak[r] = g > 0 ? peak : Number.NaN;
    out.lowChi2[r] = used > 0 ? (chi2 - used) / Math.sqrt(2 * used) : Number.NaN;
  }
  return out;
}
