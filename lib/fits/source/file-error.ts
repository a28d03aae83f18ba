import { fileProblem, SkybookError, SourceError } from '../../errors/index.js';

/**
 * The SourceError for a local file that could not be opened or read, in the words every skybook message uses
 * (`fileProblem`: no such file, permission denied, is a directory); a SkybookError passes through unchanged.
 *
 * @example
 * try { statSync(path); } catch (e) { throw fileError(path, e); } // "x.fits: no such file"
 */
export function fileError(path: string, e: unknown): SkybookError {
  if (e instanceof SkybookError) return e;
  return new SourceError(path, fileProblem(e), { cause: e });
}
