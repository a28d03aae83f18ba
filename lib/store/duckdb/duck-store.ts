import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { arrowTypeOfDuck, columnsToTable } from '../result-arrow.js';
import { tableId, type SqlQuery, type SqlValue } from '../sql.js';
import { StoreError } from '../../errors/index.js';
import { databaseError } from '../database-error.js';
import type { Store, StoreSession } from '../store.js';
import { appendParts } from './chunk-writer.js';
import { stageParquet } from './parquet-stage.js';

/**
 * How DuckDB loads: data chunks through the appender (measured faster, see bench/ingest) or Parquet staging.
 *
 * @example
 * await openStore('duckdb:x.duckdb', { duckLoadPath: 'parquet' });
 */
export type DuckLoadPath = 'chunks' | 'parquet';

function bindValue(v: SqlValue): DuckDBValue {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return listValue(v as DuckDBValue[]);
  return v as DuckDBValue;
}

async function duckQuery(conn: DuckDBConnection, q: SqlQuery | string): Promise<Table> {
  const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
  const reader = await conn.runAndReadAll(text, values.length ? values.map(bindValue) : undefined);
  const names = reader.columnNames();
  const types = reader.columnTypes().map(arrowTypeOfDuck);
  return columnsToTable(names, types, reader.getColumnsJS() as unknown[][]);
}

/**
 * Opens a DuckDB database: a file path, or `:memory:`. DuckDB has one writer per file, so the store holds one connection
 * and runs its work in order (a queue), transactions included.
 *
 * @example
 * const store = await openDuckDb('survey.duckdb');
 */
export async function openDuckDb(path: string, opts: { loadPath?: DuckLoadPath } = {}): Promise<Store> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (e) {
    throw new StoreError(`cannot open DuckDB database ${path}: ${(e as Error).message}`, {}, 2, { cause: e });
  }
  const conn = await instance.connect();
  const loadPath = opts.loadPath ?? 'chunks';
  // One connection: queue every operation so a transaction's statements are never interleaved with others.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = tail.then(f, f);
    tail = next.catch(() => {});
    return next;
  };
  const load: StoreSession['load'] = async (table, plans, parts, loadId) => {
    if (loadPath === 'parquet') {
      return stageParquet(
        parts,
        plans,
        async (t) => {
          await conn.run(t);
        },
        tableId(table).text,
        loadId,
      );
    }
    const appender = await conn.createAppender(table.name, table.schema ?? null);
    try {
      const n = await appendParts(appender, plans, parts, loadId);
      appender.flushSync();
      return n;
    } finally {
      appender.closeSync();
    }
  };
  // DuckDB's own errors become StoreErrors naming the engine (exit 2 for a wrong statement, 1 for a failed database)
  const session: StoreSession = {
    engine: 'duckdb',
    query: (q) =>
      duckQuery(conn, q).catch((e: unknown) => {
        throw databaseError('duckdb', e);
      }),
    run: async (q) => {
      const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
      await conn.run(text, values.length ? values.map(bindValue) : undefined).catch((e: unknown) => {
        throw databaseError('duckdb', e);
      });
    },
    load: (table, plans, parts, loadId) =>
      load(table, plans, parts, loadId).catch((e: unknown) => {
        throw databaseError('duckdb', e);
      }),
  };
  return {
    engine: 'duckdb',
    url: `duckdb:${path}`,
    query: (q) => serial(() => session.query(q)),
    run: (q) => serial(() => session.run(q)),
    load: () => Promise.reject(new StoreError('load() runs inside transaction()', {}, 1)),
    transaction: (fn) =>
      serial(async () => {
        await session.run('begin transaction');
        try {
          const out = await fn(session);
          await session.run('commit');
          return out;
        } catch (e) {
          await conn.run('rollback').catch(() => {});
          throw e;
        }
      }),
    async close() {
      await tail;
      conn.closeSync();
      instance.closeSync();
    },
  };
}
