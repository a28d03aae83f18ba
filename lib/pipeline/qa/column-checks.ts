import { PipelineError, type PipelineLocation } from '../../errors/index.js';
import { sql, tableId, type SqlQuery } from '../../store/index.js';
import type { ColumnChecks } from './checks-file.js';
import type { QaResult } from './qa-report.js';
import { countOf, NAN, numberOf, type CheckedRows } from './table-scan.js';
import type { StoredColumn } from './table-columns.js';
import { boundsText, countWithinBounds, fraction, num, withinBounds } from './thresholds.js';

/**
 * One column's checks planned as aggregates over the table's rows (so every column of a table is checked in one pass):
 * `aggregates` names the SQL each needs, `results` turns the row the pass returned into one result per check.
 *
 * @example
 * const plan = planColumnChecks('zcat', 'zcat', 'Z', { name: 'z', kind: 'float' }, { range: { min: 0, max: 7 } }, 0, where);
 * const row = await rows.aggregate({ n: sql`count(*)`, ...plan.aggregates });
 * const results = await plan.results(row, rows);
 */
export interface ColumnPlan {
  aggregates: Record<string, SqlQuery>;
  results(row: Record<string, unknown>, rows: CheckedRows): Promise<QaResult[]>;
}

/**
 * Plans a column's checks, named `PREFIX.COLUMN.CHECK` (the prefix is the entry's `name`, else its table): null rate,
 * NaN rate, range and allowed values. A range on a column that is not numeric, allowed values that are not numbers for
 * a numeric column, or any check of a list column is a PipelineError (exit code 2) at `where` (the column's entry in
 * the checks file).
 *
 * @example
 * planColumnChecks('zcat', 'zcat', 'SPECTYPE', { name: 'spectype', kind: 'other' }, { enum: ['QSO'] }, 0, where);
 */
export function planColumnChecks(
  prefix: string,
  table: string,
  column: string,
  stored: StoredColumn,
  checks: ColumnChecks,
  k: number,
  where: PipelineLocation,
): ColumnPlan {
  if (stored.kind === 'list') throw new PipelineError(`column ${column} holds lists; checks take scalar columns`, where);
  if (checks.range && stored.kind !== 'float' && stored.kind !== 'number')
    throw new PipelineError(`range: column ${column} is not numeric`, where);
  const numeric = stored.kind === 'float' || stored.kind === 'number';
  if (checks.enum && numeric && !checks.enum.every((v) => typeof v === 'number'))
    throw new PipelineError(`enum: column ${column} is numeric, so its allowed values must be numbers`, where);

  const c = sql.id(stored.name);
  const isFloat = stored.kind === 'float';
  const finite = isFloat ? sql`${c} is not null and ${c} <> ${NAN}` : sql`${c} is not null`;
  const a = (what: string) => `c${k}_${what}`;
  const aggregates: Record<string, SqlQuery> = {};
  aggregates[a('nulls')] = sql`count(*) filter (where ${c} is null)`;
  if (isFloat) aggregates[a('nans')] = sql`count(*) filter (where ${c} = ${NAN})`;
  let outside: SqlQuery | undefined;
  if (checks.range) {
    const r = checks.range;
    const parts: SqlQuery[] = [];
    if (r.min !== undefined) parts.push(sql`${c} < cast(${r.min} as double precision)`);
    if (r.max !== undefined) parts.push(sql`${c} > cast(${r.max} as double precision)`);
    outside = sql`${finite} and (${sql.join(parts, ' or ')})`;
    aggregates[a('outside')] = sql`count(*) filter (where ${outside})`;
    aggregates[a('min')] = sql`min(cast(${c} as double precision)) filter (where ${finite})`;
    aggregates[a('max')] = sql`max(cast(${c} as double precision)) filter (where ${finite})`;
  }
  let disallowed: SqlQuery | undefined;
  if (checks.enum) {
    const values = checks.enum.map((v) => (numeric ? sql`cast(${v} as double precision)` : sql`cast(${String(v)} as text)`));
    const cell = numeric ? sql`cast(${c} as double precision)` : sql`cast(${c} as text)`;
    disallowed = sql`${c} is not null and ${cell} not in (${sql.join(values, ', ')})`;
    aggregates[a('disallowed')] = sql`count(*) filter (where ${disallowed})`;
  }

  const base = { table, column } as const;
  const name = (check: string) => `${prefix}.${column}.${check}`;
  return {
    aggregates,
    async results(row, rows) {
      const n = countOf(row.n);
      const out: QaResult[] = [];
      for (const kind of ['null_rate', 'nan_rate'] as const) {
        const b = checks[kind];
        if (!b) continue;
        const bad = kind === 'nan_rate' && !isFloat ? 0n : countOf(row[a(kind === 'null_rate' ? 'nulls' : 'nans')]);
        const rate = fraction(bad, n);
        const passed = withinBounds(rate, b);
        const what = kind === 'null_rate' ? 'null' : 'NaN';
        out.push({
          ...base,
          name: name(kind),
          check: kind,
          value: rate,
          threshold: b,
          passed,
          message: `${bad} of ${n} rows ${what} (rate ${num(rate)}${passed ? '' : `, allowed ${boundsText(b)}`})`,
          observed: { count: bad.toString(), rows: n.toString() },
        });
      }
      if (checks.range) {
        const bad = countOf(row[a('outside')]);
        const lo = numberOf(row[a('min')]);
        const hi = numberOf(row[a('max')]);
        out.push({
          ...base,
          name: name('range'),
          check: 'range',
          value: bad.toString(),
          threshold: checks.range,
          passed: countWithinBounds(bad, { max: 0 }),
          message: `${bad} of ${n} rows outside ${boundsText(checks.range).replace(/^in /, '')} (min ${num(lo)}, max ${num(hi)})`,
          observed: { min: lo, max: hi, rows: n.toString() },
        });
      }
      if (checks.enum && disallowed) {
        const bad = countOf(row[a('disallowed')]);
        const worst = bad > 0n ? await worstValues(rows, c, disallowed) : [];
        const shown = worst.map(([v, m]) => `${v} (${m})`).join(', ');
        out.push({
          ...base,
          name: name('enum'),
          check: 'enum',
          value: bad.toString(),
          threshold: checks.enum,
          passed: bad === 0n,
          message: `${bad} of ${n} rows not in {${checks.enum.join(', ')}}${shown ? `: ${shown}` : ''}`,
          observed: { values: worst.map(([v]) => v) },
        });
      }
      return out;
    },
  };
}

/** The five most frequent values that broke an enum check, with their counts (ties by value, so the order is stable). */
async function worstValues(rows: CheckedRows, c: ReturnType<typeof sql.id>, bad: SqlQuery): Promise<[string, string][]> {
  const t = await rows.query(
    sql`select cast(${c} as text) as v, count(*) as n from ${tableId(rows.table)} ${rows.where(bad)}
      group by 1 order by 2 desc, 1 limit 5`,
  );
  return t.toArray().map((r) => {
    const { v, n } = r.toJSON() as { v: string; n: bigint };
    return [String(v), countOf(n).toString()];
  });
}
