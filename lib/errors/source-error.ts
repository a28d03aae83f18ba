import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a byte source failed: the file path or URL.
 *
 * @example
 * new SourceError('x.fits', 'no such file').location; // { file: 'x.fits' }
 */
export type SourceLocation = Pick<Location, 'file'>;

/**
 * A byte source that could not be read (missing file, HTTP 403/404, corrupt gzip data, network failure after retries):
 * bad input, exit code 2. `code` carries a network failure's kind (`ETIMEDOUT`, `EPREMATURE`, ...), which the HTTP
 * source's retry loop reads to tell a transient failure from a final one.
 *
 * @example
 * throw new SourceError('https://host/z.fits', 'not found (HTTP 404)');
 * throw new SourceError('https://host/z.fits', 'timed out: nothing received for 30000 ms', { code: 'ETIMEDOUT' });
 */
export class SourceError extends SkybookError {
  /** The file path or URL, also `location.file`. */
  readonly source: string;
  /** What went wrong, without the source's name. */
  readonly problem: string;
  /** A network failure's kind, as Node's errors name it, when there is one. */
  readonly code: string | undefined;
  readonly location: SourceLocation;

  constructor(source: string, problem: string, options?: { cause?: unknown; code?: string }) {
    const location = { file: source };
    super(formatLocation(location) + problem, 2, options?.cause === undefined ? undefined : { cause: options.cause });
    this.source = source;
    this.problem = problem;
    this.code = options?.code;
    this.location = location;
  }
}
