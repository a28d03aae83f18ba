/**
 * The upper-tail probability of each value of a statistic in its own population: P(X >= x) among the `scored` rows
 * (those with a number, here or in another statistic; a row where this statistic is undefined, NaN, counts as the
 * lowest value and gets 1). Up to the population's 90th percentile it is the empirical fraction; beyond, an
 * exponential tail through the 90th and 99th percentiles, P = 0.1 x 10^-((x - x90) / (x99 - x90)). The tail is
 * fitted where ordinary spectra dominate (a sample's few anomalies sit above its 99th percentile), so a value far
 * beyond every ordinary one gets a probability as small as its distance says instead of the 1/n that ranks give it;
 * and statistics with heavy or light tails (line cores against noise) are put on one scale. Rows not scored at all
 * (`scored[r]` 0) stay NaN.
 *
 * @example
 * tailProbabilities(Float64Array.of(1, 2, 3, Number.NaN), Uint8Array.of(1, 1, 1, 1)); // [0.75, 0.5, ~0.07, 1]
 */
export function tailProbabilities(v: Float64Array, scored: Uint8Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const values: number[] = [];
  let total = 0;
  for (let r = 0; r < n; r++) {
    if (!scored[r]) continue;
    total++;
    if (!Number.isNaN(v[r]!)) values.push(v[r]!);
  }
  values.sort((a, b) => b - a);
  // The value exceeded by a fraction f of the scored rows (undefined rows lowest); NaN when fewer rows have one.
  const quantile = (f: number) => values[Math.floor(f * total)] ?? Number.NaN;
  const x90 = quantile(0.1);
  const x99 = quantile(0.01);
  const scale = x99 - x90;
  for (let r = 0; r < n; r++) {
    if (!scored[r]) continue;
    const x = v[r]!;
    if (Number.isNaN(x)) {
      out[r] = 1;
      continue;
    }
    if (scale > 0 && x > x90) {
      out[r] = 0.1 * 10 ** (-(x - x90) / scale);
      continue;
    }
    // Binary search: the count of values >= x in the descending list.
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! >= x) lo = mid + 1;
      else hi = mid;
    }
    out[r] = lo / total;
  }
  return out;
}
