/**
 * Worker-thread entry of `sha256-file.ts`: hashes the file it is given and sends back the hex digest (or the error's
 * message). Not imported by anything: `new Worker` runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256FileSync } from './sha256-file.js';

try {
  parentPort!.postMessage({ hex: sha256FileSync(workerData as string) });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
