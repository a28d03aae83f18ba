import {
  JSDuckDBValueConverter,
  listValue,
  StatementType,
  type DuckDBConnection,
  type DuckDBExtractedStatements,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { DataType, RecordBatch } from 'apache-arrow';
import { type SkybookError, StoreError } from '../../errors/index.js';
import { batchRowsOf, refusedFiles, refusedScript, refusedStatement, type StoreAccess } from '../access.js';
import { databaseError } from '../database-error.js';
import { arrowTypeOfDuck, columnsToBatch, resultTypes } from '../result-arrow.js';
import type { SqlQuery, SqlValue } from '../sql.js';
import type { StreamOptions } from '../store.js';

/** Statement kinds a read-only DuckDB store runs: queries (SHOW, DESCRIBE, SUMMARIZE and reading PRAGMAs are SELECTs), EXPLAIN, CALL of a table function. */
const READING = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN, StatementType.CALL]);
/** DuckDB's words when file access is off: `Permission Error: Cannot access file "x" - file system operations are disabled by configuration`. */
const FILES_OFF = /^Permission Error: (.*?)\s*-\s*file system operations are disabled by configuration/;

/**
 * A bound value as DuckDB takes it: dates as ISO text, arrays as lists.
 *
 * @example
 * await conn.run('select $1', [bindValue(new Date())]);
 */
export function bindValue(v: SqlValue): DuckDBValue {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return listValue(v as DuckDBValue[]);
  return v as DuckDBValue;
}

/** DuckDB's error as a StoreError; a file refused because file access is off says how to allow it. */
function failed(e: unknown, access: StoreAccess): SkybookError {
  const message = e instanceof Error ? e.message.replace(/^Failed to extract statements: /, '') : String(e);
  if (message === 'Error in native callback') return new StoreError('no SQL statement to run', { engine: 'duckdb' });
  const files = FILES_OFF.exec(message);
  if (files && !access.allowFiles) return refusedFiles('duckdb', files[1]!, e);
  return databaseError('duckdb', e instanceof Error && e.message !== message ? new Error(message, { cause: e }) : e);
}

/** Runs a prepared statement to its end, or starts it streaming (a query on its own), and destroys it. */
async function execute(prepared: DuckDBPreparedStatement, values: readonly SqlValue[], stream: boolean): Promise<DuckDBResult> {
  try {
    if (values.length) prepared.bind(values.map(bindValue));
    return stream ? await prepared.stream() : await prepared.run();
  } finally {
    prepared.destroySync();
  }
}

/**
 * Runs a script's statements in order in one transaction and returns the last one's result, read whole. Each statement
 * is prepared just before it runs (a later one may name a table an earlier one makes); BEGIN, COMMIT and ROLLBACK in
 * the script are refused, as the script is a transaction already.
 */
async function runScript(
  conn: DuckDBConnection,
  all: DuckDBExtractedStatements,
  values: readonly SqlValue[],
  own: boolean,
): Promise<DuckDBResult> {
  if (own) await conn.run('begin transaction');
  try {
    let result: DuckDBResult | undefined;
    for (let i = 0; i < all.count; i++) {
      const prepared = await all.prepare(i);
      if (prepared.statementType === StatementType.TRANSACTION) {
        prepared.destroySync();
        throw new StoreError(
          `statement ${i + 1} of the script manages transactions; the script runs in one transaction already (leave out BEGIN, COMMIT and ROLLBACK)`,
          {
            engine: 'duckdb',
          },
        );
      }
      result = await execute(prepared, i === all.count - 1 ? values : [], false);
    }
    if (own) await conn.run('commit');
    return result!;
  } catch (e) {
    if (own) await conn.run('rollback').catch(() => {});
    throw e;
  }
}

/** The result of `q`, checked against the store's access first. */
async function start(conn: DuckDBConnection, q: SqlQuery | string, access: StoreAccess, inTransaction: boolean): Promise<DuckDBResult> {
  const { text, values } = typeof q === 'string' ? { text: q, values: [] as SqlValue[] } : q;
  const all = await conn.extractStatements(text);
  if (all.count > 1) {
    if (access.readOnly) throw refusedScript('duckdb', all.count);
    return runScript(conn, all, values, !inTransaction);
  }
  const prepared = await all.prepare(0);
  const type = prepared.statementType;
  if (access.readOnly && !READING.has(type)) {
    prepared.destroySync();
    throw refusedStatement('duckdb', StatementType[type] ?? 'the statement');
  }
  return execute(prepared, values, type === StatementType.SELECT);
}

/**
 * Runs one statement (or, on a writable store, a script) on `conn` and yields its rows as Arrow record batches of
 * `opts.batchRows` rows (the last one shorter), from DuckDB's data chunks as the engine produces them (a streaming result for a query). At least
 * one batch: an empty result yields one empty batch with its columns. Read-only access refuses anything but a single
 * reading statement before it runs; with file access off DuckDB itself refuses files (the instance was opened with
 * `enable_external_access=false`) and the refusal says how to allow it. A script runs in one transaction of its own
 * unless `inTransaction` (the caller's `store.transaction()` holds one).
 *
 * @example
 * for await (const b of duckStream(conn, 'select * from range(10)', { readOnly: true, allowFiles: false }, {})) n += b.numRows;
 */
export async function* duckStream(
  conn: DuckDBConnection,
  q: SqlQuery | string,
  access: StoreAccess,
  opts: StreamOptions | undefined,
  inTransaction = false,
): AsyncGenerator<RecordBatch> {
  const batchRows = batchRowsOf(opts);
  let result: DuckDBResult;
  try {
    result = await start(conn, q, access, inTransaction);
  } catch (e) {
    throw failed(e, access);
  }
  const names = result.columnNames();
  const declared = result.columnTypes().map(arrowTypeOfDuck);
  let types: DataType[] | undefined;
  const columns: unknown[][] = names.map(() => []);
  let rows = 0;
  let yielded = false;
  // the first `n` rows gathered so far as a batch; the rest wait for the next one
  const batch = (n: number): RecordBatch => {
    const head = columns.map((c) => c.splice(0, n));
    types ??= resultTypes(declared, head);
    rows -= n;
    yielded = true;
    return columnsToBatch(names, types, head);
  };
  for (;;) {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw failed(e, access);
    }
    if (!chunk || chunk.rowCount === 0) break;
    const values = chunk.convertColumns(JSDuckDBValueConverter);
    for (let c = 0; c < names.length; c++) {
      const into = columns[c]!;
      for (const v of values[c]!) into.push(v);
    }
    rows += chunk.rowCount;
    while (rows >= batchRows) yield batch(batchRows);
  }
  if (rows > 0 || !yielded) yield batch(rows);
}
