import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { RunRow } from '../../store/index.js';
import { rowFolder } from './ledger-folder.js';

/**
 * One check's result in a QA report, as `skybook qa` writes it (its other fields are not read here).
 *
 * @example
 * const c: QaCheckOutcome = { name: 'zcat.Z.range', passed: false, value: '3', message: '3 of 1000 rows outside [-0.01, 7]' };
 */
export interface QaCheckOutcome {
  name: string;
  passed: boolean;
  /** The measured value: a rate or a KS statistic as a number, a count as a decimal string, null when none. */
  value?: unknown;
  /** What the check found, in words. */
  message?: string;
}

/**
 * The part of a `skybook qa` JSON report (qa.QaReport) that metrics and the dashboard read, and where it was found.
 *
 * @example
 * const rep: QaReportFile = { path: 'qa/zcat.json', passed: true, results: [{ name: 'zcat.rows', passed: true, value: '1000' }] };
 */
export interface QaReportFile {
  /** The report's path as the ledger row's outputs name it. */
  path: string;
  passed: boolean;
  results: QaCheckOutcome[];
}

// Loose on purpose: the report belongs to `skybook qa`, which may add fields; only these are read.
const REPORT = z.object({
  passed: z.boolean(),
  results: z.array(z.looseObject({ name: z.string(), passed: z.boolean(), value: z.unknown().optional(), message: z.string().optional() })),
});

/**
 * A check's value as a number for a gauge: a number as it is, a count written as a decimal string parsed; else none.
 *
 * @example
 * numericValue('1000'); // 1000
 * numericValue(null); // undefined
 */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v)) return Number(v);
  return undefined;
}

/**
 * The QA report a `qa` ledger row wrote: the first of its JSON outputs (relative ones resolved against the row's
 * folder, {@link rowFolder}, else `root`, the ledger's project folder) that reads as `{ passed, results: [{ name, passed, value }] }`; none when
 * the row is not a QA run or no such file is there now (deleted, or the run failed before writing it).
 *
 * @example
 * const rep = await qaReportOf(row, '/work/proj'); // { path: 'qa/zcat.json', passed: false, results: [{ name: 'z_range', passed: false, value: 0.031 }] }
 */
export async function qaReportOf(row: RunRow, root: string): Promise<QaReportFile | undefined> {
  if (row.kind !== 'qa') return undefined;
  for (const out of row.outputs) {
    if (!out.path.toLowerCase().endsWith('.json')) continue;
    let text: string;
    try {
      text = await readFile(isAbsolute(out.path) ? out.path : resolve(rowFolder(row, root), out.path), 'utf8');
    } catch {
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = REPORT.safeParse(json);
    if (!parsed.success) continue;
    const results = parsed.data.results.map((r) => ({ name: r.name, passed: r.passed, value: r.value, message: r.message }));
    return { path: out.path, passed: parsed.data.passed, results };
  }
  return undefined;
}

/**
 * The QA reports of every `qa` row that has one, by run id.
 *
 * @example
 * const reports = await qaReports(await ledger.runs(), root); reports.get(row.runId)?.passed
 */
export async function qaReports(runs: readonly RunRow[], root: string): Promise<Map<string, QaReportFile>> {
  const found = new Map<string, QaReportFile>();
  for (const row of runs) {
    const rep = await qaReportOf(row, root);
    if (rep) found.set(row.runId, rep);
  }
  return found;
}
