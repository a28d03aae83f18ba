import { DR1_WAVELENGTH } from '../../desi/index.js';
import { restWavelength } from '../log-lambda-grid.js';
import type { MlMatrix } from '../ml-matrix.js';
import { isGood } from './masked-pca.js';

/**
 * Observed wavelengths (Angstrom) where DESI's arms meet, the middles of the B/R and R/Z overlaps: a dropped or
 * miscalibrated arm makes its step there, and nowhere else. DESI's: for a matrix of SDSS spectra (one break near
 * 6000 A, coverage to 10400 A) ARM_STEP looks in the wrong places and means nothing.
 *
 * @example
 * ARM_BREAKS; // [5780, 7570]
 */
export const ARM_BREAKS: readonly number[] = [
  (DR1_WAVELENGTH.B.wmax + DR1_WAVELENGTH.R.wmin) / 2,
  (DR1_WAVELENGTH.R.wmax + DR1_WAVELENGTH.Z.wmin) / 2,
];

/**
 * 1 + z of row r as its coverage implies: the DESI span (3600-9824 A) over the rest wavelengths of its first and last
 * good pixels, the geometric mean of both where both edges lie inside the grid, else the one that does. The matrix
 * keeps no redshift, and the edge of coverage is where the reported redshift put it.
 *
 * @example
 * coverageRedshift(matrix, 0); // ~2.1 for a row at z = 1.1
 */
export function coverageRedshift(m: MlMatrix, r: number): number {
  const p = m.npix;
  let first = -1;
  let last = -1;
  for (let j = 0; j < p; j++)
    if (isGood(m, r * p + j)) {
      if (first < 0) first = j;
      last = j;
    }
  if (last < 0) return Number.NaN;
  const red = DR1_WAVELENGTH.Z.wmax / restWavelength(m.grid, last);
  const blue = DR1_WAVELENGTH.B.wmin / restWavelength(m.grid, first);
  // Each edge is off by up to a pixel that the resampling leaves partly covered, in opposite senses: where both lie
  // inside the grid, their geometric mean.
  if (first > 0 && last < p - 1) return Math.sqrt(red * blue);
  return last < p - 1 ? red : blue;
}

/**
 * The rest pixels (fractional) of ARM_BREAKS in row r, into `out` (NaN when the row has no good pixel).
 *
 * @example
 * const at: number[] = []; armBreakPixels(matrix, 0, at); // [rest pixel of 5780 A, of 7570 A]
 */
export function armBreakPixels(m: MlMatrix, r: number, out: number[]): void {
  const onePlusZ = coverageRedshift(m, r);
  ARM_BREAKS.forEach((b, k) => {
    out[k] = (Math.log10(b / onePlusZ) - m.grid.log10Start) / m.grid.dlog10;
  });
}
