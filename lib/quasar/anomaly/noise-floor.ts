import { selectInPlace } from '../median.js';

/**
 * The variance floor s^2 that makes the `quantile` over spectra of resid2_i / (noise_i + s^2) equal to that of pure
 * noise (chi-square with one degree of freedom; the median, 0.455, by default), by bisection; 0 where noise alone
 * already explains the residuals. At the median, the few odd spectra of a calibration sample do not raise the floor
 * that is meant to hide only what ordinary spectra share; a higher quantile (0.9) also hides where ordinary spectra
 * have heavy tails (line cores, whose strength varies from quasar to quasar far more than a low-rank basis follows).
 * `resid2` are squared residuals, `noise` their noise variances (1/ivar), `count` how many of each to use; `work`
 * (at least `count` long) is scratch space.
 *
 * @example
 * noiseFloor(Float64Array.of(4, 4, 4), Float64Array.of(1, 1, 1), 3); // ~7.8: 4 / (1 + s^2) = 0.455
 */
export function noiseFloor(
  resid2: ArrayLike<number>,
  noise: ArrayLike<number>,
  count: number,
  quantile = 0.5,
  work = new Float64Array(count),
): number {
  if (count < 3) return 0;
  const target = chi2OneQuantile(quantile);
  const ratio = work.subarray(0, count);
  const at = (s2: number) => {
    for (let i = 0; i < count; i++) ratio[i] = resid2[i]! / (noise[i]! + s2);
    return quickSelect(ratio, quantile);
  };
  if (at(0) <= target) return 0;
  let lo = 0;
  let hi = 1;
  while (at(hi) > target && hi < 1e6) hi *= 4;
  // 24 halvings: s^2 to ~1e-7 of the bracket, far finer than a quantile of a few thousand values can resolve.
  for (let it = 0; it < 24; it++) {
    const mid = 0.5 * (lo + hi);
    if (at(mid) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The quantile q of chi-square with one degree of freedom: x^2 where P(|N(0,1)| < x) = q (bisection on erf).
 *
 * @example
 * chi2OneQuantile(0.5); // 0.4549
 */
export function chi2OneQuantile(q: number): number {
  let lo = 0;
  let hi = 40;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (erf(mid / Math.SQRT2) < q) lo = mid;
    else hi = mid;
  }
  const x = 0.5 * (lo + hi);
  return x * x;
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), enough for a calibration target. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/**
 * The value at quantile q of `v` (element floor(q n) in order) by quickselect, O(n); reorders `v`.
 *
 * @example
 * quickSelect(Float64Array.of(5, 1, 3), 0.5); // 3
 */
export function quickSelect(v: Float64Array, q: number): number {
  return selectInPlace(v, Math.min(v.length - 1, Math.floor(q * v.length)));
}
