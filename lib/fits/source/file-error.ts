import { SkybookError, SourceError } from '../../errors/index.js';

/**
 * The SourceError for a local file that could not be opened or read: Node's error code in words (no such file,
 * permission denied, is a directory), else its message; a SkybookError passes through unchanged.
 *
 * @example
 * try { statSync(path); } catch (e) { throw fileError(path, e); } // "x.fits: no such file"
 */
export function fileError(path: string, e: unknown): SkybookError {
  if (e instanceof SkybookError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : ((e as Error).message ?? String(e));
  return new SourceError(path, why, { cause: e });
}
