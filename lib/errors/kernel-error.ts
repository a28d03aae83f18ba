import { formatLocation } from './location.js';
import type { NotebookLocation } from './notebook-error.js';
import { SkybookError } from './skybook-error.js';

/**
 * A kernel that failed: did not start in time, died, or could not be found (exit 1 once the run started; 2 for a
 * kernel that cannot be used at all, such as an unknown name or a connection file it cannot read).
 *
 * @example
 * throw new KernelError('died with signal SIGKILL', { kernel: 'python3' });
 */
export class KernelError extends SkybookError {
  readonly location: NotebookLocation;

  constructor(problem: string, location: NotebookLocation = {}, exitCode: 1 | 2 = 1) {
    super(formatLocation(location) + problem, exitCode);
    this.location = location;
  }
}
