import { formatByteSize } from '../../core/index.js';
import type { Dependents } from './dependents-of.js';
import type { Lineage, LineageNode } from './lineage-of.js';
import type { HistoryRun, RunHistory } from './run-history.js';

/** A run as lineage output names it: who, what, when, how it ended, where its manifest is. */
export type RunSummary = Pick<
  HistoryRun,
  'runId' | 'parent' | 'kind' | 'name' | 'status' | 'startedAt' | 'finishedAt' | 'user' | 'host' | 'software' | 'manifest'
>;

/** A lineage node as JSON: a producer already shown earlier in the tree is named, with `repeated: true`, not expanded again. */
export interface LineageNodeJson {
  path: string;
  sha256: string;
  size: number;
  changed: boolean;
  missing: boolean;
  producedBy: RunSummary | null;
  written?: { sha256: string; size: number };
  cycle?: true;
  repeated?: true;
  inputs: LineageNodeJson[];
}

/**
 * A run's summary (its file lists left out: they are the tree).
 *
 * @example
 * runSummary(lineage.runs[0]!).kind; // 'stage'
 */
export function runSummary(r: HistoryRun): RunSummary {
  const { runId, parent, kind, name, status, startedAt, finishedAt, user, host, software, manifest } = r;
  return { runId, parent, kind, name, status, startedAt, finishedAt, user, host, software, manifest };
}

/**
 * The lineage tree as JSON, paths as people read them. A run's inputs are written under the first node it produced;
 * later nodes it produced say `repeated: true`, so a diamond-shaped pipeline does not grow the document exponentially.
 *
 * @example
 * JSON.stringify(lineageJson(lineage, history)).includes('"changed":true')
 */
export function lineageJson(lineage: Lineage, history: Pick<RunHistory, 'display'>): LineageNodeJson {
  const shown = new Set<HistoryRun>();
  const walk = (n: LineageNode): LineageNodeJson => {
    const run = n.producedBy;
    const repeated = run !== null && !n.cycle && shown.has(run);
    if (run) shown.add(run);
    return {
      path: history.display(n.path),
      sha256: n.sha256,
      size: n.size,
      changed: n.changed,
      missing: n.missing,
      producedBy: run && runSummary(run),
      ...(n.written ? { written: { sha256: n.written.sha256, size: n.written.size } } : {}),
      ...(n.cycle ? { cycle: true as const } : {}),
      ...(repeated ? { repeated: true as const } : {}),
      inputs: repeated || n.cycle ? [] : n.inputs.map(walk),
    };
  };
  return walk(lineage.root);
}

/**
 * The lineage as a readable tree, one line per file: its path, sha256 (first 12 digits) and size as recorded then,
 * "changed since" (or "missing") when its bytes differ now, and the run that made it (kind, name, when, status) or
 * "source" for a file no run made.
 *
 * @example
 * process.stdout.write(lineageText(lineage));
 * // out/report.html  3f2a9c1d0e4b  12 KiB  <- notebook report.ipynb, 2025-06-01T10:00:00.000Z, completed
 * // └── out/b.parquet  9c1d0e4b3f2a  880 bytes  changed since  <- stage B, ...
 */
export function lineageText(lineage: Lineage): string {
  const shown = new Set<HistoryRun>();
  const lines: string[] = [];
  const walk = (n: LineageNode, lead: string, branch: string) => {
    const run = n.producedBy;
    const repeated = run !== null && !n.cycle && shown.has(run);
    if (run) shown.add(run);
    const state = n.missing ? '  missing' : n.changed ? '  changed since' : '';
    const made = run ? `  <- ${run.kind} ${run.name}, ${run.startedAt}, ${run.status}` : '  source (no run made it)';
    const note = n.cycle ? ' (its inputs are above: the records loop)' : repeated && n.inputs.length ? ' (its inputs are shown above)' : '';
    lines.push(`${lead}${branch}${n.name}  ${n.sha256.slice(0, 12) || '?'}  ${formatByteSize(n.size)}${state}${made}${note}`);
    if (repeated || n.cycle) return;
    const childLead = lead + (branch === '' ? '' : branch === '└── ' ? '    ' : '│   ');
    n.inputs.forEach((c, i) => walk(c, childLead, i === n.inputs.length - 1 ? '└── ' : '├── '));
  };
  walk(lineage.root, '', '');
  return lines.join('\n') + '\n';
}

/**
 * A file's dependents as text: each run downstream (depth, kind and name, what it read, what it wrote), then every file
 * they wrote, which a change to the file invalidates.
 *
 * @example
 * process.stdout.write(dependentsText(dependentsOf(history, 'data/s2.fits'), history));
 */
export function dependentsText(d: Dependents, history: Pick<RunHistory, 'display'>): string {
  if (!d.runs.length) return `${d.name}: no current run read it; nothing depends on it\n`;
  const show = (paths: string[]) => paths.map((p) => history.display(p)).join(', ') || '-';
  const lines = [`${d.name}: ${d.runs.length} run(s) downstream, ${d.files.length} file(s) a change to it invalidates`];
  for (const r of d.runs)
    lines.push(`  ${r.depth}  ${r.run.kind} ${r.run.name}  (${r.run.startedAt})  reads ${show(r.reads)}  writes ${show(r.writes)}`);
  lines.push(`files: ${d.files.map((f) => f.name).join(', ') || '-'}`);
  return lines.join('\n') + '\n';
}

/**
 * A file's dependents as JSON.
 *
 * @example
 * dependentsJson(d, history).runs[0]?.run.name
 */
export function dependentsJson(d: Dependents, history: Pick<RunHistory, 'display'>) {
  return {
    path: d.name,
    runs: d.runs.map((r) => ({
      depth: r.depth,
      run: runSummary(r.run),
      reads: r.reads.map((p) => history.display(p)),
      writes: r.writes.map((p) => history.display(p)),
    })),
    files: d.files.map((f) => ({ path: f.name, depth: f.depth })),
  };
}
