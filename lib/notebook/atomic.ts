import { rename, rm, writeFile } from 'node:fs/promises';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { NotebookError } from '../errors/index.js';

/** Errors that mean the path itself is unusable (a missing folder, a file in the way, no permission): bad input. */
const PATH_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS']);

/** A failed write as a NotebookError naming the file: exit 2 when the path is unusable, 1 when the disk failed the work. */
function writeError(path: string, e: unknown): NotebookError {
  const code = (e as NodeJS.ErrnoException).code;
  return new NotebookError(
    `cannot write it (${code ?? (e as Error).message})`,
    { file: path },
    code !== undefined && PATH_CODES.has(code) ? 2 : 1,
  );
}

/**
 * Writes a file through a temp file in the same folder and a rename, so a crash never leaves half a file behind. A
 * write that fails is a NotebookError naming the file.
 *
 * @example
 * await writeFileAtomic('out.ipynb', text);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw writeError(path, e);
  }
}

/** The synchronous twin of `writeFileAtomic`, for exit paths where awaiting is not possible. @example writeFileAtomicSync('a.json', '{}') */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* the write failed already */
    }
    throw writeError(path, e);
  }
}
