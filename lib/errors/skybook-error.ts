/**
 * Base class of every error skybook raises on purpose. The CLI maps `exitCode` to the process exit status
 * (2 bad usage or bad input, 1 the work failed) and prints `message` as one line.
 *
 * @example
 * try { await openFits('x.fits'); } catch (e) { if (e instanceof SkybookError) console.error(e.message); }
 */
export class SkybookError extends Error {
  /** 2 for bad input or usage, 1 when the work itself failed. */
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2 = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}
