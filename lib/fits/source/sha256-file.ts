import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SourceError } from '../../errors/index.js';
import { fileError } from './file-error.js';
import { firstAnswer, worthASecondThread } from './second-thread.js';

const WORKER = new URL('./sha256-worker.js', import.meta.url);
const PIECE = 4 << 20;

/**
 * The sha256 (hex) of a local file, read in 4 MiB pieces so a multi-GB catalogue is never held whole. One helper for
 * every layer that fingerprints files: the store's load ledger, the dataset manifest and run provenance. Files of 64 MiB
 * or more are hashed on a worker thread (1.3 GB: 1.1 s of CPU), so a caller can load while the hash is computed.
 *
 * @example
 * await sha256File('zall-pix-iron.fits') // '3f5a...' (64 hex digits)
 */
export async function sha256File(path: string): Promise<string> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw fileError(path, e);
  }
  if (!worthASecondThread(size) || !existsSync(fileURLToPath(WORKER))) return sha256FileSync(path);
  const answer = await firstAnswer<{ hex?: string; error?: string }>(new Worker(WORKER, { workerData: path }), 'the sha256 thread');
  if (answer.error !== undefined) throw new SourceError(path, answer.error);
  return answer.hex!;
}

/** {@link sha256File} on this thread, with blocking reads; a file it cannot read is a SourceError. @example sha256FileSync('small.fits') */
export function sha256FileSync(path: string): string {
  const h = createHash('sha256');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const buf = Buffer.allocUnsafe(PIECE);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, PIECE, pos);
      if (n === 0) break;
      h.update(n === PIECE ? buf : buf.subarray(0, n));
      pos += n;
    }
  } catch (e) {
    throw fileError(path, e);
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
