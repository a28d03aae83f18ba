import { Float64, Int32, Int64, makeData, RecordBatch, Schema, Field, Struct, Table } from 'apache-arrow';
import type { MlMatrix } from '../ml-matrix.js';
import { type BroadLineDeficitOptions, broadLineDeficit } from './broad-line-deficit.js';
import { fitGaussianMixture, type GaussianMixture, mixtureNegLogLikelihood } from './gaussian-mixture.js';
import { type LymanAlphaDeficitOptions, lymanAlphaDeficit } from './lyman-alpha-deficit.js';
import { fitMaskedPca, type MaskedPcaOptions, type PcaModel } from './masked-pca.js';
import { type PcaScores, scorePca } from './pca-scores.js';
import { tailProbabilities } from './tail-probability.js';
import {
  fitResidualScales,
  type ResidualScaleOptions,
  type ResidualScales,
  type ResidualScaleStats,
  scoreResidualScales,
} from './residual-scales.js';

/**
 * Anomaly scores of the rows of an ML matrix, in the matrix's row order. Four statistics rank, each aimed at one way
 * a spectrum can be wrong: HIGH_PEAK (the most significant narrow excess of the PCA residual: spikes, cosmic rays),
 * ARM_STEP (the step of the smooth residual where DESI's arms meet: a dropped or miscalibrated arm), DOUBLET_PEAK (a
 * matched filter for MgII 2796/2803 absorption in front of the quasar) and the line deficit (a wrong redshift):
 * LYA_DEFICIT (a Lya line weaker than the population's at that redshift) where the row covers Lya, LINE_DEFICIT (CIII]
 * and MgII likewise) where it does not. SCORE = -log10(4 p), p the smallest of their four tail
 * probabilities in this population (tailProbabilities; 4 for the four looks), and RANK orders by it (1 = most
 * anomalous). STEP_PEAK (the largest step anywhere), PCA_CHI2 (IVAR-weighted reconstruction chi-square per good
 * pixel) and DENSITY_NLL (-log p of the PCA coefficients under a Gaussian mixture) are kept as columns but do not
 * rank: on mock DESI quasars their top 1% is bright ordinary and BAL quasars whose lines differ smoothly from the
 * basis (test/quasar/anomaly-mock.test.ts). A row where some of the four are undefined (NaN) is scored by the others;
 * rows where none is defined have NaN scores and rank after all others.
 *
 * @example
 * const s: AnomalyScores = anomalyScores(matrix, { seed: 42 }); s.rank[0];
 */
export interface AnomalyScores {
  targetid: BigInt64Array;
  highPeak: Float64Array;
  stepPeak: Float64Array;
  /** The step of the smooth residual where DESI's arms meet, in sigma (residual-scales.ts). */
  armStep: Float64Array;
  /** The MgII absorption doublet's matched-filter significance (residual-scales.ts, doublet-filter.ts). */
  doubletPeak: Float64Array;
  /** How much weaker the Lya peak is than the population's at that redshift, in sigma (lyman-alpha-deficit.ts). */
  lyaDeficit: Float64Array;
  /** The same for CIII] and MgII together (broad-line-deficit.ts); it ranks where LYA_DEFICIT is undefined. */
  lineDeficit: Float64Array;
  pcaChi2: Float64Array;
  densityNll: Float64Array;
  score: Float64Array;
  rank: Int32Array;
  /** The fitted basis, residual calibration and mixture, and per-row detail, for plots and for scoring other batches alike. */
  pca: PcaModel;
  scales: ResidualScales;
  mixture: GaussianMixture | undefined;
  detail: PcaScores;
  residual: ResidualScaleStats;
}

/**
 * Options of {@link anomalyScores}.
 *
 * @example
 * anomalyScores(m, { components: 8, mixtureComponents: 4, seed: 1 } satisfies AnomalyOptions);
 */
export interface AnomalyOptions extends MaskedPcaOptions {
  /** Gaussians in the density model (default 4). */
  mixtureComponents?: number;
  /** How the residual is split into scales and calibrated (fitResidualScales). */
  scales?: ResidualScaleOptions;
  /** How LYA_DEFICIT is measured and calibrated (lymanAlphaDeficit). */
  lyaDeficit?: LymanAlphaDeficitOptions;
  /** How LINE_DEFICIT is measured and calibrated (broadLineDeficit). */
  lineDeficit?: BroadLineDeficitOptions;
}

