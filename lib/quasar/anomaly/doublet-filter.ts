import { MGII_DOUBLET } from '../absorption-lines.js';
import type { LogLambdaGrid } from '../log-lambda-grid.js';

/**
 * Where and how a narrow absorption doublet is searched for on a rest-frame grid: the separation of its two lines in
 * grid pixels (constant on a log-lambda grid, whatever the absorber's redshift), the weight of the weaker line, and
 * the pixels searched.
 *
 * @example
 * const d: DoubletSearch = mgiiDoubletSearch(ML_GRID); d.spacing; // ~5.57
 */
export interface DoubletSearch {
  spacing: number;
  ratio: number;
  first: number;
  last: number;
  /** Pixel ranges [from, to] where no line of the doublet may fall (the BAL window, line cores); empty for none. */
  skip: readonly (readonly [number, number])[];
}

/**
 * The MgII 2796/2803 search on `grid`: spacing log10(2803.53 / 2796.35) / dlog10 pixels, the 2803 line weighted 0.8
 * (its equivalent width is between half the 2796 line's, optically thin, and equal, saturated; absorbers strong enough
 * to see in a DESI spectrum are near saturation), searched from `fromRest` (the basis's first wavelength) to 1% above
 * 2803.53 A, since an intervening absorber lies in front of the quasar, z_abs < z_qso; no line in `skipRest` (the
 * BAL window: narrow absorption there is mostly the quasar's own, CIV and SiIV troughs and their edges, which the
 * basis cannot follow; measured on 3000 mock quasars, the ten strongest "doublets" of ordinary spectra were there).
 *
 * @example
 * mgiiDoubletSearch(ML_GRID, 1260).last; // the pixel of ~2832 A
 */
export function mgiiDoubletSearch(
  grid: LogLambdaGrid,
  fromRest = 1260,
  skipRest: readonly (readonly [number, number])[] = [],
): DoubletSearch {
  const [blue, red] = MGII_DOUBLET;
  const pixel = (w: number) => Math.round((Math.log10(w) - grid.log10Start) / grid.dlog10);
  const first = Math.max(0, pixel(fromRest));
  const last = Math.min(grid.npix - 1, pixel(red * 1.01));
  const skip = skipRest.map(([lo, hi]) => [pixel(lo), pixel(hi)] as const);
  return { spacing: Math.log10(red / blue) / grid.dlog10, ratio: 0.8, first, last, skip };
}

/**
 * The matched-filter significance of the strongest absorption doublet in `t`, a spectrum's narrow residual in units
 * of its noise per rest pixel (NaN where the pixel is not good), with `u` the model's flux over the noise at each
 * pixel (its S/N): max over pixels j and over line widths of 1 and 2 pixels of -sum(c u t) / sqrt(sum (c u)^2) over
 * the pixels of both lines, c = 1 on the first line and `ratio` on the second, at the spacing rounded down and up (a
 * line falls between pixels). Absorption takes away a fraction of the light, so a line's deficit at a pixel is in
 * proportion to the model there: weighting by u is the matched filter for that, where equal weights would count a
 * pixel of a faint arm edge or a sky line as much as one of bright continuum. Positive for absorption. A NaN pixel
 * (masked: a cosmic ray, a bad column) counts as no light, weight 0, so the rest of the doublet is still read at its
 * own significance; trials without model flux anywhere are skipped. On 7 mock seeds, skipping every pair with a
 * masked pixel instead found 2 absorbers fewer. Under noise alone each trial is N(0, 1); requiring
 * both lines at the doublet's spacing is what separates an absorber from the single narrow dips that noise and
 * line-core mismatch make everywhere. Returns the peak and its first pixel (-1 where nothing was searched).
 *
 * @example
 * doubletPeak(t, u, mgiiDoubletSearch(ML_GRID)); // { peak: 7.9, at: 1930 }
 */
export function doubletPeak(t: Float64Array, u: Float64Array, search: DoubletSearch): { peak: number; at: number } {
  const { spacing, ratio, first, last, skip } = search;
  const skipped = (j: number, end: number) => skip.some(([lo, hi]) => end >= lo && j <= hi);
  let peak = Number.NEGATIVE_INFINITY;
  let at = -1;
  for (const offset of new Set([Math.floor(spacing), Math.ceil(spacing)]))
    for (const width of [1, 2]) {
      for (let j = first; j + offset + width - 1 <= last && j + offset + width - 1 < t.length; j++) {
        if (skipped(j, j + offset + width - 1)) continue;
        let sum = 0;
        let norm = 0;
        for (let w = 0; w < width; w++) {
          const ta = t[j + w]!;
          const tb = t[j + offset + w]!;
          const a = Number.isNaN(ta) ? 0 : u[j + w]!;
          const b = Number.isNaN(tb) ? 0 : ratio * u[j + offset + w]!;
          if (a > 0) sum += a * ta;
          if (b > 0) sum += b * tb;
          norm += a * a + b * b;
        }
        if (!(norm > 0)) continue;
        const s = -sum / Math.sqrt(norm);
        if (s > peak) {
          peak = s;
          at = j;
        }
      }
    }
  return { peak: at < 0 ? Number.NaN : peak, at };
}
