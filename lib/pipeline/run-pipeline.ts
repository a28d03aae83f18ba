import { join, relative } from 'node:path';
import { type Progress, progressOf } from '../core/index.js';
import { PipelineError } from '../errors/index.js';
import { type FileRecord, RunLedger } from '../store/index.js';
import { HashCache } from './hash-cache.js';
import { LOCK_FILE, type Lock, type LockedFile, lockedFile, readLock, writeLock } from './lock-file.js';
import { OutsGuard, restoreStashes } from './outs-guard.js';
import { madeByAStage, type Pipeline, type Stage } from './pipeline-file.js';
import { takeRunnerLock } from './runner-lock.js';
import { runStage } from './run-stage.js';
import { type StageGraph, stageGraph, withUpstream } from './stage-graph.js';
import { depDigest, type Fingerprint, fingerprint, staleReasons } from './staleness.js';

/** One stage's outcome, as `skybook pipeline run --json` prints it. */
export interface StageResult {
  name: string;
  status: 'ran' | 'skipped' | 'failed';
  seconds: number;
  /** Why it ran (what was stale), why it was skipped (up to date, upstream failed, env unset) or why it failed. */
  reason: string;
}

/** What happens during a run, for a renderer: a stage starts (and why), prints a line, ends. */
export type PipelineEvent =
  | { kind: 'start'; stage: string; reasons: string[] }
  | { kind: 'line'; stage: string; line: string }
  | { kind: 'end'; result: StageResult }
  | { kind: 'restored'; stage: string };

/** Options of `runPipeline`. */
export interface PipelineRunOptions {
  /** Bring these stages (and what they need) up to date; default every stage. */
  stages?: readonly string[];
  /** Run the named stages (or all) even when up to date. */
  force?: boolean;
  /** Stages run at once where independent (default 1). */
  jobs?: number;
  /** The stages' environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The ledger (default: the pipeline's `ledger:`, SKYBOOK_LEDGER, or .skybook/ledger.duckdb beside the file). */
  ledger?: RunLedger;
  onEvent?: (e: PipelineEvent) => void;
  /** Aborting stops running stages (their old outs come back) and starts no more; the run ends `interrupted`. */
  signal?: AbortSignal;
  progress?: Progress | false;
}

/** A whole run's outcome. */
export interface PipelineRunResult {
  stages: StageResult[];
  /** No stage failed and the run was not interrupted. */
  ok: boolean;
  interrupted: boolean;
  /** The pipeline run's id in the ledger. */
  runId: string;
}

/** The ledger a pipeline writes to: the `ledger:` it names, else SKYBOOK_LEDGER, else .skybook/ledger.duckdb beside it. */
export function pipelineLedger(p: Pipeline, env: NodeJS.ProcessEnv = process.env): RunLedger {
  return RunLedger.resolve(p.ledger, p.dir, env);
}

/**
 * Runs a pipeline's stages in dependency order, in parallel where independent, skipping each stage whose command (or
 * normalised notebook code), params and deps' hashes match skybook.lock and whose outs are as it left them. Decided
 * when a stage's upstream has finished, so an upstream that re-ran and wrote the same bytes leaves it skipped (early
 * cut-off). Every stage that runs has its old outs kept aside until it succeeds (`OutsGuard`), a `running` ledger row
 * from its start, and its lock entry written as soon as it ends. One runner per pipeline folder at a time.
 *
 * @example
 * const r = await runPipeline(loadPipeline('skybook.pipeline.yaml'), { jobs: 2 });
 * r.stages.map((s) => `${s.name} ${s.status}`) // ['survey ran', 'ingest ran', ...]
 */
