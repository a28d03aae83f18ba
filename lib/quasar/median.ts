/**
 * The median of `values` (the mean of the two middle ones for an even count; NaN when empty), found by selection in
 * O(n) rather than by sorting: the features take several medians of a thousand pixels per spectrum. Reorders
 * `values`; they must not hold NaN.
 *
 * @example
 * medianInPlace(Float64Array.of(5, 1, 4, 2)); // 3
 */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  const upper = selectInPlace(values, h);
  if (n % 2) return upper;
  // After selection everything before h is <= values[h]: the lower middle is their largest.
  let lower = values[0]!;
  for (let i = 1; i < h; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/**
 * The k-th smallest of `v` (0-based) by Hoare-partition quickselect, O(n): puts it at index k, smaller ones before
 * it, larger after. Reorders `v`; it must not hold NaN.
 *
 * @example
 * selectInPlace(Float64Array.of(5, 1, 3), 1); // 3
 */
export function selectInPlace(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        const t = v[i]!;
        v[i] = v[j]!;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k]!;
}
