import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a quasar-measurement problem sits: the function that refused (`scope`), and the file, row and column of the
 * spectrum when the problem is in data.
 *
 * @example
 * const where: QuasarLocation = { scope: 'balIndex' };
 */
export type QuasarLocation = Pick<Location, 'scope' | 'file' | 'hdu' | 'column' | 'row'>;

/**
 * A quasar measurement that cannot be made as asked: an unknown line name, arrays of mismatched lengths, a window
 * outside the spectrum. Bad input, exit code 2.
 *
 * @example
 * throw new QuasarError("invalid emission line: 'CIIII' (one of LYA, NV, ...)", { scope: 'emissionLine' });
 */
export class QuasarError extends SkybookError {
  readonly location: QuasarLocation;

  constructor(problem: string, location: QuasarLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
