import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a void-science problem sits: the function that refused (`scope`), and the file, HDU, column and row of the
 * galaxies or void catalogue when the problem is in data.
 *
 * @example
 * const where: VoidsLocation = { file: 'DR7_VoidFinder_Output.fits', hdu: 'HOLES', column: 'radius', row: 12 };
 */
export type VoidsLocation = Pick<Location, 'scope' | 'file' | 'hdu' | 'column' | 'row'>;

/**
 * Void finding or classification that cannot be done as asked: a void catalogue without MAXIMALS or HOLES, a column a
 * table lacks, a negative radius, arrays of mismatched lengths, a galaxy table without rows. Bad input, exit code 2.
 *
 * @example
 * throw new VoidsError('no MAXIMALS HDU: not a VoidFinder catalogue', { file: 'voids.fits' });
 * // message: "voids.fits: no MAXIMALS HDU: not a VoidFinder catalogue"
 */
export class VoidsError extends SkybookError {
  readonly location: VoidsLocation;

  constructor(problem: string, location: VoidsLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
