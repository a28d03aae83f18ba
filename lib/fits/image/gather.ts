import { existsSync, fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mappedAddon } from '../source/mapped/native.js';
import { firstAnswer, worthASecondThread } from '../source/second-thread.js';
import { GatherTruncated, gatherOne, type GatherJob } from './gather-bytes.js';
import type { GatherWorkerInput } from './gather-worker.js';

export { GatherTruncated, toNativeOrder, type GatherJob } from './gather-bytes.js';

const WORKER = new URL('./gather-worker.js', import.meta.url);

/** Splits jobs between two threads by bytes, the biggest first onto the lighter side; `mainBusy` weighs this thread's other work. */
function split(jobs: readonly GatherJob[], mainBusy: number): { main: number[]; helper: number[] } {
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.bytes - jobs[a]!.bytes || a - b);
  const main: number[] = [];
  const helper: number[] = [];
  let m = mainBusy;
  let h = 0;
  for (const i of order) {
    if (m <= h) {
      main.push(i);
      m += jobs[i]!.bytes;
    } else {
      helper.push(i);
      h += jobs[i]!.bytes;
    }
  }
  return { main, helper };
}

type Answer = { buffers?: { index: number; buffer: ArrayBuffer }[]; truncated?: { job: number; pos: number }; error?: string };

/** A gather under way: the worker thread has its share; `finish()` does this thread's share and collects everything. */
export interface PendingGather {
  finish(): Promise<ArrayBuffer[]>;
  /**
   * When `finish()` will not be called (the caller failed meanwhile): stops the work and resolves once no thread reads
   * the file descriptor any more, so it may then be closed.
   */
  cancel(): Promise<void>;
}

/**
 * Starts gathering several arrays (rows of image HDUs, say 1,000 spectra's flux, ivar, mask and resolution of three
 * arms) from a local file. With the native addon built, native threads do all of it
 * (`startNativeGather`). Otherwise big enough work is shared with a worker thread, which starts on its share at once: it
 * reads, byte-swaps and first-touches its arrays' memory (page faults of fresh memory are a third of the cost) while
 * this thread does other work (`mainBusyBytes`: how much, in bytes of gathering, the caller will do before
 * `finish()`), then its own share. Buffers come back transferred, one per job, in order. A truncated file throws
 * {@link GatherTruncated} from `finish()`.
 *
 * @example
 * const pending = startGather(fd, [fluxJob, ivarJob], 64 << 20);
 * const fibermap = await readFibermap();          // meanwhile the worker reads
 * const [flux, ivar] = await pending.finish();
 */
export function startGather(fd: number, jobs: readonly GatherJob[], mainBusyBytes = 0, opts: { native?: boolean } = {}): PendingGather {
  const native = opts.native === false ? undefined : startNativeGather(fd, jobs);
  if (native) return native;
  const total = jobs.reduce((n, j) => n + j.bytes, 0);
  const all = jobs.map((_, i) => i);
  if (jobs.length < 2 || !worthASecondThread(total) || !existsSync(fileURLToPath(WORKER))) {
    return { finish: () => gatherHere(fd, jobs, all), cancel: async () => {} };
  }
  const { main, helper } = split(jobs, mainBusyBytes);
  if (helper.length === 0) return { finish: () => gatherHere(fd, jobs, all), cancel: async () => {} };
  const input: GatherWorkerInput = { fd, jobs: helper.map((index) => ({ index, job: jobs[index]! })) };
  const worker = new Worker(WORKER, { workerData: input });
  const answer = firstAnswer<Answer>(worker, 'the gather thread');
  answer.catch(() => {
    /* awaited in finish() */
  });
  return {
    async finish() {
      try {
        const out = await gatherHere(fd, jobs, main);
        const got = await answer.catch((): Answer => ({}));
        if (got.truncated) throw new GatherTruncated(got.truncated.job, got.truncated.pos);
        // The thread died or could not read (got.error): its share is read here, where a failure raises its own error.
        const buffers = got.buffers ?? helper.map((index) => ({ index, buffer: gatherOne(fd, jobs[index]!, index) }));
        for (const b of buffers) out[b.index] = b.buffer;
        return out;
      } finally {
        void worker.terminate();
      }
    },
    cancel: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The same gather through the native addon (fits/source/mapped), where it is built: native threads read every range
 * with pread straight into the output arrays and byte-swap it while in cache (no worker start-up, no second pass), on
 * libuv's thread pool while this thread does other work; `finish()` then joins in. The outputs are fresh kernel memory
 * on 2 MiB pages (`freshArrayBuffers`). Undefined where the addon is not built, or where a range lies past the end of
 * the file as it is now (the positional path then names the byte).
 */
function startNativeGather(fd: number, jobs: readonly GatherJob[]): PendingGather | undefined {
  const addon = mappedAddon();
  if (!addon || jobs.length === 0) return undefined;
  const size = fstatSync(fd).size;
  let values = 0;
  for (const j of jobs) {
    for (let k = 0; k < j.ranges.length; k += 2) if (j.ranges[k]! + j.ranges[k + 1]! > size) return undefined;
    values += j.ranges.length;
  }
  const ranges = new Float64Array(values);
  const spec = new Int32Array(jobs.length * 4);
  let at = 0;
  jobs.forEach((j, i) => {
    spec.set([at / 2, j.ranges.length / 2, j.word, j.flipSign ? 1 : 0], i * 4);
    ranges.set(j.ranges, at);
    at += j.ranges.length;
  });
  let buffers: ArrayBuffer[];
  try {
    buffers = addon.freshArrayBuffers(jobs.map((j) => j.bytes));
  } catch {
    buffers = jobs.map((j) => new ArrayBuffer(j.bytes)); // a Node that allows no outside memory in ArrayBuffers
  }
  // The pool takes all cores but this thread's while this thread reads other things; finish() then joins in. Taking
  // every core at once would oversubscribe them and slow this thread's own reading several times over.
  const { handle, done } = addon.gatherRanges(fd, ranges, spec, buffers, Math.max(1, availableParallelism() - 1));
  done.catch(() => {
    /* awaited in finish() */
  });
  return {
    async finish() {
      addon.helpGather(handle);
      const failed = await done;
      if (failed >= 0) throw new GatherTruncated(failed, fstatSync(fd).size);
      return buffers;
    },
    async cancel() {
      // pieces cannot be recalled once taken: finish the rest here and wait for the pool's last reads
      addon.helpGather(handle);
      await done.catch(() => {});
    },
  };
}

/** Jobs `which` on this thread; the event loop breathes between arrays. */
async function gatherHere(fd: number, jobs: readonly GatherJob[], which: readonly number[]): Promise<ArrayBuffer[]> {
  const out: ArrayBuffer[] = new Array(jobs.length);
  for (const i of which) {
    out[i] = gatherOne(fd, jobs[i]!, i);
    if (which.length > 1) await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}

/**
 * {@link startGather} with nothing else to do meanwhile. `native: false` keeps to JavaScript's positional reads (and the worker).
 *
 * @example
 * const [flux, ivar] = await gather(fd, [fluxJob, ivarJob]);
 */
export function gather(fd: number, jobs: readonly GatherJob[], opts: { native?: boolean } = {}): Promise<ArrayBuffer[]> {
  return startGather(fd, jobs, 0, opts).finish();
}
