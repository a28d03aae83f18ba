import { SkybookError } from '../errors/index.js';

/**
 * A mock survey that cannot be made as asked: a bad option (exit 2) or not enough disk (exit 2, nothing written).
 * The message names the option and value, or the bytes needed and free.
 *
 * @example
 * throw new DatasetError("invalid preset: 'huge' (one of small, medium, large)");
 */
export class DatasetError extends SkybookError {
  constructor(message: string, exitCode: 1 | 2 = 2) {
    super(message, exitCode);
  }
}
