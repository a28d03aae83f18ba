import { PipelineError } from '../../errors/index.js';

/**
 * The two-sample Kolmogorov-Smirnov test's result: the statistic D = sup |F1 - F2| over the two empirical distribution
 * functions, and its asymptotic p-value.
 *
 * @example
 * const r: KsResult = ksTwoSample(Float64Array.of(1, 2), Float64Array.of(3, 4)); r.statistic; // 1
 */
export interface KsResult {
  statistic: number;
  /**
   * P(D >= statistic) from Kolmogorov's limiting distribution at sqrt(n1 n2 / (n1 + n2)) D (`scipy.stats.kstwobign`).
   * scipy's `ks_2samp(method='asymp')` uses the one-sample finite-n distribution at round(n1 n2 / (n1 + n2))
   * instead; the two agree to O(1/sqrt(n)) and are the same in the large-sample limit a QA gate works in.
   */
  pValue: number;
  /** The value at which |F1 - F2| is largest (the first such, in sorted order). */
  location: number;
  n1: number;
  n2: number;
}

/**
 * The exact two-sample KS statistic and its asymptotic p-value. Ties (within a sample or across the two) are handled
 * as scipy does: both distribution functions step past every copy of a value before they are compared, so equal
 * samples give D = 0. The samples are sorted in place; NaN is refused (drop it first: it has no place in an order).
 *
 * @example
 * ksTwoSample(Float64Array.of(1, 2, 2, 3), Float64Array.of(2, 2, 3, 4)).statistic; // 0.25
 */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsResult {
  if (a.length === 0 || b.length === 0) throw new PipelineError('the KS test needs two non-empty samples');
  if (a.some(Number.isNaN) || b.some(Number.isNaN)) throw new PipelineError('the KS test refuses NaN values');
  a.sort();
  b.sort();
  const n1 = a.length;
  const n2 = b.length;
  // |i/n1 - j/n2| compared exactly as |i n2 - j n1| (integers below 2^53 for any sample that fits in memory), so
  // rounding never picks the wrong step; the statistic is then the float expression scipy evaluates.
  let i = 0;
  let j = 0;
  let best = -1;
  let bi = 0;
  let bj = 0;
  let location = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! === v) i++;
    while (j < n2 && b[j]! === v) j++;
    const gap = Math.abs(i * n2 - j * n1);
    if (gap > best) {
      best = gap;
      bi = i;
      bj = j;
      location = v;
    }
  }
  const statistic = Math.abs(bi / n1 - bj / n2);
  const en = (n1 * n2) / (n1 + n2);
  return { statistic, pValue: kolmogorovSf(Math.sqrt(en) * statistic), location, n1, n2 };
}

/**
 * The survival function of Kolmogorov's limiting distribution, P(K > x) (`scipy.special.kolmogorov`): the alternating
 * series 2 sum (-1)^(k-1) exp(-2 k^2 x^2) where it converges fast (x >= 1), else one minus Jacobi's theta form of the
 * distribution function, sqrt(2 pi) / x sum exp(-(2k-1)^2 pi^2 / (8 x^2)).
 *
 * @example
 * kolmogorovSf(1.3580986393225507); // ~0.05
 */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x >= 1) {
    let sum = 0;
    for (let k = 1; k <= 100; k++) {
      const term = Math.exp(-2 * k * k * x * x);
      sum += k % 2 ? term : -term;
      if (term < 1e-300 || term < sum * 1e-17) break;
    }
    return Math.min(1, Math.max(0, 2 * sum));
  }
  const w = (Math.PI * Math.PI) / (8 * x * x);
  let cdf = 0;
  for (let k = 1; k <= 100; k += 2) {
    const term = Math.exp(-k * k * w);
    cdf += term;
    if (term < 1e-300 || term < cdf * 1e-17) break;
  }
  cdf *= Math.sqrt(2 * Math.PI) / x;
  return Math.min(1, Math.max(0, 1 - cdf));
}
