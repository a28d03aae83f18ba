import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a void-finding problem sits: the function that refused (`scope`) and, for bad galaxies or a bad catalogue
 * file, the file, HDU, column and row.
 *
 * @example
 * const where: VoidsLocation = { file: 'galaxies.fits', hdu: 1, column: 'z', row: 17 };
 */
export type VoidsLocation = Pick<Location, 'scope' | 'file' | 'hdu' | 'column' | 'row'>;

/**
 * Void finding or classification that cannot be done as asked: no redshift column, a NaN or negative redshift, an
 * empty galaxy table, a voids file without MAXIMALS, options out of range. Bad input, exit code 2.
 *
 * @example
 * throw new VoidsError('redshift is NaN', { file: 'galaxies.fits', hdu: 1, column: 'z', row: 17 });
 * // message: "galaxies.fits: HDU 1: column z: row 17: redshift is NaN"
 */
export class VoidsError extends SkybookError {
  readonly location: VoidsLocation;

  constructor(problem: string, location: VoidsLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
