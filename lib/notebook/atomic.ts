import { rename, writeFile } from 'node:fs/promises';
import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes a file through a temp file in the same folder and a rename, so a crash never leaves half a file behind.
 *
 * @example
 * await writeFileAtomic('out.ipynb', text);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** The synchronous twin of `writeFileAtomic`, for exit paths where awaiting is not possible. @example writeFileAtomicSync('a.json', '{}') */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
