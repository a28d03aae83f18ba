import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a DESI-level problem sits: the function or bitmask that refused a value (`scope`), and the file, HDU, arm and
 * column when the problem is in data.
 *
 * @example
 * const where: DesiLocation = { scope: 'convolveWithResolution', arm: 'B' }; // "convolveWithResolution: arm B: ..."
 */
export type DesiLocation = Pick<Location, 'scope' | 'file' | 'hdu' | 'arm' | 'column'>;

/**
 * A DESI request that cannot be met: a bad survey, program or healpix pixel, an unknown bit name, a predicate on a
 * column the table lacks, an arm or spectrum the spectra do not have. Bad input, exit code 2. (A file that is not the
 * DESI product it should be is a `FitsError` naming the HDUs it has.)
 *
 * @example
 * throw new DesiError("survey 'mian' is not one of cmx, main, special, sv1, sv2, sv3", { scope: 'dr1Location' });
 * // message: "dr1Location: survey 'mian' is not one of ..."
 */
export class DesiError extends SkybookError {
  readonly location: DesiLocation;

  constructor(problem: string, location: DesiLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
