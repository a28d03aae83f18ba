import { medianInPlace } from '../median.js';
import type { MlMatrix } from '../ml-matrix.js';
import { isGood } from './masked-pca.js';

/**
 * The deficit u of each row's emission peak (`peaks`, undefined where not covered) against one reference window:
 * v = ln(peak / reference mean), compared with the median and the scatter (1.4826 MAD, less the neighbours' median
 * noise variance) of v over the `neighbours` rows next to it in the order of `key` (coverageEnds: the population at
 * nearly the same redshift), u = (median - v) / sqrt(scatter^2 + noise^2); NaN where the row has no peak or no
 * reference, or fewer than 10 rows have both.
 *
 * @example
 * const u = peakDeficit(m, wave, peaks, coverageEnds(m, wave), [1270, 1370], 100);
 */
export function peakDeficit(
  m: MlMatrix,
  wave: Float64Array,
  peaks: readonly (WindowMean | undefined)[],
  key: Float64Array,
  [cLo, cHi]: readonly [number, number],
  neighbours: number,
): Float64Array {
  const n = m.targetid.length;
  const v = new Float64Array(n).fill(Number.NaN);
  const noise2 = new Float64Array(n).fill(Number.NaN);
  for (let r = 0; r < n; r++) {
    const peak = peaks[r];
    const ref = peak && windowMean(m, r, wave, cLo, cHi);
    if (!peak || !ref || !(ref.mean > 0)) continue;
    // A peak at or below zero is a deficit as large as the noise lets us say: hold it at one sigma above zero.
    const top = Math.max(peak.mean, peak.sigma);
    v[r] = Math.log(top / ref.mean);
    noise2[r] = (peak.sigma / top) ** 2 + (ref.sigma / ref.mean) ** 2;
  }
  const rows = Array.from(v.keys())
    .filter((r) => !Number.isNaN(v[r]!))
    .sort((a, b) => key[a]! - key[b]! || a - b);
  const out = new Float64Array(n).fill(Number.NaN);
  const count = rows.length;
  if (count < 10) return out;
  const k = Math.min(neighbours, count - 1);
  const vals = new Float64Array(k);
  const devs = new Float64Array(k);
  const noises = new Float64Array(k);
  for (let i = 0; i < count; i++) {
    // The k rows either side of this one in coverage order (k / 2 each way, shifted inward at the ends).
    const lo = Math.max(0, Math.min(i - (k >> 1), count - 1 - k));
    const hi = lo + k;
    let c = 0;
    for (let t = lo; t <= hi; t++) {
      if (t === i) continue;
      if (c === k) break;
      vals[c] = v[rows[t]!]!;
      noises[c++] = noise2[rows[t]!]!;
    }
    const med = medianInPlace(vals.subarray(0, c));
    for (let t = 0; t < c; t++) devs[t] = Math.abs(vals[t]! - med);
    const mad = 1.4826 * medianInPlace(devs.subarray(0, c));
    const intrinsic = Math.max(0, mad * mad - medianInPlace(noises.subarray(0, c)));
    const r = rows[i]!;
    out[r] = (med - v[r]!) / Math.sqrt(intrinsic + noise2[r]!);
  }
  return out;
}

/**
 * An IVAR-weighted mean flux and its error.
 *
 * @example
 * const w: WindowMean = { mean: 1.2, sigma: 0.05 };
 */
export interface WindowMean {
  mean: number;
  sigma: number;
}

/**
 * IVAR-weighted mean flux of row r's good pixels in [lo, hi] (rest Angstrom, `wave` per pixel) and its error;
 * undefined when fewer than half are good.
 *
 * @example
 * windowMean(m, 0, wave, 1216, 1230); // { mean, sigma } or undefined
 */
export function windowMean(m: MlMatrix, r: number, wave: Float64Array, lo: number, hi: number): WindowMean | undefined {
  let w = 0;
  let f = 0;
  let good = 0;
  let total = 0;
  for (let j = 0; j < m.npix; j++) {
    if (wave[j]! < lo || wave[j]! > hi) continue;
    total++;
    const o = r * m.npix + j;
    if (!isGood(m, o)) continue;
    w += m.ivar[o]!;
    f += m.ivar[o]! * m.flux[o]!;
    good++;
  }
  return total > 0 && good * 2 >= total ? { mean: f / w, sigma: 1 / Math.sqrt(w) } : undefined;
}

/**
 * For each row, the log of the rest wavelength of its last good pixel: where its coverage ends, lambda_max / (1 + z)
 * on one instrument, so rows in this order are in order of redshift. NaN for a row with no good pixel. One pass over
 * the matrix serves every peak measured on it.
 *
 * @example
 * const key = coverageEnds(m, wave);
 */
export function coverageEnds(m: MlMatrix, wave: Float64Array): Float64Array {
  const n = m.targetid.length;
  const p = m.npix;
  const key = new Float64Array(n).fill(Number.NaN);
  for (let r = 0; r < n; r++) {
    // From the red end: the first good pixel met there is the last one.
    for (let j = p - 1; j >= 0; j--)
      if (isGood(m, r * p + j)) {
        key[r] = Math.log(wave[j]!);
        break;
      }
  }
  return key;
}
