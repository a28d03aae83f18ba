import type { Worker } from 'node:worker_threads';
import { InternalError } from '../../errors/index.js';

/**
 * Smallest scan (bytes) worth a second thread: below it, starting a worker (tens of milliseconds) costs more than it
 * saves. `SKYBOOK_FITS_PARALLEL_BYTES` overrides the default 64 MiB (0: always, where possible; a huge value: never).
 *
 * @example
 * if (worthASecondThread(rows * rowBytes)) startHelper();
 */
export function worthASecondThread(bytes: number): boolean {
  const env = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  const n = env === undefined || env.trim() === '' ? NaN : Number(env);
  const min = Number.isFinite(n) && n >= 0 ? n : 64 * 2 ** 20;
  return bytes > 0 && bytes >= min;
}

/**
 * The first message a worker thread sends; rejects if it fails or exits before answering (`what` names it then).
 *
 * @example
 * const answer = await firstAnswer<{ hex: string }>(new Worker(url, { workerData: path }), 'the sha256 thread');
 */
export function firstAnswer<T>(worker: Worker, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new InternalError(`${what} exited (code ${code}) before answering`)));
  });
}
