/**
 * Worker-thread entry of the hole finder (`find-holes.ts`): receives the shared galaxy cells, search grid and mask once,
 * then answers grow and cut jobs one message at a time. Not imported by anything: `new Worker` runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HoleGrower } from './grow-hole.js';
import { type HoleJob, type HoleJobSetup, runJob } from './hole-jobs.js';

const setup = workerData as HoleJobSetup;
const grower = new HoleGrower(setup.cells, setup.grid, setup.mask, setup.fourthGalaxy);
parentPort!.on('message', (job: HoleJob) => {
  try {
    const result = runJob(setup, grower, job);
    const transfer =
      'grown' in result ? [result.grown.buffer as ArrayBuffer] : 'verdicts' in result ? [result.verdicts.buffer as ArrayBuffer] : [];
    parentPort!.postMessage(result, transfer);
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
