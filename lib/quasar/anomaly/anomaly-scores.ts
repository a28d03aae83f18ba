import { Float64, Int32, Int64, makeData, RecordBatch, Schema, Field, Struct, Table } from 'apache-arrow';
import type { MlMatrix } from '../ml-matrix.js';
import { fitGaussianMixture, type GaussianMixture, mixtureNegLogLikelihood } from './gaussian-mixture.js';
import { fitMaskedPca, type MaskedPcaOptions, type PcaModel } from './masked-pca.js';
import { type PcaScores, scorePca } from './pca-scores.js';

/**
 * Anomaly scores of the rows of an ML matrix, in the matrix's row order: PCA_CHI2 (IVAR-weighted reconstruction
 * chi-square per good pixel), DENSITY_NLL (-log p of the PCA coefficients under a Gaussian mixture), SCORE (the larger
 * of the two percentile ranks, in [0, 1]) and RANK (1 = most anomalous). Rows that could not be scored have NaN
 * scores and rank after all others.
 *
 * @example
 * const s: AnomalyScores = anomalyScores(matrix, { seed: 42 }); s.rank[0];
 */
export interface AnomalyScores {
  targetid: BigInt64Array;
  pcaChi2: Float64Array;
  densityNll: Float64Array;
  score: Float64Array;
  rank: Int32Array;
  /** The fitted basis, mixture and per-row PCA detail, for plots and for scoring other batches alike. */
  pca: PcaModel;
  mixture: GaussianMixture | undefined;
  detail: PcaScores;
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
}

/**
 * Scores every spectrum of `m` for oddness in two ways and ranks them: (1) masked PCA (fitMaskedPca) and the
 * IVAR-weighted chi-square per good pixel of each spectrum's reconstruction (scorePca); (2) a Gaussian mixture fitted
 * by EM to the PCA coefficients (mean-amplitude-normalised), scored as -log p. SCORE is the larger of the two
 * percentile ranks, so a spectrum extreme in either stands out; RANK orders by SCORE, then PCA_CHI2, then TARGETID.
 * Everything is seeded: the same matrix and options give the same numbers.
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
  const pChi2 = percentileRanks(detail.chi2);
  const pNll = percentileRanks(densityNll);
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const a = pChi2[r]!;
    const b = pNll[r]!;
    score[r] = Number.isNaN(a) && Number.isNaN(b) ? Number.NaN : Math.max(Number.isNaN(a) ? 0 : a, Number.isNaN(b) ? 0 : b);
  }
  const rank = new Int32Array(n);
  orderBy(score, detail.chi2, m.targetid).forEach((r, i) => {
    rank[r] = i + 1;
  });
  return { targetid: m.targetid, pcaChi2: detail.chi2, densityNll, score, rank, pca, mixture, detail };
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
 * The scores as an Arrow table (TARGETID int64, PCA_CHI2, DENSITY_NLL, SCORE float64, RANK int32), rows in RANK order,
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

/** Row indices by score descending (NaN last), then chi2 descending, then TARGETID ascending. */
function orderBy(score: Float64Array, chi2: Float64Array, targetid: BigInt64Array): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v);
  return Array.from(score.keys()).sort(
    (a, b) =>
      key(score[b]!) - key(score[a]!) ||
      key(chi2[b]!) - key(chi2[a]!) ||
      (targetid[a]! < targetid[b]! ? -1 : targetid[a]! > targetid[b]! ? 1 : 0),
  );
}
