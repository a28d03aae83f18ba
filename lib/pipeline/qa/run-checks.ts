import { dirname } from 'node:path';
import { PipelineError, type PipelineLocation } from '../../errors/index.js';
import { sql, type SqlQuery, type Store } from '../../store/index.js';
import type { ChecksFile, TableChecks } from './checks-file.js';
import { planColumnChecks } from './column-checks.js';
import { driftCheck } from './drift-check.js';
import type { QaReport, QaResult } from './qa-report.js';
import { CheckedRows, countOf } from './table-scan.js';
import { tableColumns, type TableColumns } from './table-columns.js';
import { boundsText, countWithinBounds, fraction, num, withinBounds } from './thresholds.js';

/** DESI's good-redshift cut: ZWARN == 0 and, where the table has it, DELTACHI2 at least this. */
export const GOOD_DELTACHI2 = 25;

/**
 * Options for {@link runQaChecks}.
 *
 * @example
 * await runQaChecks(checks, store, { baseDir: 'qa/' });
 */
export interface QaRunOptions {
  /** The folder reference files' paths are relative to (default: the checks file's folder). */
  baseDir?: string;
}

/**
 * Runs a checks file's checks against a store and returns the report; the results come in file order. Counts, null
 * and NaN rates, ranges and allowed values are computed by the database (one pass per table), the KS statistic here.
 * A missing table or column, or a check that does not fit its column, is a PipelineError (exit code 2) naming the
 * file, line and column of the entry; a breach is not an error, only a failed result (`report.passed` false).
 *
 * @example
 * const store = await openStore('duckdb:survey.duckdb', { readOnly: true, create: false });
 * const report = await runQaChecks(await readChecksFile('CHECKS.yaml'), store);
 * report.results.filter((r) => !r.passed).map((r) => r.name); // ['zcat.Z.range']
 */
export async function runQaChecks(file: ChecksFile, store: Store, opts: QaRunOptions = {}): Promise<QaReport> {
  const results: QaResult[] = [];
  for (const [i, t] of file.checks.entries()) results.push(...(await checkTable(file, store, t, i, opts)));
  return { checks: file.file, store: store.url, passed: results.every((r) => r.passed), results };
}

async function checkTable(file: ChecksFile, store: Store, t: TableChecks, i: number, opts: QaRunOptions): Promise<QaResult[]> {
  const at = (...path: PropertyKey[]): PipelineLocation => ({ file: file.file, ...file.position(['checks', i, ...path]) });
  const atKey = (...path: PropertyKey[]): PipelineLocation => ({ file: file.file, ...file.position(['checks', i, ...path], true) });
  const prefix = t.name ?? t.table;
  const cols = await tableColumns(store, t.table, { ...at('table'), table: t.table });
  const rows = new CheckedRows(store, cols.table, t.where, at('where'));

  const aggregates: Record<string, SqlQuery> = { n: sql`count(*)` };
  const plans = Object.entries(t.columns ?? {}).map(([column, checks], k) => {
    const where = { ...atKey('columns', column), table: t.table, column };
    const plan = planColumnChecks(prefix, t.table, column, cols.find(column, where), checks, k, where);
    Object.assign(aggregates, plan.aggregates);
    return plan;
  });
  const good = t.good_redshift_fraction
    ? goodRedshiftAggregate(cols, t.good_redshift_fraction.deltachi2, at('good_redshift_fraction'))
    : undefined;
  if (good) aggregates.good = good.expr;
  const row = await rows.aggregate(aggregates);
  const n = countOf(row.n);

  const out: QaResult[] = [];
  if (t.rows) {
    const passed = countWithinBounds(n, t.rows);
    out.push({
      name: `${prefix}.rows`,
      table: t.table,
      column: null,
      check: 'rows',
      value: n.toString(),
      threshold: t.rows,
      passed,
      message: `${n} rows${t.where ? ` where ${t.where}` : ''}${passed ? '' : `, allowed ${boundsText(t.rows)}`}`,
    });
  }
  for (const plan of plans) out.push(...(await plan.results(row, rows)));
  if (t.good_redshift_fraction && good) {
    const b = t.good_redshift_fraction;
    const ok = countOf(row.good);
    const value = n === 0n ? null : fraction(ok, n);
    const passed = withinBounds(value, b);
    out.push({
      name: `${prefix}.good_redshift_fraction`,
      table: t.table,
      column: null,
      check: 'good_redshift_fraction',
      value,
      threshold: { ...(b.min !== undefined && { min: b.min }), ...(b.max !== undefined && { max: b.max }) },
      passed,
      message:
        n === 0n
          ? 'no rows to take a fraction of'
          : `${ok} of ${n} rows have ${good.cut} (fraction ${num(value)}${passed ? '' : `, allowed ${boundsText(b)}`})`,
      observed: { good: ok.toString(), rows: n.toString() },
    });
  }
  const seen = new Map<string, number>();
  for (const [k, d] of (t.drift ?? []).entries()) {
    const count = (seen.get(d.column) ?? 0) + 1;
    seen.set(d.column, count);
    const name = `${prefix}.${d.column}.drift${count > 1 ? `.${count}` : ''}`;
    const where = { ...at('drift', k), table: t.table };
    const baseDir = opts.baseDir ?? dirname(file.file);
    out.push(await driftCheck(d, { rows, columns: cols, table: t.table, baseDir, where, name }));
  }
  return out;
}

/** The count of good redshifts: ZWARN = 0, and DELTACHI2 >= the cut when the table has that column. */
function goodRedshiftAggregate(
  cols: TableColumns,
  deltachi2: number | undefined,
  where: PipelineLocation,
): { expr: SqlQuery; cut: string } {
  const zwarn = cols.find('ZWARN', where);
  const dchi = cols.columns.find((c) => c.name.toLowerCase() === 'deltachi2');
  if (deltachi2 !== undefined && !dchi)
    throw new PipelineError('deltachi2: the table has no DELTACHI2 column', { ...where, column: 'DELTACHI2' });
  const cut = deltachi2 ?? GOOD_DELTACHI2;
  const conds = [sql`${sql.id(zwarn.name)} = 0`];
  if (dchi) conds.push(sql`${sql.id(dchi.name)} >= cast(${cut} as double precision)`);
  return {
    expr: sql`count(*) filter (where ${sql.join(conds, ' and ')})`,
    cut: `ZWARN = 0${dchi ? ` and DELTACHI2 >= ${num(cut)}` : ''}`,
  };
}
