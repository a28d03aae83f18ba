import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunKind, RunRow } from '../../store/index.js';
import { numericValue, type QaReportFile } from './qa-report.js';

/** The content type of the text exposition format skybook writes and serves (Prometheus 0.0.4). */
export const EXPOSITION_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Every kind of run the ledger records, so `skybook_runs_running` has a series for each even when it is 0. */
export const RUN_KINDS: readonly RunKind[] = ['cloudy-grid', 'ingest', 'notebook', 'pipeline', 'qa', 'ray-job', 'stage'];

/** The kinds whose runs are named things people watch one by one (a stage, a notebook): gauges per name. */
const NAMED_KINDS: readonly RunKind[] = ['pipeline', 'stage', 'notebook'];

/**
 * Bucket bounds of `skybook_run_duration_seconds`, from a skipped-fast stage to a day-long Cloudy grid; an SLO alert
 * can use any of them as its threshold.
 */
export const DURATION_BUCKETS: readonly number[] = [0.1, 1, 5, 15, 60, 300, 900, 3600, 14_400, 86_400];

/**
 * The ledger as Prometheus metrics, in the text exposition format (0.0.4), every series in a stable order (sorted by
 * label values) so two renderings of one ledger are the same bytes:
 *
 * - `skybook_runs_total{kind,status}`: runs recorded (a counter: the ledger only grows);
 * - `skybook_runs_running{kind}`: runs going on now;
 * - `skybook_run_duration_seconds{kind}`: a histogram of ended runs' durations (skipped ones did no work, so they are left out);
 * - `skybook_last_run_duration_seconds`, `skybook_last_run_end_timestamp_seconds`, `skybook_last_run_success`
 *   `{kind,name}`: the last run that did work of each pipeline, stage and notebook;
 * - `skybook_rows_ingested_total`, `skybook_rows_quarantined_total` `{kind,name}`: rows written and rows quarantined;
 * - `skybook_qa_runs_total{status}`; `skybook_qa_checks_total{name,check,result}` over every QA report found;
 *   `skybook_qa_check_passed` and `skybook_qa_check_value` `{name,check}` from each QA suite's latest report.
 *
 * `reports` maps a `qa` run's id to its report ({@link qaReports}). A registry of its own per call: no global state.
 *
 * @example
 * const runs = await ledger.runs();
 * const text = await ledgerMetrics(runs, await qaReports(runs, ledgerFolder(ledger.url)));
 * // '# HELP skybook_runs_total Runs recorded in the skybook run ledger, by kind and final status.\n# TYPE ...'
 */
