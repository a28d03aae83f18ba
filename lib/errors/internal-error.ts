import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * A broken invariant: something skybook's own code should never let happen (a data-model table without a column it
 * names, a worker thread that died without a word, a failed self-check). Not the user's input: exit code 1, and the
 * message says it is a bug in skybook and asks for a report. The CLI also reports any error that is not a
 * SkybookError this way.
 *
 * @example
 * throw new InternalError('dither table: Park–Miller self-check failed');
 * // message: "internal error: dither table: Park–Miller self-check failed (a bug in skybook: please report it, ...)"
 */
export class InternalError extends SkybookError {
  /** What went wrong, without the location and the request for a report. */
  readonly problem: string;
  readonly location: Location;

  constructor(problem: string, location: Location = {}, options?: { cause?: unknown }) {
    super(
      `internal error: ${formatLocation(location)}${problem} (a bug in skybook: please report it, with the command that ran into it)`,
      1,
      options,
    );
    this.problem = problem;
    this.location = location;
  }
}
