import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a Cloudy problem sits: the function that refused (`scope`), the file, and its line (1-based) or column.
 *
 * @example
 * const where: CloudyLocation = { scope: 'parseSaveFile', file: 'hii.ovr', line: 17 };
 */
export type CloudyLocation = Pick<Location, 'scope' | 'file' | 'line' | 'column'>;

/**
 * A Cloudy input or output that cannot be used as given: a save file whose rows do not match its header, an output
 * with no Cloudy banner, a deck value that would break the deck. Bad input, exit code 2.
 *
 * @example
 * throw new CloudyError('12 fields where the header has 24', { scope: 'parseSaveFile', file: 'hii.ovr', line: 17 });
 */
export class CloudyError extends SkybookError {
  readonly location: CloudyLocation;

  constructor(problem: string, location: CloudyLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