export async function runPipeline(p: Pipeline, opts: PipelineRunOptions = {}): Promise<PipelineRunResult> {
  const graph = stageGraph(p);
  const selected = selectStages(p, graph, opts.stages);
  const forced = new Set(opts.force ? (opts.stages?.length ? opts.stages : graph.order) : []);
  const release = takeRunnerLock(p.dir);
  if (typeof release === 'number')
    throw new PipelineError(
      `another skybook pipeline run or watch (pid ${release}) is running this pipeline; try again when it ends`,
      { file: p.file },
      1,
    );
  const env = opts.env ?? process.env;
  const ledger = opts.ledger ?? pipelineLedger(p, env);
  const progress = progressOf(opts.progress);
  const results = new Map<string, StageResult>();
  let pipelineRun: string | undefined;
  try {
    for (const stage of restoreStashes(p.dir)) opts.onEvent?.({ kind: 'restored', stage });
    const cache = new HashCache(join(p.dir, '.skybook', 'hash-cache.json'));
    const lockPath = join(p.dir, LOCK_FILE);
    const lock = readLock(lockPath);
    // A dep no stage makes and that is not there is refused before anything runs.
    for (const name of selected) for (const d of graph.byName.get(name)!.deps) if (!madeByAStage(p, d)) depDigest(p, name, d, cache);
    pipelineRun = await ledger.begin({
      kind: 'pipeline',
      name: relative(p.dir, p.file) || p.file,
      params: { stages: selected, force: opts.force ?? false, jobs: opts.jobs ?? 1 },
      workdir: p.dir,
    });
    progress.start({ label: 'pipeline', total: selected.length, unit: 'stages' });
    const jobs = Math.max(1, opts.jobs ?? 1);
    const running = new Map<string, Promise<void>>();
    const pending = [...selected];
    const runOne = async (stage: Stage, fp: Fingerprint, reasons: string[]) => {
      results.set(
        stage.name,
        await executeStage(p, stage, fp, reasons, { cache, lock, lockPath, graph, ledger, env, opts, parent: pipelineRun! }),
      );
      progress.advance(1, stage.name);
    };
    while (pending.length || running.size) {
      let started = false;
      for (const name of [...pending]) {
        if (running.size >= jobs) break;
        const ups = graph.upstream.get(name)!.filter((u) => selected.includes(u));
        if (ups.some((u) => !results.has(u))) continue;
        pending.splice(pending.indexOf(name), 1);
        const stage = graph.byName.get(name)!;
        const skip = (reason: string) => {
          const r: StageResult = { name, status: 'skipped', seconds: 0, reason };
          results.set(name, r);
          progress.advance(1, name);
          opts.onEvent?.({ kind: 'end', result: r });
        };
        const failedUp = ups.find((u) => results.get(u)!.status === 'failed' || results.get(u)!.reason.startsWith('not run'));
        if (opts.signal?.aborted) {
          skip('not run: the pipeline was interrupted');
          continue;
        }
        if (failedUp) {
          skip(`not run: upstream stage ${failedUp} did not complete`);
          continue;
        }
        const unset = stage.requiresEnv.filter((v) => !env[v]);
        if (unset.length) {
          skip(`not run: ${unset.join(', ')} not set (the stage requires it)`);
          continue;
        }
        const fp = fingerprint(p, stage, cache);
        const reasons = forced.has(name) ? ['forced (--force)'] : staleReasons(p, stage, lock.stages[name], fp, cache);
        if (!reasons.length) {
          skip('up to date');
          continue;
        }
        const job = runOne(stage, fp, reasons).finally(() => running.delete(name));
        running.set(name, job);
        started = true;
      }
      if (!started && running.size) await Promise.race(running.values());
      else if (!started && pending.length)
        throw new PipelineError(`stages ${pending.join(', ')} wait on stages that never finish (internal)`, { file: p.file });
    }
    cache.save();
    const list = selected.map((n) => results.get(n)!);
    const interrupted = opts.signal?.aborted === true;
    const ok = !interrupted && list.every((r) => r.status !== 'failed' && !r.reason.startsWith('not run: upstream'));
    await ledger.end(pipelineRun, {
      status: interrupted ? 'interrupted' : ok ? 'completed' : 'failed',
      error: ok
        ? undefined
        : list
            .filter((r) => r.status === 'failed')
            .map((r) => `${r.name}: ${r.reason}`)
            .join('; ') || undefined,
    });
    return { stages: list, ok, interrupted, runId: pipelineRun };
  } catch (e) {
    if (pipelineRun) await ledger.end(pipelineRun, { status: 'failed', error: (e as Error).message }).catch(() => undefined);
    throw e;
  } finally {
    progress.finish();
    release();
    if (!opts.ledger) await ledger.close();
  }
}

