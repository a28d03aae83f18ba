import { join } from 'node:path';
import { HashCache } from './hash-cache.js';
import { restoreStashes } from './outs-guard.js';
import { takeRunnerLock } from './runner-lock.js';
import { LOCK_FILE, readLock } from './lock-file.js';
import type { Pipeline } from './pipeline-file.js';
import { stageGraph } from './stage-graph.js';
import { fingerprint, staleReasons } from './staleness.js';

/** One stage's state without running anything. */
export interface StageStatus {
  name: string;
  /**
   * `up to date`; `stale` (it will run: `reasons` say why); `upstream stale` (it runs only if an upstream stage's re-run
   * changes what it reads); `needs env` (skipped until its required variables are set).
   */
  state: 'up to date' | 'stale' | 'upstream stale' | 'needs env';
  reasons: string[];
}

/**
 * What `skybook pipeline run` would do, decided from stats and the hash cache (only changed files are read), without
 * running or locking anything: each stage's state and why.
 *
 * @example
 * pipelineStatus(loadPipeline()).filter((s) => s.state !== 'up to date') // [{ name: 'features', state: 'stale', reasons: [...] }]
 */
export function pipelineStatus(p: Pipeline, env: NodeJS.ProcessEnv = process.env): StageStatus[] {
  const graph = stageGraph(p);
  // A runner killed mid-stage left old outs aside: put them back, unless a live runner holds them there now.
  const release = takeRunnerLock(p.dir);
  if (typeof release !== 'number') {
    try {
      restoreStashes(p.dir);
    } finally {
      release();
    }
  }
  const cache = new HashCache(join(p.dir, '.skybook', 'hash-cache.json'));
  const lock = readLock(join(p.dir, LOCK_FILE));
  const states = new Map<string, StageStatus>();
  for (const name of graph.order) {
    const stage = graph.byName.get(name)!;
    const unset = stage.requiresEnv.filter((v) => !env[v]);
    if (unset.length) {
      states.set(name, { name, state: 'needs env', reasons: [`${unset.join(', ')} not set`] });
      continue;
    }
    const reasons = staleReasons(p, stage, lock.stages[name], fingerprint(p, stage, cache), cache);
    const staleUp = graph.upstream.get(name)!.filter((u) => ['stale', 'upstream stale'].includes(states.get(u)!.state));
    if (reasons.length) states.set(name, { name, state: 'stale', reasons });
    else if (staleUp.length)
      states.set(name, { name, state: 'upstream stale', reasons: staleUp.map((u) => `upstream stage ${u} is stale`) });
    else states.set(name, { name, state: 'up to date', reasons: [] });
  }
  cache.save();
  return graph.order.map((n) => states.get(n)!);
}