/**
 * Scores every spectrum of `m` for oddness and ranks them: masked PCA (fitMaskedPca); each spectrum's residual
 * against its IVAR-weighted reconstruction split into a narrow part and a smooth part, both in units of the noise plus
 * a floor calibrated per rest wavelength on this population (fitResidualScales, scoreResidualScales), with BAL troughs
 * refitted out, giving HIGH_PEAK, ARM_STEP and DOUBLET_PEAK; the Lya peak against the population's at the same
 * redshift (lymanAlphaDeficit); SCORE from the smallest tail probability of the four (see AnomalyScores). Flux
 * residuals are never used: sky-line residuals are large in flux but only a few sigma where the sky makes IVAR small
 * (desispec#2725-2727). PCA_CHI2 and a Gaussian-mixture density of the coefficients are computed as before for
 * comparison. Everything is seeded: the same matrix and options give the same numbers.
 *
 * @example
 * const s = anomalyScores(matrix, { seed: 42 });
 * topAnomalies(s, 20); // TARGETIDs of the 20 most anomalous
 */
export function anomalyScores(m: MlMatrix, options: AnomalyOptions = {}): AnomalyScores {
  const n = m.targetid.length;
  const pca = fitMaskedPca(m, options);
  const detail = scorePca(pca, m);
  const k = pca.k;
  const q = k + 1;
  // Shape coefficients relative to the mean's amplitude, so the density sees shapes, not brightness left after
  // normalisation by the median.
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (Number.isFinite(detail.chi2[r]!) && Math.abs(detail.coefficients[r * q]!) > 1e-6) rows.push(r);
  const x = new Float64Array(rows.length * k);
  rows.forEach((r, i) => {
    const a = detail.coefficients[r * q]!;
    for (let c = 0; c < k; c++) x[i * k + c] = detail.coefficients[r * q + c + 1]! / a;
  });
  const densityNll = new Float64Array(n).fill(Number.NaN);
  let mixture: GaussianMixture | undefined;
  if (k > 0 && rows.length > 2 * k) {
    mixture = fitGaussianMixture(x, rows.length, k, { components: options.mixtureComponents ?? 4, seed: options.seed ?? 0 });
    const nll = mixtureNegLogLikelihood(mixture, x, rows.length);
    rows.forEach((r, i) => {
      densityNll[r] = nll[i]!;
    });
  }
  const scales = fitResidualScales(pca, m, options.scales);
  const residual = scoreResidualScales(pca, scales, m);
  const lyaDeficit = lymanAlphaDeficit(m, options.lyaDeficit);
  const lineDeficit = broadLineDeficit(m, options.lineDeficit);
  const deficit = lyaDeficit.map((u, r) => (Number.isNaN(u) ? lineDeficit[r]! : u));
  // SCORE: -log10 of the smallest tail probability of the four statistics times four (Bonferroni): a spectrum extreme
  // in any of them stands out, each judged against its own population's tail. STEP_PEAK does not rank: measured on
  // 3000 mock quasars its tail is line cores and BAL edges, and with it ranking the bright spikes and absorbers it
  // pushed out outnumbered the dropped arms it added over ARM_STEP (bench/quasar-anomaly).
  const stats = [residual.highPeak, residual.armStep, residual.doubletPeak, deficit];
  // A row is scored when any statistic could be measured on it. A redshift misread above z ~ 6.8 leaves no pixel
  // redward of 1260 A for the basis, so no residual statistic, yet LYA_DEFICIT still reads its Lya against its forest.
  const scored = Uint8Array.from({ length: n }, (_, r) => (stats.some((v) => !Number.isNaN(v[r]!)) ? 1 : 0));
  const tails = stats.map((v) => tailProbabilities(v, scored));
  const score = new Float64Array(n).fill(Number.NaN);
  for (let r = 0; r < n; r++) {
    if (!scored[r]) continue;
    let p = 1;
    for (const t of tails) p = Math.min(p, t[r]!);
    score[r] = -Math.log10(Math.min(1, stats.length * p));
  }
  const rank = new Int32Array(n);
  orderBy(score, residual.highPeak, m.targetid).forEach((r, i) => {
    rank[r] = i + 1;
  });
  return {
    targetid: m.targetid,
    highPeak: residual.highPeak,
    stepPeak: residual.stepPeak,
    armStep: residual.armStep,
    doubletPeak: residual.doubletPeak,
    lyaDeficit,
    lineDeficit,
    pcaChi2: detail.chi2,
    densityNll,
    score,
    rank,
    pca,
    scales,
    mixture,
    detail,
    residual,
  };
}

