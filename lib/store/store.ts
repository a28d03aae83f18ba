import type { RecordBatch, Table } from 'apache-arrow';
import type { ColumnPlan } from './column-plan.js';
import type { SqlQuery } from './sql.js';

/**
 * The two engines behind one interface.
 *
 * @example
 * if (store.engine === ('postgres' satisfies EngineName)) await createSkyIndex(store, cols);
 */
export type EngineName = 'duckdb' | 'postgres';

/**
 * A table name checked by `tableName()`: optional schema and name, both lower case.
 *
 * @example
 * const t: TableRef = { schema: 'dr1', name: 'zcat' };
 */
export interface TableRef {
  schema?: string;
  name: string;
}

/**
 * Rows `rows` (ascending indices) of `batch` to store: the ones that passed validation.
 *
 * @example
 * const part: LoadPart = { batch, rows: allRows(batch.numRows) };
 */
export interface LoadPart {
  batch: RecordBatch;
  rows: Int32Array;
}

/**
 * Options for `stream()`.
 *
 * @example
 * for await (const batch of store.stream('select * from zcat', { batchRows: 50_000 })) total += batch.numRows;
 */
export interface StreamOptions {
  /** Rows per record batch (default 8192; the last batch may be shorter). */
  batchRows?: number;
}

/**
 * How `load` may write a large part: `connections` > 1 lets PostgreSQL COPY over that many connections at once into a
 * staging table made visible in the load's own transaction (`postgres/parallel-copy.ts`); `rows` is the number of rows
 * expected, so that a small load keeps the one-connection COPY. DuckDB ignores both.
 *
 * @example
 * await tx.load(target, plans, parts, loadId, { connections: 4, rows: 5_000_000 });
 */
export interface LoadOptions {
  connections?: number;
  rows?: number;
}

/**
 * One connection's view of a store: queries return Arrow tables; `load` bulk-writes Arrow rows into an existing table
 * (binary COPY in PostgreSQL, data chunks or Parquet staging in DuckDB).
 *
 * @example
 * const t = await session.query(sql`select count(*) as n from ${sql.id('zcat')}`); t.getChild('n')?.get(0) // 5000000n
 */
export interface StoreSession {
  readonly engine: EngineName;
  /**
   * Runs a query and returns its rows as an Arrow table (int64 as bigint, exact). On a read-only store (`openStore(url,
   * { readOnly: true })`) it runs one reading statement, as `stream()` does.
   */
  query(q: SqlQuery | string): Promise<Table>;
  /**
   * Runs a query and yields its rows as Arrow record batches while the engine produces them, so memory stays flat
   * whatever the size of the result and the first rows come at once (DuckDB's streaming results; a PostgreSQL cursor,
   * `FETCH batchRows` at a time, inside the statement's transaction). A result without rows still yields one empty
   * batch, which carries the columns. The first batch fixes the column types for the rest.
   *
   * On a read-only store the SQL must be one statement that reads (a StoreError, exit code 2, refuses anything else
   * before it runs). On a writable store several statements run in order in one transaction and the last one's rows
   * are yielded; a script, or a single statement that writes, is run to its end before the first batch is yielded.
   * Stopping early (`break`, `return()`) ends the statement: a PostgreSQL cursor's transaction is rolled back.
   * The store's connection (DuckDB's only one) is held until the iteration ends.
   */
  stream(q: SqlQuery | string, opts?: StreamOptions): AsyncIterable<RecordBatch>;
  /** Runs a statement for its effect. */
  run(q: SqlQuery | string): Promise<void>;
  /**
   * Appends the chosen rows of each part to `table`: the planned columns in order, then the load id as the last column
   * (`skybook_load`). Returns the rows written. Inside `transaction()` the rows become visible with its COMMIT, whichever
   * way they were written (`opts`).
   */
  load(table: TableRef, plans: readonly ColumnPlan[], parts: AsyncIterable<LoadPart>, loadId: number, opts?: LoadOptions): Promise<number>;
}

/**
 * A DuckDB database (file or in-memory) or a PostgreSQL database (connection pool), opened by `openStore(url)`.
 *
 * @example
 * const store = await openStore('duckdb::memory:');
 * await store.transaction(async (tx) => { await tx.run('create table t (x int)'); });
 * await store.close();
 */
export interface Store extends StoreSession {
  /** The URL it was opened with, password removed (safe to print or record). */
  readonly url: string;
  /** Runs `fn` on one connection inside BEGIN ... COMMIT; rolls back and rethrows when `fn` throws. */
  transaction<T>(fn: (tx: StoreSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
