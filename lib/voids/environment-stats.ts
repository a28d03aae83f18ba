import { Rng } from '../core/index.js';
import { VoidsError } from '../errors/index.js';
import { type KsOptions, type KsResult, ksTwoSample } from './ks-test.js';
import { VFLAG } from './vflag.js';

/**
 * Options of {@link compareEnvironments}. `bins` is a number of equal bins over the finite values of both
 * environments (default 20), or the bin edges themselves (increasing). `bootstrap` resamples per environment (default
 * 200; 0 for none) drawn from `seed` (default 1): the same seed gives the same errors.
 *
 * @example
 * const opts: EnvironmentOptions = { bins: 30, bootstrap: 1000, seed: 7 };
 */
export interface EnvironmentOptions {
  bins?: number | ArrayLike<number>;
  bootstrap?: number;
  seed?: number;
  ks?: KsOptions;
}

/**
 * One environment's distribution of the property: how many galaxies, mean, median and standard deviation (ddof 1),
 * the bootstrap standard errors of the mean and median, and the histogram on the shared edges: counts, the fraction
 * of the environment's galaxies in each bin, and that fraction's bootstrap error (NaN without bootstrap).
 *
 * @example
 * const s: EnvironmentSummary = comparison.void; s.mean, s.meanError, s.fraction[3]
 */
export interface EnvironmentSummary {
  count: number;
  mean: number;
  median: number;
  std: number;
  meanError: number;
  medianError: number;
  counts: Float64Array;
  fraction: Float64Array;
  fractionError: Float64Array;
}

/**
 * Void against wall for one galaxy property: the two summaries on shared bin `edges`, the two-sample KS test (void
 * first, as scipy.stats.ks_2samp(void, wall)), and what was left out: NaN values, edge galaxies (vflag 2) and galaxies
 * outside the survey (vflag 9).
 *
 * @example
 * const c = compareEnvironments(gMinusR, vflag); c.ks.pvalue, c.void.median - c.wall.median
 */
export interface EnvironmentComparison {
  edges: Float64Array;
  void: EnvironmentSummary;
  wall: EnvironmentSummary;
  ks: KsResult;
  skipped: { nan: number; edge: number; outside: number };
}

/** Bin of a value on increasing edges, numpy.histogram's rule (the last bin is closed); -1 outside. */
function binOf(edges: Float64Array, v: number): number {
  const last = edges.length - 1;
  if (!(v >= edges[0]!) || v > edges[last]!) return -1;
  if (v === edges[last]) return last - 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

function edgesFor(bins: number | ArrayLike<number>, values: Float64Array[]): Float64Array {
  if (typeof bins !== 'number') {
    const e = Float64Array.from(bins);
    if (e.length < 2) throw new VoidsError(`bins: ${e.length} edges given; at least 2 are needed`, { scope: 'compareEnvironments' });
    for (let i = 1; i < e.length; i++)
      if (!(e[i]! > e[i - 1]!))
        throw new VoidsError(`bins: edges must increase (edge ${i} is ${e[i]} after ${e[i - 1]})`, { scope: 'compareEnvironments' });
    return e;
  }
  if (!Number.isInteger(bins) || bins < 1)
    throw new VoidsError(`invalid bins: ${bins} (a whole number >= 1, or the edges)`, { scope: 'compareEnvironments' });
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values)
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < lo) lo = v[i]!;
      if (v[i]! > hi) hi = v[i]!;
    }
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5]; // numpy's range for a single value
  const e = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) e[i] = lo + ((hi - lo) * i) / bins;
  e[bins] = hi;
  return e;
}

/** Median of sorted values (the mean of the two middle ones for an even count). */
function medianSorted(v: Float64Array): number {
  const n = v.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
}

function stdOf(sum: number, sumSq: number, n: number): number {
  if (n < 2) return Number.NaN;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
}

