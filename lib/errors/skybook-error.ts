/**
 * Base class of every error skybook raises on purpose. The CLI maps `exitCode` to the process exit status
 * (2 bad usage or bad input, 1 the work failed) and prints `message` as one line, then `detail` when there is one.
 *
 * @example
 * try { await openFits('x.fits'); } catch (e) { if (e instanceof SkybookError) console.error(e.message); }
 */
export class SkybookError extends Error {
  /** 2 for bad input or usage, 1 when the work itself failed. */
  readonly exitCode: 1 | 2;
  /**
   * Lines that show where in the user's own text the problem is, printed under the one-line message as they are: a
   * SQL engine's `LINE 1: selec * from t` and its caret line. Undefined for most errors.
   */
  readonly detail: string | undefined;

  constructor(message: string, exitCode: 1 | 2 = 2, options?: { cause?: unknown; detail?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.detail = options?.detail;
  }
}
