import { latest, unknownFile } from './lineage-of.js';
import type { HistoryRun, RunHistory } from './run-history.js';

/** A run downstream of a file: how many steps away, which upstream files it read, and the files it wrote. */
export interface DependentRun {
  run: HistoryRun;
  /** 1 for a run that read the file itself, 2 for one that read what those wrote, and so on. */
  depth: number;
  /** The files of the chain it read (absolute), sorted. */
  reads: string[];
  /** Everything it wrote (absolute), sorted. */
  writes: string[];
}

/** A file downstream of another: written by a dependent run. */
export interface DependentFile {
  path: string;
  name: string;
  depth: number;
}

/** What a change to a file invalidates. */
export interface Dependents {
  path: string;
  name: string;
  /** By depth, then by when they started. */
  runs: DependentRun[];
  /** By depth, then by name. */
  files: DependentFile[];
}

/**
 * Every run that read `file` and, recursively, every run that read what those wrote: what a change to it invalidates.
 * Only current runs count: completed ones that are still the latest writer of one of their outputs (or, for a run that
 * wrote nothing, such as a QA check, the latest completed run of its kind and name), so a stage re-run since, or one
 * that no longer reads the file, is not listed twice or wrongly. A relative `file` is taken from `cwd` (default: the
 * project folder). A file no run read or wrote is a PipelineError (exit code 2).
 *
 * @example
 * const d = dependentsOf(await RunHistory.read(ledger), 'data/zall-pix.fits');
 * d.runs.map((r) => r.run.name); // ['features', 'anomalies', 'report']
 */
export function dependentsOf(history: RunHistory, file: string, opts: { cwd?: string } = {}): Dependents {
  const path = history.resolve(file, opts.cwd);
  if (!history.readersOf(path).length && !history.writersOf(path).length) throw unknownFile(history, file);
  const current = currentRuns(history);
  const found = new Map<HistoryRun, DependentRun>();
  const files = new Map<string, DependentFile>([[path, { path, name: history.display(path), depth: 0 }]]);
  let frontier = [path];
  for (let depth = 1; frontier.length; depth++) {
    const level: DependentRun[] = [];
    for (const f of frontier) {
      for (const run of history.readersOf(f)) {
        if (!current.has(run)) continue;
        const known = found.get(run);
        if (known) {
          if (known.depth === depth && !known.reads.includes(f)) known.reads.push(f);
          continue;
        }
        const dep: DependentRun = { run, depth, reads: [f], writes: [...new Set(run.outputs.map((o) => o.path))].sort() };
        found.set(run, dep);
        level.push(dep);
      }
    }
    frontier = [];
    for (const dep of level) {
      dep.reads.sort();
      for (const out of dep.writes) {
        if (files.has(out)) continue;
        files.set(out, { path: out, name: history.display(out), depth });
        frontier.push(out);
      }
    }
  }
  files.delete(path);
  const byStart = (a: DependentRun, b: DependentRun) =>
    a.depth - b.depth || cmp(a.run.startedAt, b.run.startedAt) || cmp(a.run.runId, b.run.runId);
  return {
    path,
    name: history.display(path),
    runs: [...found.values()].sort(byStart),
    files: [...files.values()].sort((a, b) => a.depth - b.depth || cmp(a.name, b.name)),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The runs whose work still stands (see {@link dependentsOf}). */
function currentRuns(history: RunHistory): Set<HistoryRun> {
  const current = new Set<HistoryRun>();
  const lastByName = new Map<string, HistoryRun>();
  for (const run of history.runs) {
    if (run.status !== 'completed' || run.container) continue;
    if (run.outputs.some((o) => latest(history.writersOf(o.path)) === run)) current.add(run);
    else if (!run.outputs.length) {
      const key = `${run.kind}\0${run.name}`;
      const prev = lastByName.get(key);
      if (!prev || latest([prev, run]) === run) lastByName.set(key, run);
    }
  }
  for (const run of lastByName.values()) current.add(run);
  return current;
}
