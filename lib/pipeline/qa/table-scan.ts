import type { Table } from 'apache-arrow';
import { PipelineError, SkybookError, type PipelineLocation } from '../../errors/index.js';
import { sql, tableId, type SqlQuery, type Store, type TableRef } from '../../store/index.js';

/** NaN as both engines write it in SQL; in both, NaN equals itself and sorts above every other number. */
export const NAN = sql`cast('NaN' as double precision)`;

/**
 * The rows a table's checks look at: the table, and the checks file's `where` filter when it has one. The filter is
 * the user's own SQL, spliced in as written inside parentheses: the store is opened read-only, so it can only read.
 *
 * @example
 * const rows = new CheckedRows(store, { name: 'zcat' }, "SPECTYPE = 'QSO'", { file: 'CHECKS.yaml', line: 3, col: 12 });
 * const { n } = await rows.aggregate({ n: sql`count(*)` });
 */
export class CheckedRows {
  constructor(
    readonly store: Store,
    readonly table: TableRef,
    private readonly filter: string | undefined,
    /** Where the filter sits in the checks file, for a filter the engine refuses. */
    private readonly filterAt: PipelineLocation,
  ) {}

  /** `where (filter) and cond...`, or `where cond...`, or nothing. */
  where(...conds: SqlQuery[]): SqlQuery {
    const all = this.filter ? [sql`(${sql.raw(this.filter)})`, ...conds] : conds;
    return all.length ? sql`where ${sql.join(all, ' and ')}` : sql``;
  }

  /**
   * One pass over the rows computing every named aggregate at once; returns them by name. Names are lower case (SQL
   * folds unquoted aliases in PostgreSQL).
   */
  async aggregate(exprs: Record<string, SqlQuery>): Promise<Record<string, unknown>> {
    const list = Object.entries(exprs).map(([alias, e]) => sql`${e} as ${sql.id(alias)}`);
    const t = await this.query(sql`select ${sql.join(list, ', ')} from ${tableId(this.table)} ${this.where()}`);
    return t.get(0)!.toJSON() as Record<string, unknown>;
  }

  /** Runs a query over these rows; a statement the engine refuses (the filter's SQL) is reported at the filter. */
  async query(q: SqlQuery): Promise<Table> {
    try {
      return await this.store.query(q);
    } catch (e) {
      if (e instanceof SkybookError && e.exitCode === 2 && this.filter)
        throw new PipelineError(`where: ${e.message}`, this.filterAt, 2, { cause: e });
      throw e;
    }
  }
}

/**
 * An engine's count as a bigint (DuckDB and PostgreSQL return int64 counts; a bigint in Arrow).
 *
 * @example
 * countOf(3n); // 3n
 */
export function countOf(v: unknown): bigint {
  return v === null || v === undefined ? 0n : BigInt(v as bigint | number);
}

/**
 * An engine's number (a double, or null when there were no values).
 *
 * @example
 * numberOf(null); // null
 */
export function numberOf(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
