import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PipelineError } from '../../errors/index.js';

/**
 * Writes `data` to `path` all at once for readers: first to a temporary file in the same folder (so the rename stays on one
 * file system and is atomic), then renamed over `path`. node_exporter's textfile collector reads every `*.prom` file it
 * finds, and a web server serves whatever `index.html` is there: neither may ever see half a file. The temporary name
 * ends in `.tmp`, never `.prom`, so the collector skips it. A folder that is not there, or not writable, is bad input
 * (exit 2) naming the file: a typo in a path should not create folders.
 *
 * @example
 * await replaceFile('/var/lib/node_exporter/textfile/skybook.prom', exposition);
 */
export async function replaceFile(path: string, data: string | Uint8Array): Promise<void> {
  // A random part: two writers of one file (a cron job and a user) never share a temporary file.
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined); // none was made when its folder is missing
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `its folder ${dirname(path)} does not exist`
        : code === 'ENOTDIR'
          ? `${dirname(path)} is not a folder`
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'is a directory'
              : (e as Error).message;
    throw new PipelineError(`cannot write it: ${why}`, { file: path }, 2, { cause: e });
  }
}
