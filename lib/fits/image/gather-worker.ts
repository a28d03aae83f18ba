/**
 * Worker-thread entry of `gather.ts`: gathers the jobs it is given from the main thread's file descriptor (positional
 * reads share no offset) and sends the buffers back transferred, not copied. Not imported by anything: `new Worker`
 * runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GatherTruncated, gatherOne, type GatherJob } from './gather-bytes.js';

/** What the main thread sends: the file descriptor and the jobs (with their indices in the caller's list). */
export interface GatherWorkerInput {
  fd: number;
  jobs: { index: number; job: GatherJob }[];
}

const input = workerData as GatherWorkerInput;
try {
  const buffers = input.jobs.map(({ index, job }) => ({ index, buffer: gatherOne(input.fd, job, index) }));
  parentPort!.postMessage(
    { buffers },
    buffers.map((b) => b.buffer),
  );
} catch (e) {
  parentPort!.postMessage(e instanceof GatherTruncated ? { truncated: { job: e.job, pos: e.pos } } : { error: (e as Error).message });
}
