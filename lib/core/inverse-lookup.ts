/**
 * Inverse of a tabulated increasing function: the x where y(x) = target, by bisection in `ys` and linear
 * interpolation between the bracketing entries of `xs`. Used for the mock survey's inverse CDFs and for redshift from
 * distance in lib/cosmo's `LinearDistanceTable`.
 *
 * @example
 * inverseLookup(new Float64Array([0, 1, 2]), new Float64Array([0, 10, 20]), 15); // 1.5
 */
export function inverseLookup(xs: Float64Array, ys: Float64Array, target: number): number {
  let lo = 0;
  let hi = ys.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ys[mid]! < target) lo = mid;
    else hi = mid;
  }
  const f = (target - ys[lo]!) / Math.max(ys[hi]! - ys[lo]!, 1e-300);
  return xs[lo]! + f * (xs[hi]! - xs[lo]!);
}
