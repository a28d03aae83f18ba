import { type MessagePort, type Transferable, Worker } from 'node:worker_threads';
import { InternalError, SkybookError } from '../errors/index.js';

/**
 * What a pool worker posts back for one job: progress ticks while it works, then its result or the error it hit.
 * Workers use {@link serveJobs} to speak it.
 */
type Reply<R> = { id: number; tick: number } | { id: number; result: R } | { id: number; error: { message: string; exitCode: 1 | 2 | 0 } };

interface Pending<R> {
  resolve(r: R): void;
  reject(e: unknown): void;
  onTick: ((n: number) => void) | undefined;
}

/**
 * A fixed set of worker threads running one script, each taking up to `perWorker` jobs at a time (default 1); `run`
 * resolves with the job's result (jobs go to the least busy worker, so results come back in any order: the caller
 * keeps its own order). With two per worker, a worker whose job waits on a file read runs the other job meanwhile and
 * never waits for this thread to hand it the next one. A worker that fails a job rejects that job with the worker's
 * message (a SkybookError keeps its exit code); a worker that dies rejects every job it held.
 *
 * @example
 * const pool = new WorkerPool<string, number>(new URL('./count-worker.js', import.meta.url), 2);
 * const n = await pool.run('file.fits'); await pool.close();
 */
export class WorkerPool<J, R> {
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, Pending<R>>();
  /** The jobs each worker holds now. */
  private readonly held = new Map<Worker, Set<number>>();
  private readonly workers: Worker[];
  private readonly perWorker: number;
  /** Workers that errored or exited: they take no more jobs. */
  private readonly dead = new Set<Worker>();
  private next = 0;

  constructor(script: URL, size: number, workerData?: unknown, options: { perWorker?: number } = {}) {
    this.perWorker = Math.max(1, Math.floor(options.perWorker ?? 1));
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const w = new Worker(script, { workerData });
      w.on('message', (m: Reply<R>) => this.reply(w, m));
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => this.fail(w, new InternalError(`a worker thread exited (code ${code}) during a job`)));
      this.held.set(w, new Set());
      return w;
    });
  }

  /**
   * Runs one job on the least busy worker with room (waiting for one); `onTick(n)` hears the worker's progress ticks.
   *
   * @example
   * const result = await pool.run(job, { onTick: (n) => bar.advance(n) });
   */
  async run(job: J, opts: { transfer?: readonly Transferable[]; onTick?: (n: number) => void } = {}): Promise<R> {
    let w: Worker | undefined;
    while ((w = this.leastBusy()) === undefined) {
      if (this.dead.size === this.workers.length) throw new InternalError('every worker thread of the pool has exited');
      await new Promise<void>((r) => this.waiting.push(r));
    }
    const id = this.next++;
    this.held.get(w)!.add(id);
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onTick: opts.onTick });
      w.postMessage({ id, job }, [...(opts.transfer ?? [])]);
    });
  }

  private leastBusy(): Worker | undefined {
    let best: Worker | undefined;
    for (const w of this.workers) {
      if (this.dead.has(w)) continue;
      const n = this.held.get(w)!.size;
      if (n < this.perWorker && (best === undefined || n < this.held.get(best)!.size)) best = w;
    }
    return best;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map((w) => {
        w.removeAllListeners('exit');
        return w.terminate();
      }),
    );
  }

  private reply(w: Worker, m: Reply<R>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('tick' in m) {
      p.onTick?.(m.tick);
      return;
    }
    this.pending.delete(m.id);
    this.held.get(w)!.delete(m.id);
    this.waiting.shift()?.();
    if ('result' in m) p.resolve(m.result);
    else p.reject(m.error.exitCode === 0 ? new InternalError(m.error.message) : new SkybookError(m.error.message, m.error.exitCode));
  }

  private fail(w: Worker, e: unknown): void {
    this.dead.add(w);
    // Callers waiting for room: they now see the dead worker (and throw if none is left).
    for (const wake of this.waiting.splice(0)) wake();
    const ids = this.held.get(w);
    if (!ids || ids.size === 0) return;
    for (const id of [...ids]) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      p?.reject(e);
    }
    ids.clear();
  }
}

/**
 * The worker side of a {@link WorkerPool}: answers each job with `work(job, tick)`'s result (`tick(n)` reports n units
 * of progress), sending `transfer(result)`'s buffers without copying. Errors go back to the job's caller.
 *
 * @example
 * serveJobs<string, number>(parentPort!, async (path, tick) => { tick(1); return 42; });
 */
export function serveJobs<J, R>(
  port: MessagePort,
  work: (job: J, tick: (n: number) => void) => R | Promise<R>,
  transfer: (result: R) => Transferable[] = () => [],
): void {
  port.on('message', async ({ id, job }: { id: number; job: J }) => {
    try {
      const result = await work(job, (tick) => port.postMessage({ id, tick }));
      port.postMessage({ id, result }, transfer(result));
    } catch (e) {
      const exitCode = e instanceof SkybookError ? e.exitCode : 0;
      const message = e instanceof SkybookError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      port.postMessage({ id, error: { message, exitCode } });
    }
  });
}
