import { VoidsError } from '../errors/index.js';
import { binomialPmf, kolmogorovSf } from './kolmogorov.js';

/**
 * The alternative hypothesis of a two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp names them: 'two-sided'
 * (the distributions differ), 'less' (the first sample's CDF lies below the second's somewhere), 'greater' (above).
 *
 * @example
 * const alt: KsAlternative = 'two-sided';
 */
export type KsAlternative = 'two-sided' | 'less' | 'greater';

/**
 * Options of {@link ksTwoSample}. `method` 'auto' (default) is scipy's rule: the exact distribution when both samples
 * have at most 10,000 values, else the asymptotic one.
 *
 * @example
 * const opts: KsOptions = { alternative: 'two-sided', method: 'auto' };
 */
export interface KsOptions {
  alternative?: KsAlternative;
  method?: 'auto' | 'exact' | 'asymp';
}

/**
 * The outcome of a two-sample KS test, with scipy's fields: the statistic D, its p-value, the value where the two
 * empirical CDFs are furthest apart (`location`) and which one is above there (`sign`: +1 the first), and the method
 * the p-value came from.
 *
 * @example
 * const r: KsResult = ksTwoSample(voidColour, wallColour); r.pvalue < 0.01
 */
export interface KsResult {
  statistic: number;
  pvalue: number;
  location: number;
  sign: 1 | -1;
  method: 'exact' | 'asymp';
  n1: number;
  n2: number;
}

/** scipy's limit for 'auto': exact p-values for samples of at most this many values. */
const MAX_EXACT = 10000;

function sortedCopy(values: ArrayLike<number>, which: string): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++)
    if (Number.isNaN(out[i]!))
      throw new VoidsError(`sample ${which} holds NaN at index ${i}; drop NaN values first`, { scope: 'ksTwoSample' });
  return out.sort();
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The probability that a uniformly random lattice path from (0, 0) to (m, n) (m steps in i, n in j, every order equally
 * likely) reaches a point where n i - m j >= bound (two-sided: or m j - n i >= bound). The walk is a sequence of draws
 * without replacement, and what is carried through the band of points not yet crossed is the probability of being at a
 * point having crossed before: it grows from the hypergeometric probability of each crossed neighbour, sums of positive
 * terms only, so a p-value of 1e-100 keeps its digits (1 - P(inside) would be 0; Viehmann 2021 makes the same point).
 */
function crossingProbability(m: number, n: number, bound: number, twoSided: boolean): number {
  const total = m + n;
  const inside = (i: number, j: number) => n * i - m * j < bound && (!twoSided || m * j - n * i < bound);
  // P(the walk is at (i, j)): C(m, i) C(n, j) / C(m + n, i + j), as binomial probabilities at p = (i + j) / (m + n)
  const at = (i: number, j: number): number => {
    const k = i + j;
    if (k === 0 || k === total) return 1;
    const p = k / total;
    const q = (total - k) / total;
    return (binomialPmf(i, m, p, q) * binomialPmf(j, n, p, q)) / binomialPmf(k, total, p, q);
  };
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  let prevLo = 0;
  let prevHi = -1;
  for (let i = 0; i <= m; i++) {
    // the points of row i still inside: n i - bound < m j (and m j < n i + bound), a run of j
    let lo = Math.max(0, Math.floor((n * i - bound) / m));
    let hi = twoSided ? Math.min(n, Math.ceil((n * i + bound) / m)) : n;
    while (lo <= hi && !inside(i, lo)) lo++;
    while (hi >= lo && !inside(i, hi)) hi--;
    for (let j = lo; j <= hi; j++) {
      const share = 1 / (total - i - j + 1);
      let crossed = 0;
      if (i > 0) crossed += (j >= prevLo && j <= prevHi ? prev[j]! : at(i - 1, j)) * (m - i + 1) * share;
      if (j > 0) crossed += (j - 1 >= lo ? cur[j - 1]! : at(i, j - 1)) * (n - j + 1) * share;
      cur[j] = crossed;
    }
    [prev, cur] = [cur, prev];
    prevLo = lo;
    prevHi = hi;
  }
  return prev[n]!;
}

/**
 * The two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp computes it: the statistic is the largest distance
 * between the two empirical CDFs (ties handled by evaluating both just right of every value); the p-value is exact
 * (the lattice-path count of paths that cross the statistic's band) for samples of at most 10,000 values, else
 * asymptotic (two-sided: the Kolmogorov distribution at n = round(n1 n2 / (n1 + n2)); one-sided: Hodges' formula).
 * NaN values are refused: drop them first (`compareEnvironments` does, and counts them).
 *
 * @example
 * const { statistic, pvalue } = ksTwoSample(Float64Array.of(1, 2, 3, 4), Float64Array.of(3.5, 5, 6, 7, 8));
 */
export function ksTwoSample(sample1: ArrayLike<number>, sample2: ArrayLike<number>, options: KsOptions = {}): KsResult {
  const alternative = options.alternative ?? 'two-sided';
  let method = options.method ?? 'auto';
  if (!['two-sided', 'less', 'greater'].includes(alternative))
    throw new VoidsError(`invalid alternative: ${JSON.stringify(alternative)} (two-sided, less or greater)`, { scope: 'ksTwoSample' });
  if (!['auto', 'exact', 'asymp'].includes(method))
    throw new VoidsError(`invalid method: ${JSON.stringify(method)} (auto, exact or asymp)`, { scope: 'ksTwoSample' });
  const a = sortedCopy(sample1, '1');
  const b = sortedCopy(sample2, '2');
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0)
    throw new VoidsError(`an empty sample (${n1} and ${n2} values): each needs at least one`, { scope: 'ksTwoSample' });

  // Walk the merged values; at each distinct value both CDFs jump past every copy of it (searchsorted 'right').
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let maxAt = Number.NaN;
  let minDiff = Infinity;
  let minAt = Number.NaN;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) [maxDiff, maxAt] = [diff, v];
    if (diff < minDiff) [minDiff, minAt] = [diff, v];
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  const maxS = maxDiff;
  const useMin = alternative === 'less' || (alternative === 'two-sided' && minS > maxS);
  let d = useMin ? minS : maxS;
  const location = useMin ? minAt : maxAt;
  const sign: 1 | -1 = useMin ? -1 : 1;

  const g = gcd(n1, n2);
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_EXACT ? 'exact' : 'asymp';
  else if (method === 'exact' && n1 / g >= 2147483647 / (n2 / g)) method = 'asymp';
  let pvalue: number;
  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    pvalue = h === 0 ? 1 : crossingProbability(n1, n2, h * g, alternative === 'two-sided');
  } else {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') pvalue = kolmogorovSf(roundHalfEven(en), d);
    else {
      const z = Math.sqrt(en) * d;
      pvalue = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return { statistic: d, pvalue: Math.min(1, Math.max(0, pvalue)), location, sign, method, n1, n2 };
}
