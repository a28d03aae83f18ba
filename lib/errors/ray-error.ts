import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a Ray problem sits: the client call (`scope`), the dashboard address or a working_dir file (`file`), the job.
 *
 * @example
 * const where: RayLocation = { scope: 'status', file: 'http://127.0.0.1:8265', job: 'raysubmit_abc' };
 */
export type RayLocation = Pick<Location, 'scope' | 'file' | 'job'>;

/**
 * A Ray cluster that refused or failed a request: an unknown job, a 4xx with Ray's own message, a dashboard that is
 * not there or went away mid-watch, a working_dir too large to upload. Exit code 2 for what the caller asked wrongly
 * (an unknown job id, a bad request), 1 when the cluster or the job failed.
 *
 * @example
 * throw new RayError('no such job', { scope: 'status', file: 'http://127.0.0.1:8265', job: 'raysubmit_x' }, 2);
 */
export class RayError extends SkybookError {
  readonly location: RayLocation;
  /** The HTTP status of Ray's answer, when there was one. */
  readonly status: number | undefined;

  constructor(problem: string, location: RayLocation = {}, exitCode: 1 | 2 = 1, options: { status?: number; cause?: unknown } = {}) {
    super(formatLocation(location) + problem, exitCode, options.cause === undefined ? undefined : { cause: options.cause });
    this.location = location;
    this.status = options.status;
  }
}
