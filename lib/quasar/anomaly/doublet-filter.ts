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
 * of its noise per rest pixel (NaN where the pixel is not good): max over pixels j and over line widths of 1 and 2
 * pixels of -(T(j) + ratio T(j + s)) / sqrt(width (1 + ratio^2)), T the sum over the width and s the spacing rounded
 * down and up (a line falls between pixels). Positive for absorption; a pair with a NaN pixel is skipped. Under
 * noise alone each term is N(0, 1); requiring both lines at the doublet's spacing is what separates an absorber from
 * the single narrow dips that noise and line-core mismatch make everywhere. Returns the peak and its first pixel (-1
 * where nothing was searched).
 *
 * @example
 * doubletPeak(t, mgiiDoubletSearch(ML_GRID)); // { peak: 7.9, at: 1930 }
 */
export function doubletPeak(t: Float64Array, search: DoubletSearch): { peak: number; at: number } {
  const { spacing, ratio, first, last, skip } = search;
  const skipped = (j: number, end: number) => skip.some(([lo, hi]) => end >= lo && j <= hi);
  let peak = Number.NEGATIVE_INFINITY;
  let at = -1;
  for (const offset of new Set([Math.floor(spacing), Math.ceil(spacing)]))
    for (const width of [1, 2]) {
      const norm = Math.sqrt(width * (1 + ratio * ratio));
      for (let j = first; j + offset + width - 1 <= last && j + offset + width - 1 < t.length; j++) {
        if (skipped(j, j + offset + width - 1)) continue;
        let a = 0;
        let b = 0;
        for (let w = 0; w < width; w++) {
          a += t[j + w]!;
          b += t[j + offset + w]!;
        }
        const s = -(a + ratio * b) / norm;
        if (s > peak) {
          peak = s;
          at = j;
        }
      }
    }
  return { peak: at < 0 ? Number.NaN : peak, at };
}
