import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { arrowTypeOfDuck, columnsToTable } from '../result-arrow.js';
import type { SqlQuery } from '../sql.js';
import { StoreError } from '../../errors/index.js';
import { refusedWrite, type StoreAccess } from '../access.js';
import { databaseError } from '../database-error.js';
import { collectTable, drain, heldStream } from '../stream-helpers.js';
import type { Store, StoreSession } from '../store.js';
import { appendParts } from './chunk-writer.js';
import { bindValue, duckStream } from './duck-stream.js';
import { ROW_GROUP_ROWS, stageParquet } from './parquet-stage.js';

/**
 * How DuckDB loads: Parquet segments inserted by DuckDB's parallel, order-preserving `read_parquet` (the default,
 * measured faster, see bench/ingest) or data chunks through the appender (one thread; kept for comparison).
 *
 * @example
 * await openStore('duckdb:x.duckdb', { duckLoadPath: 'chunks' });
 */
export type DuckLoadPath = 'chunks' | 'parquet';

async function duckQuery(conn: DuckDBConnection, q: SqlQuery | string): Promise<Table> {
  const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
  const reader = await conn.runAndReadAll(text, values.length ? values.map(bindValue) : undefined);
  const names = reader.columnNames();
  const types = reader.columnTypes().map(arrowTypeOfDuck);
  return columnsToTable(names, types, reader.getColumnsJS() as unknown[][]);
}

/**
 * Opens a DuckDB database: a file path, or `:memory:`. DuckDB has one writer per file, so the store holds one connection
 * and runs its work in order (a queue), transactions included. `readOnly` opens a file with `access_mode=READ_ONLY`
 * (other readers may open it too) and runs one reading statement at a time (an in-memory database, which DuckDB
 * cannot open read-only, is held to the same rule); `allowFiles: false` (the default when read-only) opens it with
 * `enable_external_access=false`, so file functions, COPY TO, ATTACH and extension installs are refused by DuckDB.
 *
 * @example
 * const store = await openDuckDb('survey.duckdb', { readOnly: true });
 */
export async function openDuckDb(
  path: string,
  opts: {
    loadPath?: DuckLoadPath;
    readOnly?: boolean;
    allowFiles?: boolean;
    /** Rows per staged segment and per row group (tests use small ones to cross their boundaries). */
    staging?: { segmentRows?: number; rowGroupRows?: number };
  } = {},
): Promise<Store> {
  const readOnly = opts.readOnly ?? false;
  const access: StoreAccess = { readOnly, allowFiles: opts.allowFiles ?? !readOnly };
  const config: Record<string, string> = {};
  if (readOnly && path !== ':memory:') config.access_mode = 'READ_ONLY';
  if (!access.allowFiles) config.enable_external_access = 'false';
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, config);
  } catch (e) {
    throw new StoreError(`cannot open DuckDB database ${path}: ${(e as Error).message}`, {}, 2, { cause: e });
  }
  const conn = await instance.connect();
  // Staging needs DuckDB's file access; a store opened without it loads through the appender.
  const loadPath = access.allowFiles ? (opts.loadPath ?? 'parquet') : 'chunks';
  const stageDir = path === ':memory:' ? tmpdir() : dirname(resolve(path));
  // One connection: queue every operation so a transaction's statements are never interleaved with others.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = tail.then(f, f);
    tail = next.catch(() => {});
    return next;
  };
  const load: StoreSession['load'] = async (table, plans, parts, loadId) => {
    if (loadPath === 'parquet') {
      // Segments of two row groups per DuckDB thread (threads counted up to 8, so a segment stays under 2M rows in
      // memory and on disk): enough for every thread, and the first insert starts early.
      const threads = Number((await conn.runAndReadAll("select current_setting('threads')")).getRows()[0]![0]);
      return stageParquet(
        parts,
        plans,
        async (t) => {
          await conn.run(t);
        },
        table,
        loadId,
        stageDir,
        { segmentRows: 2 * Math.min(8, Math.max(1, threads)) * ROW_GROUP_ROWS, ...opts.staging },
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
  // DuckDB's own errors become StoreErrors naming the engine (exit 2 for a wrong statement, 1 for a failed database).
  // A read-only session reads through the checked, streaming path; a writable one keeps DuckDB's own (all statements run).
  const sessionOf = (inTransaction: boolean): StoreSession => {
    const stream: StoreSession['stream'] = (q, o) => duckStream(conn, q, access, o, inTransaction);
    return {
      engine: 'duckdb',
      stream,
      query: readOnly
        ? (q) => collectTable(stream(q))
        : (q) =>
            duckQuery(conn, q).catch((e: unknown) => {
              throw databaseError('duckdb', e);
            }),
      run: readOnly
        ? (q) => drain(stream(q))
        : async (q) => {
            const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
            await conn.run(text, values.length ? values.map(bindValue) : undefined).catch((e: unknown) => {
              throw databaseError('duckdb', e);
            });
          },
      load: readOnly
        ? () => Promise.reject(refusedWrite('duckdb', 'a load writes'))
        : (table, plans, parts, loadId) =>
            load(table, plans, parts, loadId).catch((e: unknown) => {
              throw databaseError('duckdb', e);
            }),
    };
  };
  const session = sessionOf(false);
  const inTransaction = sessionOf(true);
  return {
    engine: 'duckdb',
    url: `duckdb:${path}`,
    query: (q) => serial(() => session.query(q)),
    run: (q) => serial(() => session.run(q)),
    stream: (q, o) => heldStream(serial, () => session.stream(q, o)),
    load: () => Promise.reject(new StoreError('load() runs inside transaction()', {}, 1)),
    transaction: (fn) =>
      serial(async () => {
        await conn.run('begin transaction').catch((e: unknown) => {
          throw databaseError('duckdb', e);
        });
        try {
          const out = await fn(inTransaction);
          await conn.run('commit').catch((e: unknown) => {
            throw databaseError('duckdb', e);
          });
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
