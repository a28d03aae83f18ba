/**
 * The first index i in [from, to) with sorted[i] >= v (`sorted` increasing), else `to`: where a wavelength window
 * starts in a spectrum, found by bisection.
 *
 * @example
 * firstAtLeast(Float64Array.of(1000, 1001, 1002), 1000.5); // 1
 */
export function firstAtLeast(sorted: ArrayLike<number>, v: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
