/**
 * Points of a weighted fit after neighbouring pixels were combined: x, y as inverse-variance-weighted means of the
 * pixels of each bin, w as the sum of their weights and v as the weighted variance of x within the bin (0 for a
 * single pixel): a model curved over a bin is read at x with its second-order term v f''/2 (GaussianLines does).
 *
 * @example
 * const p: BinnedPoints = binPoints(x, y, w, { width: 5e-4, most: 4, keep: [] });
 * p.x.length <= x.length; // true
 */
export interface BinnedPoints {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  v: Float64Array;
}

/**
 * How {@link binPoints} combines pixels: a bin spans at most `width` in x and holds at most `most` pixels, and pixels
 * inside any `keep` interval [lo, hi] (sorted by lo) stay single.
 *
 * @example
 * const o: BinOptions = { width: 5e-4, most: 4, keep: [[Math.log(4850), Math.log(4880)]] };
 */
export interface BinOptions {
  width: number;
  most: number;
  keep: readonly (readonly [number, number])[];
}

/**
 * Combines runs of neighbouring points (x increasing) into one point each by inverse variance. Where the model is
 * smooth on the scale of a bin, chi2 differences between models, the normal equations and so the fitted parameters
 * and their errors barely change, while every iteration of the fit reads fewer points: DESI samples a broad line
 * of 4,000 km/s with ~100 pixels. A model read at the bin's mean x with the curvature term (see BinnedPoints) matches
 * the bin's mean to fourth order in its width. Narrow lines, a few pixels wide, are kept at full resolution through
 * `keep`. Zero-weight pixels are dropped.
 *
 * @example
 * const { x: xb, y: yb, w: wb } = binPoints(x, y, w, { width: 5e-4, most: 4, keep: [] });
 */
export function binPoints(x: Float64Array, y: Float64Array, w: Float64Array, options: BinOptions, into?: Float64Array): BinnedPoints {
  const n = x.length;
  // `into` (4 x.length values or more) holds the result instead of new arrays, for a caller that bins again and again.
  const store = into && into.length >= 4 * n ? into : new Float64Array(4 * n);
  const bx = store.subarray(0, n);
  const by = store.subarray(n, 2 * n);
  const bw = store.subarray(2 * n, 3 * n);
  const bv = store.subarray(3 * n, 4 * n);
  const { width, most, keep } = options;
  let zone = 0;
  const inKeep = (v: number): boolean => {
    while (zone < keep.length && keep[zone]![1] < v) zone++;
    return zone < keep.length && keep[zone]![0] <= v;
  };
  let m = 0;
  for (let i = 0; i < n; ) {
    const first = x[i]!;
    if (inKeep(first)) {
      if (w[i]! > 0) {
        bx[m] = first;
        by[m] = y[i]!;
        bw[m] = w[i]!;
        bv[m] = 0;
        m++;
      }
      i++;
      continue;
    }
    let sw = 0;
    let swx = 0;
    let swy = 0;
    let swxx = 0;
    let j = i;
    for (; j < n && j < i + most && x[j]! - first < width; j++) {
      if (j > i && inKeep(x[j]!)) break;
      const wj = w[j]!;
      // x relative to the bin's first pixel, so the variance is not a difference of two large numbers
      const dx = x[j]! - first;
      sw += wj;
      swx += wj * dx;
      swy += wj * y[j]!;
      swxx += wj * dx * dx;
    }
    if (sw > 0) {
      const mean = swx / sw;
      bx[m] = first + mean;
      by[m] = swy / sw;
      bw[m] = sw;
      bv[m] = Math.max(swxx / sw - mean * mean, 0);
      m++;
    }
    i = j;
  }
  return { x: bx.subarray(0, m), y: by.subarray(0, m), w: bw.subarray(0, m), v: bv.subarray(0, m) };
}
