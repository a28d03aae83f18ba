import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Progress } from '../core/index.js';
import { InternalError } from '../errors/index.js';
import { HoleGrower } from './grow-hole.js';
import { type HoleJob, type HoleJobResult, type HoleJobSetup, runJob } from './hole-jobs.js';
import type { VolumeProbes } from './volume-cut.js';

const WORKER = new URL('./hole-worker.js', import.meta.url);

/** Threads, batches and progress of a hole run. */
export interface HoleRunOptions {
  /** Worker threads (default 1: all work on the calling thread). */
  threads?: number;
  /** Grid cells per batch of the snake walk (default 4096); holes per batch of the volume cut is a quarter of it. */
  batchSize?: number;
  progress?: Progress;
}

/**
 * Runs hole jobs on the calling thread or on worker threads. Batches go to whichever thread is free, and each answer
 * is filed under its batch number, so the assembled result is the same for any number of threads and any batch size.
 * From TypeScript sources (no compiled worker next to this file) the work stays on the calling thread.
 */
export class HoleThreads {
  private readonly workers: Worker[];
  private readonly grower: HoleGrower | undefined;

  private constructor(
    private readonly setup: HoleJobSetup,
    threads: number,
  ) {
    const useWorkers = threads > 1 && existsSync(fileURLToPath(WORKER));
    this.workers = useWorkers ? Array.from({ length: threads }, () => new Worker(WORKER, { workerData: setup })) : [];
    this.grower = useWorkers ? undefined : new HoleGrower(setup.cells, setup.grid, setup.mask, setup.fourthGalaxy);
  }

  /** Starts `threads` workers over a setup whose typed arrays live in SharedArrayBuffers (or none for 1 thread). */
  static start(setup: HoleJobSetup, threads = 1): HoleThreads {
    return new HoleThreads(setup, Math.max(1, Math.floor(threads)));
  }

  /** How many worker threads run (0: the calling thread does the work). */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Runs the jobs; results[i] answers jobs[i]. `done(job)` is called as each finishes (for progress). */
  async run(jobs: HoleJob[], done: (job: HoleJob) => void): Promise<HoleJobResult[]> {
    const results: HoleJobResult[] = new Array(jobs.length);
    if (this.workers.length === 0) {
      for (let b = 0; b < jobs.length; b++) {
        results[b] = runJob(this.setup, this.grower!, jobs[b]!);
        done(jobs[b]!);
        // Let timers and output (a progress bar) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return results;
    }
    let next = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const give = () => {
              if (next >= jobs.length) {
                worker.off('message', onMessage);
                worker.off('error', onError);
                resolve();
                return;
              }
              worker.postMessage(jobs[next++]);
            };
            const onMessage = (r: HoleJobResult) => {
              if ('error' in r) {
                worker.off('message', onMessage);
                worker.off('error', onError);
                reject(new InternalError(`a void-finding worker thread failed: ${r.error}`));
                return;
              }
              results[r.batch] = r;
              done(jobs[r.batch]!);
              give();
            };
            const onError = (e: Error) => reject(new InternalError(`a void-finding worker thread died: ${e.message}`, {}, { cause: e }));
            worker.on('message', onMessage);
            worker.on('error', onError);
            give();
          }),
      ),
    );
    return results;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Grows a hole in every empty cell of the grid (VAST's _hole_finder): the holes in snake-walk order, x y z radius each,
 * and how many empty cells there were.
 *
 * @example
 * const { holes, emptyCells } = await growHoles(threads, setup, { batchSize: 4096, progress });
 */
export async function growHoles(
  threads: HoleThreads,
  setup: HoleJobSetup,
  options: HoleRunOptions = {},
): Promise<{ holes: Float64Array; walkOrder: Float64Array; emptyCells: number }> {
  const { grid } = setup;
  const total = grid.shape[0]! * grid.shape[1]! * grid.shape[2]!;
  const batch = Math.max(1, Math.floor(options.batchSize ?? 4096));
  const jobs: HoleJob[] = [];
  for (let start = 0, b = 0; start < total; start += batch, b++)
    jobs.push({ kind: 'grow', batch: b, start, end: Math.min(total, start + batch) });
  options.progress?.start({ label: 'grow holes', total, unit: 'cells' });
  const results = await threads.run(jobs, (job) => options.progress?.advance(job.end - job.start));
  options.progress?.finish();
  let n = 0;
  for (const r of results) if ('grown' in r) n += r.grown.length / 5;
  const holes = new Float64Array(4 * n);
  const walkOrder = new Float64Array(n);
  let h = 0;
  for (const r of results) {
    if (!('grown' in r)) continue;
    for (let i = 0; i < r.grown.length; i += 5, h++) {
      walkOrder[h] = r.grown[i]!;
      holes.set(r.grown.subarray(i + 1, i + 5), 4 * h);
    }
  }
  return { holes, walkOrder, emptyCells: total - grid.occupiedCount };
}

/**
 * VAST's volume cut over all holes: 0 keep, 1 keep (touches the survey edge), 2 drop, per hole.
 *
 * @example
 * const verdicts = await cutHoles(threads, holes, probes, { progress });
 */
export async function cutHoles(
  threads: HoleThreads,
  holes: Float64Array,
  probes: VolumeProbes,
  options: HoleRunOptions = {},
): Promise<Uint8Array> {
  const n = holes.length / 4;
  const shared = new Float64Array(new SharedArrayBuffer(Math.max(8, holes.byteLength)));
  shared.set(holes);
  const batch = Math.max(1, Math.floor((options.batchSize ?? 4096) / 4));
  const jobs: HoleJob[] = [];
  for (let start = 0, b = 0; start < n; start += batch, b++)
    jobs.push({ kind: 'cut', batch: b, start, end: Math.min(n, start + batch), probes, holes: shared });
  options.progress?.start({ label: 'volume cut', total: n, unit: 'holes' });
  const results = await threads.run(jobs, (job) => options.progress?.advance(job.end - job.start));
  options.progress?.finish();
  const verdicts = new Uint8Array(n);
  results.forEach((r, b) => {
    if ('verdicts' in r) verdicts.set(r.verdicts, (jobs[b] as { start: number }).start);
  });
  return verdicts;
}
