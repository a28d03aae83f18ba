import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where in a FITS file a problem sits; every field optional, the message names those that are set.
 *
 * @example
 * const where: FitsLocation = { file: 'tb.fits', hdu: 1, keyword: 'TFORM3' }; // "tb.fits: HDU 1: TFORM3: ..."
 */
export type FitsLocation = Pick<Location, 'file' | 'hdu' | 'keyword' | 'column' | 'row'>;

/**
 * A FITS file that breaks the standard (or our ability to read it): bad input, exit code 2. The message names the file,
 * the HDU and the keyword or column, e.g. `tb.fits: HDU 1: TFORM3: '1W': unknown column type`.
 *
 * @example
 * throw new FitsError('missing END card', { file: 'x.fits', hdu: 0 });
 */
export class FitsError extends SkybookError {
  readonly location: FitsLocation;

  constructor(problem: string, location: FitsLocation = {}, options?: { cause?: unknown }) {
    super(formatLocation(location) + problem, 2, options);
    this.location = location;
  }
}
