import { SkybookError } from '../errors/index.js';
import { loadPipeline } from './pipeline-file.js';
import { pipelineStatus } from './pipeline-status.js';
import { type PipelineEvent, type PipelineRunResult, runPipeline } from './run-pipeline.js';

/** What a watcher reports. */
export type WatchEvent =
  /** A check found these stages stale (none: all up to date). */
  | { kind: 'checked'; stale: string[] }
  /** A run of the stale stages finished. */
  | { kind: 'run'; result: PipelineRunResult }
  /** Another runner holds the pipeline: this check's run waits for the next one. */
  | { kind: 'busy'; message: string }
  /** The pipeline file or a dep is wrong right now; the watcher keeps watching (a user may be mid-edit). */
  | { kind: 'error'; message: string }
  | { kind: 'stage'; event: PipelineEvent };

/** Options of `watchPipeline`. */
export interface WatchOptions {
  /** Seconds between checks (default 5). A check stats deps and rehashes only what changed. */
  interval?: number;
  /** Stop after this many runs (default: until aborted). */
  maxRuns?: number;
  jobs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: (e: WatchEvent) => void;
}

/**
 * Watches a pipeline: every `interval` seconds it checks which stages are stale (a dep changed, a new file appeared in a
 * dep folder: the "new DR1 files landed" case) and runs them, one run at a time. Runs take the pipeline folder's runner
 * lock, so two watchers (or a watcher and a `skybook pipeline run`) never run at once: the one that finds it taken
 * reports `busy` and looks again next time, when the other's run has made everything up to date. Resolves with the
 * number of runs when aborted or after `maxRuns`.
 *
 * @example
 * const stop = new AbortController();
 * await watchPipeline('skybook.pipeline.yaml', { interval: 10, signal: stop.signal, onEvent: console.log });
 */
export async function watchPipeline(file: string, opts: WatchOptions = {}): Promise<number> {
  const interval = (opts.interval ?? 5) * 1000;
  let runs = 0;
  while (!opts.signal?.aborted && (opts.maxRuns === undefined || runs < opts.maxRuns)) {
    try {
      const p = loadPipeline(file);
      const stale = pipelineStatus(p, opts.env).filter((s) => s.state === 'stale');
      opts.onEvent?.({ kind: 'checked', stale: stale.map((s) => s.name) });
      if (stale.length) {
        const result = await runPipeline(p, {
          jobs: opts.jobs,
          env: opts.env,
          signal: opts.signal,
          progress: false,
          onEvent: (event) => opts.onEvent?.({ kind: 'stage', event }),
        });
        runs++;
        opts.onEvent?.({ kind: 'run', result });
      }
    } catch (e) {
      if (!(e instanceof SkybookError)) throw e;
      const busy = /another skybook pipeline run or watch/.test(e.message);
      opts.onEvent?.({ kind: busy ? 'busy' : 'error', message: e.message });
    }
    if (opts.maxRuns !== undefined && runs >= opts.maxRuns) break;
    await pause(interval, opts.signal);
  }
  return runs;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
