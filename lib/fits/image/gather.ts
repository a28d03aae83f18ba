import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { worthASecondThread } from '../source/second-thread.js';
import { GatherTruncated, gatherOne, type GatherJob } from './gather-bytes.js';
import type { GatherWorkerInput } from './gather-worker.js';

export { GatherTruncated, type GatherJob } from './gather-bytes.js';

const WORKER = new URL('./gather-worker.js', import.meta.url);

/**
 * Splits jobs between two threads by bytes, the biggest first onto the lighter side; the worker's side is weighed
 * with a head start for the main thread (the worker boots for a few tens of milliseconds first).
 */
function split(jobs: readonly GatherJob[], headStart: number): { main: number[]; helper: number[] } {
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.bytes - jobs[a]!.bytes || a - b);
  const main: number[] = [];
  const helper: number[] = [];
  let m = 0;
  let h = headStart;
  for (const i of order) {
    if (m <= h) { main.push(i); m += jobs[i]!.bytes; } else { helper.push(i); h += jobs[i]!.bytes; }
  }
  return { main, helper };
}

/**
 * Gathers several arrays (rows of image HDUs, say 1,000 spectra's flux, ivar, mask and resolution of three arms) from
 * a local file: big enough work is shared with a worker thread, which reads, byte-swaps and first-touches its arrays'
 * memory (the page faults of fresh output are a third of the cost) while this thread does the rest; buffers come back
 * transferred. Returns one ArrayBuffer per job, in order. A truncated file throws {@link GatherTruncated}.
 *
 * @example
 * const [flux, ivar] = await gather(fd, [fluxJob, ivarJob]);
 */
export async function gather(fd: number, jobs: readonly GatherJob[]): Promise<ArrayBuffer[]> {
  const total = jobs.reduce((n, j) => n + j.bytes, 0);
  const out: ArrayBuffer[] = new Array(jobs.length);
  if (jobs.length < 2 || !worthASecondThread(total) || !existsSync(fileURLToPath(WORKER))) {
    for (let i = 0; i < jobs.length; i++) {
      out[i] = gatherOne(fd, jobs[i]!, i);
      await new Promise<void>((r) => setImmediate(r)); // the event loop breathes between arrays
    }
    return out;
  }
  const { main, helper } = split(jobs, HEAD_START_BYTES);
  const input: GatherWorkerInput = { fd, jobs: helper.map((index) => ({ index, job: jobs[index]! })) };
  const worker = new Worker(WORKER, { workerData: input });
  const answer = new Promise<{ buffers?: { index: number; buffer: ArrayBuffer }[]; truncated?: { job: number; pos: number }; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the gather thread exited (code ${code}) before answering`)));
  });
  answer.catch(() => { /* awaited below */ });
  try {
    for (const i of main) out[i] = gatherOne(fd, jobs[i]!, i);
    let got;
    try {
      got = await answer;
    } catch {
      got = { buffers: helper.map((index) => ({ index, buffer: gatherOne(fd, jobs[index]!, index) })) }; // the thread failed: read its share here
    }
    if (got.truncated) throw new GatherTruncated(got.truncated.job, got.truncated.pos);
    if (got.error !== undefined) throw new Error(got.error);
    for (const b of got.buffers!) out[b.index] = b.buffer;
    return out;
  } finally {
    void worker.terminate();
  }
}

/** The main thread's head start, in bytes it gathers while the worker boots (~30 ms at ~1.5 GB/s). */
const HEAD_START_BYTES = 48 * 2 ** 20;
