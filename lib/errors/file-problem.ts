/**
 * The words every skybook message uses for an input file that could not be had, from Node's error code: `no such file`
 * (ENOENT), `not a folder on the way` (ENOTDIR: a file where the path needs a folder), `permission denied`
 * (EACCES, EPERM), `is a directory, not a file` (EISDIR); anything else as `cannot read it (CODE or message)`. FITS
 * files, notebooks, manifests, params files and the store's inputs all say it the same way, after the path:
 * `x.ipynb: no such file`.
 *
 * @example
 * try { await readFile(path); } catch (e) { throw new NotebookError(fileProblem(e), { file: path }); } // "a.ipynb: no such file"
 */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ENOTDIR') return 'no such file (a file stands where its path needs a folder)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return IS_A_DIRECTORY;
  return `cannot read it (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/**
 * What {@link fileProblem} says of a folder given where a file is expected, for code that finds it by `stat` rather
 * than by a failed read.
 *
 * @example
 * if ((await stat(path)).isDirectory()) throw new SourceError(path, IS_A_DIRECTORY); // "data: is a directory, not a file"
 */
export const IS_A_DIRECTORY = 'is a directory, not a file';
