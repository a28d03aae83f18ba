import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where in a notebook run a problem sits; the message names the fields that are set.
 *
 * @example
 * const where: NotebookLocation = { file: 'a.ipynb', parameter: 'zmax' }; // "a.ipynb: parameter zmax: ..."
 */
export type NotebookLocation = Pick<Location, 'file' | 'kernel' | 'cell' | 'parameter'>;

/**
 * A notebook that cannot be read or parameterised (bad JSON, unknown parameter, wrong value type): bad input, exit 2.
 *
 * @example
 * throw new NotebookError("unknown parameter 'zmx'; known: zmax, spectype", { file: 'a.ipynb', parameter: 'zmx' });
 */
export class NotebookError extends SkybookError {
  readonly location: NotebookLocation;

  constructor(problem: string, location: NotebookLocation = {}, exitCode: 1 | 2 = 2) {
    super(formatLocation(location) + problem, exitCode);
    this.location = location;
  }
}
