import { Float64, Int32, Int64, makeData, RecordBatch, Schema, Field, Struct, Table } from 'apache-arrow';
import type { MlMatrix } from '../ml-matrix.js';
import { fitGaussianMixture, type GaussianMixture, mixtureNegLogLikelihood } from './gaussian-mixture.js';
import { fitMaskedPca, type MaskedPcaOptions, type PcaModel } from './masked-pca.js';
import { type PcaScores, scorePca } from './pca-scores.js';
import {
  fitResidualScales,
  type ResidualScaleOptions,
  type ResidualScales,
  type ResidualScaleStats,
  scoreResidualScales,
} from './residual-scales.js';

/**
 * Anomaly scores of the rows of an ML matrix, in the matrix's row order. The ranking statistics are those of the PCA
 * residual split into scales (residual-scales.ts): HIGH_PEAK (the most significant narrow feature: spikes, narrow
 * absorbers) and STEP_PEAK (the most significant step in the smooth part: a dropped arm, a flux-calibration break);
 * SCORE is the larger of their two percentile ranks, in [0, 1], and RANK orders by it (1 = most anomalous).
 * PCA_CHI2 (IVAR-weighted reconstruction chi-square per good pixel) and DENSITY_NLL (-log p of the PCA coefficients
 * under a Gaussian mixture) are kept as columns but do not rank: on mock DESI quasars their top 1% is bright ordinary
 * and BAL quasars whose lines differ smoothly from the basis (test/quasar/anomaly-mock.test.ts). Rows that could not
 * be scored have NaN scores and rank after all others.
 *
 * @example
 * const s: AnomalyScores = anomalyScores(matrix, { seed: 42 }); s.rank[0];
 */
export interface AnomalyScores {
  targetid: BigInt64Array;
  highPeak: Float64Array;
  stepPeak: Float64Array;
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
}

/**
 * Scores every spectrum of `m` for oddness and ranks them: masked PCA (fitMaskedPca); each spectrum's residual
 * against its IVAR-weighted reconstruction split into a narrow part and a smooth part, both in units of the noise plus
 * a floor calibrated per rest wavelength on this population (fitResidualScales, scoreResidualScales), with BAL troughs
 * refitted out; SCORE is the larger percentile rank of HIGH_PEAK and STEP_PEAK. Flux residuals are never used: sky-line
 * residuals are large in flux but only a few sigma where the sky makes IVAR small (desispec#2725-2727). PCA_CHI2 and
 * a Gaussian-mixture density of the coefficients are computed as before for comparison. Everything is seeded: the same
 * matrix and options give the same numbers.
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
  // Max of percentile ranks: a spectrum extreme at either scale stands out, and neither statistic's units matter.
  const pHigh = percentileRanks(residual.highPeak);
  const pStep = percentileRanks(residual.stepPeak);
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const a = pHigh[r]!;
    const b = pStep[r]!;
    score[r] = Number.isNaN(a) && Number.isNaN(b) ? Number.NaN : Math.max(Number.isNaN(a) ? 0 : a, Number.isNaN(b) ? 0 : b);
  }
  const rank = new Int32Array(n);
  orderBy(score, residual.highPeak, m.targetid).forEach((r, i) => {
    rank[r] = i + 1;
  });
  return {
    targetid: m.targetid,
    highPeak: residual.highPeak,
    stepPeak: residual.stepPeak,
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
 * The scores as an Arrow table (TARGETID int64, HIGH_PEAK, STEP_PEAK, PCA_CHI2, DENSITY_NLL, SCORE float64, RANK
 * int32), rows in RANK order,
 * ready for Parquet or the store.
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