/** One environment's summary; `sorted` holds its finite values in increasing order. */
function summarise(sorted: Float64Array, edges: Float64Array, resamples: number, rng: Rng): EnvironmentSummary {
  const n = sorted.length;
  const nb = edges.length - 1;
  const bin = Int32Array.from(sorted, (v) => binOf(edges, v));
  const counts = new Float64Array(nb);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (bin[i]! >= 0) counts[bin[i]!]!++;
    sum += sorted[i]!;
  }
  const mean = n ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  const fraction = counts.map((c) => (n ? c / n : Number.NaN));
  const out: EnvironmentSummary = {
    count: n,
    mean,
    median: medianSorted(sorted),
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    meanError: Number.NaN,
    medianError: Number.NaN,
    counts,
    fraction,
    fractionError: new Float64Array(nb).fill(Number.NaN),
  };
  if (resamples < 2 || n === 0) return out;

  // Each resample is a multiset of the sorted values: draw n indices, then one pass in sorted order gives its mean,
  // its median (the ranks (n-1)/2 and n/2) and its histogram, without sorting anything again.
  const times = new Uint32Array(n);
  const binCounts = new Float64Array(nb);
  const lowRank = Math.floor((n - 1) / 2);
  const highRank = Math.floor(n / 2);
  let meanSum = 0;
  let meanSq = 0;
  let medSum = 0;
  let medSq = 0;
  const fracSum = new Float64Array(nb);
  const fracSq = new Float64Array(nb);
  for (let r = 0; r < resamples; r++) {
    times.fill(0);
    binCounts.fill(0);
    for (let k = 0; k < n; k++) times[rng.int(n)]!++;
    let s = 0;
    let seen = 0;
    let low = Number.NaN;
    let high = Number.NaN;
    for (let i = 0; i < n; i++) {
      const t = times[i]!;
      if (t === 0) continue;
      s += t * sorted[i]!;
      if (bin[i]! >= 0) binCounts[bin[i]!]! += t;
      if (seen <= lowRank && lowRank < seen + t) low = sorted[i]!;
      if (seen <= highRank && highRank < seen + t) high = sorted[i]!;
      seen += t;
    }
    const m = s / n;
    const med = (low + high) / 2;
    meanSum += m;
    meanSq += m * m;
    medSum += med;
    medSq += med * med;
    for (let b = 0; b < nb; b++) {
      const f = binCounts[b]! / n;
      fracSum[b]! += f;
      fracSq[b]! += f * f;
    }
  }
  out.meanError = stdOf(meanSum, meanSq, resamples);
  out.medianError = stdOf(medSum, medSq, resamples);
  for (let b = 0; b < nb; b++) out.fractionError[b] = stdOf(fracSum[b]!, fracSq[b]!, resamples);
  return out;
}

/**
 * Compares a galaxy property between void galaxies (vflag 1) and wall galaxies (vflag 0): summaries with bootstrap
 * errors, histograms on shared edges, and the two-sample KS test (scipy.stats.ks_2samp's statistic and p-value). Edge
 * (2) and outside (9) galaxies and NaN values are left out and counted. Deterministic: the same values, flags and
 * seed give the same numbers.
 *
 * @example
 * const c = compareEnvironments(absMagR, vflag, { bins: 25, bootstrap: 500 });
 * console.log(c.ks.statistic, c.ks.pvalue, c.void.median, c.wall.median);
 */
export function compareEnvironments(
  values: ArrayLike<number>,
  vflag: ArrayLike<number>,
  options: EnvironmentOptions = {},
): EnvironmentComparison {
  if (values.length !== vflag.length)
    throw new VoidsError(`values (${values.length}) and vflag (${vflag.length}) lengths differ`, { scope: 'compareEnvironments' });
  const resamples = options.bootstrap ?? 200;
  if (!Number.isInteger(resamples) || resamples < 0)
    throw new VoidsError(`invalid bootstrap: ${resamples} (a whole number of resamples, 0 for none)`, { scope: 'compareEnvironments' });
  const seed = options.seed ?? 1;
  const skipped = { nan: 0, edge: 0, outside: 0 };
  const voids: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const f = vflag[i]!;
    if (f === VFLAG.edge) skipped.edge++;
    else if (f === VFLAG.outside) skipped.outside++;
    else if (f !== VFLAG.void && f !== VFLAG.wall)
      throw new VoidsError(`vflag ${f} at row ${i}: flags are 0 wall, 1 void, 2 edge, 9 outside`, { scope: 'compareEnvironments', row: i });
    else if (Number.isNaN(values[i]!)) skipped.nan++;
    else (f === VFLAG.void ? voids : walls).push(values[i]!);
  }
  if (voids.length === 0 || walls.length === 0)
    throw new VoidsError(`${voids.length} void and ${walls.length} wall galaxies with a value: both are needed`, {
      scope: 'compareEnvironments',
    });
  const v = Float64Array.from(voids).sort();
  const w = Float64Array.from(walls).sort();
  const edges = edgesFor(options.bins ?? 20, [v, w]);
  return {
    edges,
    void: summarise(v, edges, resamples, Rng.for(seed, 'bootstrap', 'void')),
    wall: summarise(w, edges, resamples, Rng.for(seed, 'bootstrap', 'wall')),
    ks: ksTwoSample(v, w, options.ks),
    skipped,
  };
}
