/**
 * Worker-thread entry of `sha256-file.ts`: hashes the file it is given and sends back the hex digest (or the error's
 * message). Not imported by anything: `new Worker` runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SourceError } from '../../errors/index.js';
import { sha256FileSync } from './sha256-file.js';

try {
  parentPort!.postMessage({ hex: sha256FileSync(workerData as string) });
} catch (e) {
  // the main thread names the file itself
  parentPort!.postMessage({ error: e instanceof SourceError ? e.problem : (e as Error).message });
}