function selectStages(p: Pipeline, g: StageGraph, names: readonly string[] | undefined): string[] {
  if (!names?.length) return g.order;
  for (const n of names) if (!g.byName.has(n)) throw new PipelineError(`no stage ${n} (stages: ${g.order.join(', ')})`, { file: p.file });
  return withUpstream(g, names);
}

interface StageContext {
  cache: HashCache;
  lock: Lock;
  lockPath: string;
  graph: StageGraph;
  ledger: RunLedger;
  env: NodeJS.ProcessEnv;
  opts: PipelineRunOptions;
  parent: string;
}

async function executeStage(p: Pipeline, stage: Stage, fp: Fingerprint, reasons: string[], c: StageContext): Promise<StageResult> {
  const t0 = performance.now();
  c.opts.onEvent?.({ kind: 'start', stage: stage.name, reasons });
  const runId = await c.ledger.begin({
    kind: 'stage',
    name: stage.name,
    parent: c.parent,
    params: stage.params,
    inputs: fp.deps.map(fileRecord),
    workdir: p.dir,
  });
  const guard = OutsGuard.stash(p.dir, stage.name, stage.outs);
  let exit;
  try {
    exit = await runStage(p, stage, {
      env: { ...c.env, SKYBOOK_LEDGER: c.ledger.url, SKYBOOK_PARENT_RUN: runId },
      signal: c.opts.signal,
      onLine: (line) => c.opts.onEvent?.({ kind: 'line', stage: stage.name, line }),
    });
  } catch (e) {
    guard.restore();
    await c.ledger.end(runId, { status: 'failed', error: (e as Error).message });
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  const end = async (status: 'failed' | 'interrupted', reason: string): Promise<StageResult> => {
    guard.restore();
    await c.ledger.end(runId, { status, error: `${reason}\n${exit.tail}`.trim() });
    const r: StageResult = { name: stage.name, status: 'failed', seconds, reason };
    c.opts.onEvent?.({ kind: 'end', result: r });
    return r;
  };
  if (exit.signal || c.opts.signal?.aborted)
    return end(
      'interrupted',
      `interrupted (${exit.signal ?? 'the pipeline was stopped'}); old outs kept; log ${relative(p.dir, exit.log)}`,
    );
  if (exit.code !== 0) {
    // The stage's last words usually say why (a QA gate names the failed check and its value there).
    const last = exit.tail
      .split('\n')
      .filter((l) => l.trim())
      .at(-1)
      ?.trim();
    return end('failed', `exit code ${exit.code}${last ? `: ${last}` : ''}; old outs kept; log ${relative(p.dir, exit.log)}`);
  }
  const missing = guard.missing();
  if (missing.length) return end('failed', `out not produced: ${missing.join(', ')}; old outs kept`);
  guard.commit();
  const outs = stage.outs.map((o) => lockedFile(o, c.cache.hash(join(p.dir, o))!));
  c.lock.stages[stage.name] = { cmd: fp.cmd, notebook: fp.notebook, code: fp.code, params: fp.params, deps: fp.deps, outs };
  writeLock(c.lockPath, c.lock, c.graph.order);
  c.cache.save();
  const manifest = stage.kind === 'notebook' ? stage.outs.find((o) => o.endsWith('.provenance.json')) : undefined;
  await c.ledger.end(runId, { status: 'completed', outputs: outs.map(fileRecord), manifest });
  const r: StageResult = { name: stage.name, status: 'ran', seconds, reason: reasons.join('; ') };
  c.opts.onEvent?.({ kind: 'end', result: r });
  return r;
}

function fileRecord(f: LockedFile): FileRecord {
  return { path: f.path, sha256: f.sha256, size: f.size };
}
