import type { HistoryRun, RunHistory } from '../lineage/index.js';
import type { AccessLevel, DatasetsRegistry } from './datasets-registry.js';
import { inPeriod, type ReportPeriod } from './report-period.js';

/** A run in the report: what, when, how it ended, by whom, with which software, and how many files it read and wrote. */
export interface GovernanceRun
  extends Pick<HistoryRun, 'runId' | 'kind' | 'name' | 'status' | 'startedAt' | 'finishedAt' | 'user' | 'host' | 'software'> {
  reads: number;
  writes: number;
}

/** One run's use of a file, with the bytes it recorded. */
export interface FileUse {
  runId: string;
  role: 'read' | 'wrote' | 'read and wrote';
  user: string;
  sha256: string;
  size: number;
}

/** A file touched in the period: its dataset (null when unregistered), every version seen, every run that used it. */
export interface GovernanceFile {
  path: string;
  dataset: string | null;
  hashes: { sha256: string; size: number }[];
  uses: FileUse[];
}

/** A registered dataset touched in the period, with its registry entry and the files of it that were touched. */
export interface GovernanceDataset {
  name: string;
  source: string;
  licence: string;
  access: AccessLevel;
  description: string;
  paths: string[];
  files: string[];
  users: string[];
}

/**
 * The governance report: every dataset touched in a period (each file in a run's inputs or outputs) with its source,
 * licence and access level from the registry, or listed as unregistered; every version (sha256, size) seen; every run
 * that read or wrote it, by whom (the OS user) and with which software. It states its period, not when it was made,
 * and every list is in a stable order, so one ledger and registry always give the same report.
 */
export interface GovernanceReport {
  report: 'skybook governance';
  period: ReportPeriod;
  /** The registry file as people read it, or null when none was used. */
  registry: string | null;
  summary: {
    datasets: number;
    files: number;
    unregistered: number;
    runs: number;
    users: string[];
    software: string[];
  };
  datasets: GovernanceDataset[];
  /** Files no registry entry matches, by path. */
  unregistered: string[];
  files: GovernanceFile[];
  runs: GovernanceRun[];
}

/**
 * Builds the report from the ledger's runs that started in the period.
 *
 * @example
 * const report = governanceReport(await RunHistory.read(ledger), DatasetsRegistry.read('datasets.yaml'), reportPeriod('2025-06-01'));
 * report.unregistered; // ['scratch/tmp.parquet']
 */
export function governanceReport(history: RunHistory, registry: DatasetsRegistry, period: ReportPeriod): GovernanceReport {
  const runs = history.runs
    .filter((r) => inPeriod(period, r.startedAt) && (r.inputs.length || r.outputs.length))
    .sort((a, b) => cmp(a.startedAt, b.startedAt) || cmp(a.runId, b.runId));
  const files = new Map<string, GovernanceFile>();
  for (const run of runs) {
    const roles = new Map<string, FileUse>();
    const use = (path: string, sha256: string, size: number, role: 'read' | 'wrote') => {
      const prev = roles.get(path);
      if (prev && prev.role !== role) prev.role = 'read and wrote';
      if (prev) {
        if (role === 'wrote') Object.assign(prev, { sha256, size }); // what it left is the version that matters
        return;
      }
      roles.set(path, { runId: run.runId, role, user: run.user, sha256, size });
    };
    for (const f of run.inputs) use(f.path, f.sha256, f.size, 'read');
    for (const f of run.outputs) use(f.path, f.sha256, f.size, 'wrote');
    for (const [path, u] of roles) {
      let file = files.get(path);
      if (!file) {
        file = { path, dataset: registry.match(path)?.name ?? null, hashes: [], uses: [] };
        files.set(path, file);
      }
      const versions = [...run.inputs, ...run.outputs].filter((f) => f.path === path);
      for (const v of versions)
        if (!file.hashes.some((h) => h.sha256 === v.sha256 && h.size === v.size)) file.hashes.push({ sha256: v.sha256, size: v.size });
      file.uses.push(u);
    }
  }
  const shown = [...files.values()].map((f) => ({ ...f, path: history.display(f.path) })).sort((a, b) => cmp(a.path, b.path));
  const datasets: GovernanceDataset[] = registry.datasets
    .map((d) => {
      const mine = shown.filter((f) => f.dataset === d.name);
      return {
        name: d.name,
        source: d.source,
        licence: d.licence,
        access: d.access,
        description: d.description,
        paths: [...d.paths],
        files: mine.map((f) => f.path),
        users: uniqueSorted(mine.flatMap((f) => f.uses.map((u) => u.user))),
      };
    })
    .filter((d) => d.files.length)
    .sort((a, b) => cmp(a.name, b.name));
  const reportRuns = runs.map((r) => governanceRun(r));
  return {
    report: 'skybook governance',
    period,
    registry: registry.file && history.display(registry.file),
    summary: {
      datasets: datasets.length,
      files: shown.length,
      unregistered: shown.filter((f) => f.dataset === null).length,
      runs: reportRuns.length,
      users: uniqueSorted(reportRuns.map((r) => r.user)),
      software: uniqueSorted(reportRuns.map((r) => softwareText(r.software))),
    },
    datasets,
    unregistered: shown.filter((f) => f.dataset === null).map((f) => f.path),
    files: shown,
    runs: reportRuns,
  };
}

/**
 * Software versions as one phrase: skybook's and Node.js's, then any others the run recorded, by name.
 *
 * @example
 * softwareText({ node: '20.11.1', skybook: '0.4.0' }); // 'skybook 0.4.0, Node.js 20.11.1'
 */
export function softwareText(software: Record<string, string>): string {
  const { skybook, node, ...rest } = software;
  const parts = [`skybook ${skybook ?? 'unknown'}`, `Node.js ${node ?? 'unknown'}`];
  for (const k of Object.keys(rest).sort()) parts.push(`${k} ${rest[k]}`);
  return parts.join(', ');
}

function governanceRun(r: HistoryRun): GovernanceRun {
  const { runId, kind, name, status, startedAt, finishedAt, user, host, software } = r;
  const sortedSoftware = Object.fromEntries(Object.entries(software).sort(([a], [b]) => cmp(a, b)));
  return {
    runId,
    kind,
    name,
    status,
    startedAt,
    finishedAt,
    user,
    host,
    software: sortedSoftware,
    reads: new Set(r.inputs.map((f) => f.path)).size,
    writes: new Set(r.outputs.map((f) => f.path)).size,
  };
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
