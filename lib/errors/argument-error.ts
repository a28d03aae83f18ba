import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Which function refused an argument.
 *
 * @example
 * const where: ArgumentLocation = { scope: 'coneMask' };
 */
export type ArgumentLocation = Pick<Location, 'scope'>;

/**
 * A shared helper (lib/core: geometry, progress, retries) called with arguments it cannot take: arrays of mismatched
 * lengths, a negative radius. Bad input, exit code 2; the layers above have their own classes for their data.
 *
 * @example
 * throw new ArgumentError('invalid radiusDeg: -1 (a finite number >= 0)', { scope: 'cone' });
 * // message: "cone: invalid radiusDeg: -1 (a finite number >= 0)"
 */
export class ArgumentError extends SkybookError {
  readonly location: ArgumentLocation;

  constructor(problem: string, location: ArgumentLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
