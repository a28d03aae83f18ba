/**
 * The kinds of check a checks file declares.
 *
 * @example
 * const k: QaCheckKind = 'null_rate';
 */
export type QaCheckKind = 'rows' | 'null_rate' | 'nan_rate' | 'range' | 'enum' | 'good_redshift_fraction' | 'drift';

/**
 * One check's outcome. `value` is what was measured: a fraction (rates, the good-redshift fraction), the KS statistic
 * (drift), or a count as a decimal string (rows; rows outside a range or the allowed values), since counts can exceed
 * 2^53; null when nothing could be measured (a fraction of no rows). `observed` holds what else the check saw (the
 * column's minimum and maximum, the sample sizes and p-value, the offending values).
 *
 * @example
 * const r: QaResult = { name: 'zcat.Z.range', table: 'zcat', column: 'Z', check: 'range', value: '3',
 *   threshold: { min: -0.01, max: 7 }, passed: false, message: '3 of 1000 rows outside [-0.01, 7] (min -0.5, max 7)' };
 */
export interface QaResult {
  /** Stable: `TABLE.rows`, `TABLE.COLUMN.null_rate`, `TABLE.good_redshift_fraction`, `TABLE.COLUMN.drift`. */
  name: string;
  table: string;
  column: string | null;
  check: QaCheckKind;
  value: number | string | null;
  threshold: { min?: number; max?: number } | readonly (string | number)[];
  passed: boolean;
  message: string;
  observed?: Record<string, number | string | null | readonly (string | number)[]>;
}

/**
 * A QA run's report, as `skybook qa --report` writes it.
 *
 * @example
 * const rep: QaReport = { checks: 'CHECKS.yaml', store: 'duckdb:survey.duckdb', passed: true, results: [] };
 */
export interface QaReport {
  /** The checks file, as given. */
  checks: string;
  /** The store's URL, password removed. */
  store: string;
  passed: boolean;
  results: QaResult[];
}

/**
 * The report as JSON text (two-space indent, trailing newline); every number is finite or null, so it parses anywhere.
 *
 * @example
 * JSON.parse(qaReportJson(report)).passed; // true
 */
export function qaReportJson(report: QaReport): string {
  return `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

/**
 * The failed results, one line each (`zcat.Z.range = 3: 3 of 1000 rows outside [-0.01, 7]`), in file order.
 *
 * @example
 * breachLines(report).join('; ');
 */
export function breachLines(report: QaReport): string[] {
  return report.results.filter((r) => !r.passed).map((r) => `${r.name} = ${r.value ?? 'n/a'}: ${r.message}`);
}

/**
 * A report as text: a line per check (`PASS`/`FAIL`, name, message), failed ones first, then a total.
 *
 * @example
 * process.stdout.write(qaSummary(report));
 */
export function qaSummary(report: QaReport): string {
  const ordered = [...report.results.filter((r) => !r.passed), ...report.results.filter((r) => r.passed)];
  const lines = ordered.map((r) => `${r.passed ? 'PASS' : 'FAIL'}  ${r.name}: ${r.message}`);
  const failed = report.results.length - report.results.filter((r) => r.passed).length;
  lines.push(`${report.checks}: ${report.results.length} checks, ${failed} failed${failed ? '' : ' (passed)'} on ${report.store}`);
  return `${lines.join('\n')}\n`;
}
