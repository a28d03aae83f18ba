import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a mock survey could not be made: the output folder or file, the healpix pixel.
 *
 * @example
 * const where: DatasetLocation = { pixel: 27247 }; // "pixel 27247: ..."
 */
export type DatasetLocation = Pick<Location, 'file' | 'pixel'>;

/**
 * A mock survey that cannot be made as asked: a bad option (exit 2), not enough disk (exit 2, nothing written), or
 * options the generator cannot satisfy (a pixel it cannot fill). The message names the option and value, or the bytes
 * needed and free, or the pixel.
 *
 * @example
 * throw new DatasetError("invalid preset: 'huge' (one of small, medium, large, voids, quasars)");
 * throw new DatasetError('galaxy acceptance too low to place 350 galaxies', { pixel: 27247 });
 */
export class DatasetError extends SkybookError {
  readonly location: DatasetLocation;

  constructor(problem: string, location: DatasetLocation = {}, exitCode: 1 | 2 = 2) {
    super(formatLocation(location) + problem, exitCode);
    this.location = location;
  }
}
