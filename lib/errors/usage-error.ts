import { SkybookError } from './skybook-error.js';

/**
 * The command-line option (without dashes) and the value a usage error is about, when it is about one.
 *
 * @example
 * UsageError.invalid('format', 'xml', 'one of csv, ndjson').location; // { option: 'format', value: 'xml' }
 */
export interface UsageLocation {
  option?: string;
  value?: string;
}

/**
 * Bad command-line usage: an unknown option, a missing argument, a value out of its set. Exit code 2, one line. A usage
 * error sits in argv, not in data, so its message names the option and value itself, in the one form
 * `invalid --NAME: VALUE (what is allowed)` that {@link UsageError.invalid} writes; `location` keeps them for code that
 * inspects the error.
 *
 * @example
 * throw UsageError.invalid('format', 'xml', 'one of ndjson, csv, arrow, parquet'); // "invalid --format: xml (one of ...)"
 * throw new UsageError('missing --out DIR', { option: 'out' });
 */
export class UsageError extends SkybookError {
  readonly location: UsageLocation;

  constructor(problem: string, location: UsageLocation = {}) {
    super(problem, 2);
    this.location = location;
  }

  /**
   * The error for a value an option does not take: `invalid --NAME: VALUE (allowed)`.
   *
   * @example
   * if (!FORMATS.includes(f)) throw UsageError.invalid('format', f, `one of ${FORMATS.join(', ')}`);
   */
  static invalid(option: string, value: string, allowed: string): UsageError {
    return new UsageError(`invalid --${option}: ${value} (${allowed})`, { option, value });
  }
}
