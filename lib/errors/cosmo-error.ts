import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a cosmology problem sits: the function or class that refused a value.
 *
 * @example
 * const where: CosmoLocation = { scope: 'FlatLambdaCDM' };
 */
export type CosmoLocation = Pick<Location, 'scope'>;

/**
 * A cosmology asked for with values it cannot have (Omega_M outside (0, 1], a negative H0), or arrays of mismatched
 * lengths. Bad input, exit code 2.
 *
 * @example
 * throw new CosmoError('invalid omegaM: 1.5 (0 < omegaM <= 1)', { scope: 'FlatLambdaCDM' });
 * // message: "FlatLambdaCDM: invalid omegaM: 1.5 (0 < omegaM <= 1)"
 */
export class CosmoError extends SkybookError {
  readonly location: CosmoLocation;

  constructor(problem: string, location: CosmoLocation = {}) {
    super(formatLocation(location) + problem, 2);
    this.location = location;
  }
}