export async function ledgerMetrics(runs: readonly RunRow[], reports: ReadonlyMap<string, QaReportFile> = new Map()): Promise<string> {
  const registry = new Registry();
  const registers = [registry];
  const byKey = <T>(rows: Iterable<[string, T]>) => [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = (...parts: string[]) => parts.join('\u0000');

  const counts = new Map<string, { kind: string; status: string; n: number }>();
  for (const r of runs) {
    const k = key(r.kind, r.status);
    const c = counts.get(k) ?? { kind: r.kind, status: r.status, n: 0 };
    c.n++;
    counts.set(k, c);
  }
  const total = new Counter({
    name: 'skybook_runs_total',
    help: 'Runs recorded in the skybook run ledger, by kind and final status.',
    labelNames: ['kind', 'status'],
    registers,
  });
  for (const [, c] of byKey(counts)) total.inc({ kind: c.kind, status: c.status }, c.n);

  const running = new Gauge({ name: 'skybook_runs_running', help: 'Runs going on now, by kind.', labelNames: ['kind'], registers });
  for (const kind of RUN_KINDS) running.set({ kind }, runs.filter((r) => r.kind === kind && r.status === 'running').length);

  const durations = new Histogram({
    name: 'skybook_run_duration_seconds',
    help: 'Durations of ended runs that did work (not skipped), by kind.',
    labelNames: ['kind'],
    buckets: [...DURATION_BUCKETS],
    registers,
  });
  const ended = runs.filter((r) => r.seconds !== null && r.status !== 'running' && r.status !== 'skipped');
  for (const kind of [...new Set(ended.map((r) => r.kind))].sort())
    for (const r of ended) if (r.kind === kind) durations.observe({ kind }, Math.max(0, r.seconds!));

  lastRuns(runs, registers);
  rowCounts(runs, registers);
  qaMetrics(runs, reports, registers);
  return registry.metrics();
}

type Registers = Registry[];

/** The last ended, not skipped, run of each named pipeline, stage and notebook (runs are oldest first). */
function lastRuns(runs: readonly RunRow[], registers: Registers): void {
  const last = new Map<string, RunRow>();
  for (const r of runs)
    if (NAMED_KINDS.includes(r.kind) && r.finishedAt !== null && r.status !== 'running' && r.status !== 'skipped')
      last.set(`${r.kind}\u0000${r.name}`, r);
  const labelNames = ['kind', 'name'] as const;
  const duration = new Gauge({
    name: 'skybook_last_run_duration_seconds',
    help: 'Duration of the last run of each pipeline, stage and notebook.',
    labelNames,
    registers,
  });
  const endTime = new Gauge({
    name: 'skybook_last_run_end_timestamp_seconds',
    help: 'When the last run of each pipeline, stage and notebook ended, in Unix seconds.',
    labelNames,
    registers,
  });
  const success = new Gauge({
    name: 'skybook_last_run_success',
    help: 'Whether the last run of each pipeline, stage and notebook completed (1) or failed or was interrupted (0).',
    labelNames,
    registers,
  });
  for (const k of [...last.keys()].sort()) {
    const r = last.get(k)!;
    const labels = { kind: r.kind, name: r.name };
    duration.set(labels, r.seconds ?? 0);
    endTime.set(labels, Date.parse(r.finishedAt!) / 1000);
    success.set(labels, r.status === 'completed' ? 1 : 0);
  }
}

/** Rows written and quarantined, summed over every run that recorded them (ingests), by kind and name. */
function rowCounts(runs: readonly RunRow[], registers: Registers): void {
  const sums = new Map<string, { kind: string; name: string; rows: bigint; quarantined: bigint }>();
  for (const r of runs) {
    if (r.rows === null && r.quarantined === null) continue;
    const k = `${r.kind}\u0000${r.name}`;
    const s = sums.get(k) ?? { kind: r.kind, name: r.name, rows: 0n, quarantined: 0n };
    s.rows += r.rows ?? 0n;
    s.quarantined += r.quarantined ?? 0n;
    sums.set(k, s);
  }
  const labelNames = ['kind', 'name'] as const;
  const rows = new Counter({
    name: 'skybook_rows_ingested_total',
    help: 'Rows written to tables by runs that record them (ingests), by kind and name.',
    labelNames,
    registers,
  });
  const quarantined = new Counter({
    name: 'skybook_rows_quarantined_total',
    help: 'Rows that failed validation and went to quarantine, by kind and name.',
    labelNames,
    registers,
  });
  for (const k of [...sums.keys()].sort()) {
    const s = sums.get(k)!;
    // Sums are exact as bigints; a sample is a double, like every Prometheus value.
    rows.inc({ kind: s.kind, name: s.name }, Number(s.rows));
    quarantined.inc({ kind: s.kind, name: s.name }, Number(s.quarantined));
  }
}

/** QA runs by status, check outcomes over every report, and each suite's latest report check by check. */
function qaMetrics(runs: readonly RunRow[], reports: ReadonlyMap<string, QaReportFile>, registers: Registers): void {
  const qa = runs.filter((r) => r.kind === 'qa');
  const runsTotal = new Counter({
    name: 'skybook_qa_runs_total',
    help: 'QA gate runs, by final status (failed: a breach or an error).',
    labelNames: ['status'],
    registers,
  });
  for (const status of [...new Set(qa.map((r) => r.status))].sort())
    runsTotal.inc({ status }, qa.filter((r) => r.status === status).length);

  const outcomes = new Map<string, { name: string; check: string; result: string; n: number }>();
  const latest = new Map<string, QaReportFile>();
  for (const r of qa) {
    const rep = reports.get(r.runId);
    if (!rep) continue;
    latest.set(r.name, rep);
    for (const c of rep.results) {
      const result = c.passed ? 'passed' : 'failed';
      const k = `${r.name}\u0000${c.name}\u0000${result}`;
      const o = outcomes.get(k) ?? { name: r.name, check: c.name, result, n: 0 };
      o.n++;
      outcomes.set(k, o);
    }
  }
  const checks = new Counter({
    name: 'skybook_qa_checks_total',
    help: 'QA check outcomes over every QA report found, by QA suite (run name), check and result (passed or failed).',
    labelNames: ['name', 'check', 'result'],
    registers,
  });
  for (const k of [...outcomes.keys()].sort()) {
    const o = outcomes.get(k)!;
    checks.inc({ name: o.name, check: o.check, result: o.result }, o.n);
  }
  const passed = new Gauge({
    name: 'skybook_qa_check_passed',
    help: "Whether each check passed (1) or failed (0) in its QA suite's latest report.",
    labelNames: ['name', 'check'],
    registers,
  });
  const value = new Gauge({
    name: 'skybook_qa_check_value',
    help: "The value each check measured in its QA suite's latest report (checks that measured a number).",
    labelNames: ['name', 'check'],
    registers,
  });
  for (const name of [...latest.keys()].sort()) {
    const results = [...latest.get(name)!.results].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of results) {
      passed.set({ name, check: c.name }, c.passed ? 1 : 0);
      const v = numericValue(c.value);
      if (v !== undefined) value.set({ name, check: c.name }, v);
    }
  }
}