/**
 * The TARGETIDs of the `n` best-ranked (most anomalous) spectra, best first.
 *
 * @example
 * topAnomalies(scores, 10); // BigInt64Array(10)
 */
export function topAnomalies(s: AnomalyScores, n: number): BigInt64Array {
  const rows = Array.from(s.rank.keys())
    .sort((a, b) => s.rank[a]! - s.rank[b]!)
    .slice(0, n);
  return BigInt64Array.from(rows, (r) => s.targetid[r]!);
}

/**
 * The scores as an Arrow table (TARGETID int64; HIGH_PEAK, STEP_PEAK, ARM_STEP, DOUBLET_PEAK, LYA_DEFICIT,
 * LINE_DEFICIT, PCA_CHI2, DENSITY_NLL, SCORE float64, NaN where undefined; RANK int32), rows in RANK order, ready for Parquet or the store.
 *
 * @example
 * const table = anomalyTable(scores); table.getChild('RANK')!.get(0); // 1
 */
export function anomalyTable(s: AnomalyScores): Table {
  const order = Array.from(s.rank.keys()).sort((a, b) => s.rank[a]! - s.rank[b]!);
  const n = order.length;
  const pick = (v: Float64Array) => Float64Array.from(order, (r) => v[r]!);
  const fields = [
    new Field('TARGETID', new Int64(), false),
    new Field('HIGH_PEAK', new Float64(), false),
    new Field('STEP_PEAK', new Float64(), false),
    new Field('ARM_STEP', new Float64(), false),
    new Field('DOUBLET_PEAK', new Float64(), false),
    new Field('LYA_DEFICIT', new Float64(), false),
    new Field('LINE_DEFICIT', new Float64(), false),
    new Field('PCA_CHI2', new Float64(), false),
    new Field('DENSITY_NLL', new Float64(), false),
    new Field('SCORE', new Float64(), false),
    new Field('RANK', new Int32(), false),
  ];
  const data = makeData({
    type: new Struct(fields),
    length: n,
    nullCount: 0,
    children: [
      makeData({ type: new Int64(), length: n, nullCount: 0, data: BigInt64Array.from(order, (r) => s.targetid[r]!) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.highPeak) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.stepPeak) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.armStep) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.doubletPeak) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.lyaDeficit) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.lineDeficit) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.pcaChi2) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.densityNll) }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: pick(s.score) }),
      makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from(order, (r) => s.rank[r]!) }),
    ],
  });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

/**
 * Percentile ranks in [0, 1] (the largest value gets 1, ties share the lower rank); NaN stays NaN.
 *
 * @example
 * percentileRanks(Float64Array.of(3, 1, 2)); // [1, 0.333, 0.667]
 */
export function percentileRanks(v: Float64Array): Float64Array {
  const idx = Array.from(v.keys()).filter((i) => !Number.isNaN(v[i]!));
  idx.sort((a, b) => v[a]! - v[b]!);
  const out = new Float64Array(v.length).fill(Number.NaN);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let t = i; t <= j; t++) out[idx[t]!] = (i + 1) / idx.length;
    i = j + 1;
  }
  return out;
}

/** Row indices by score descending (NaN last), then `tie` descending, then TARGETID ascending. */
function orderBy(score: Float64Array, tie: Float64Array, targetid: BigInt64Array): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v);
  return Array.from(score.keys()).sort(
    (a, b) =>
      key(score[b]!) - key(score[a]!) ||
      key(tie[b]!) - key(tie[a]!) ||
      (targetid[a]! < targetid[b]! ? -1 : targetid[a]! > targetid[b]! ? 1 : 0),
  );
}
