import { openDuckDb, type DuckLoadPath } from './duckdb/duck-store.js';
import { openPostgres } from './postgres/pg-store.js';
import { existsSync, statSync } from 'node:fs';
import { redactUrl } from '../core/index.js';
import { IS_A_DIRECTORY, StoreError } from '../errors/index.js';
import type { EngineName, Store } from './store.js';

/**
 * Options for `openStore`.
 *
 * @example
 * await openStore(url, { schema: 'survey' });
 */
export interface OpenStoreOptions {
  /** PostgreSQL: a schema to create if missing and to work in (first on the search_path). */
  schema?: string;
  /** DuckDB: the load path (default 'parquet', Parquet segments inserted by DuckDB's read_parquet; 'chunks' the appender; see bench/ingest). */
  duckLoadPath?: DuckLoadPath;
  /**
   * DuckDB: make the database file when it does not exist (default true, as DuckDB does). Code that only reads passes
   * `false`, so a mistyped path is refused (a StoreError, exit code 2, naming it) instead of becoming an empty database.
   */
  create?: boolean;
  /**
   * Read only (default false): one statement per call, and only statements that read; DuckDB opens the file with
   * `access_mode=READ_ONLY` (so other readers may share it), PostgreSQL runs each statement in a `BEGIN READ ONLY`
   * transaction. Anything else is refused before it runs (a StoreError, exit code 2, saying how to allow it).
   * What `skybook query` opens unless given `--write`.
   */
  readOnly?: boolean;
  /**
   * Let SQL read and write files (default: true for a writable store, false for a read-only one). Off: DuckDB opens
   * with `enable_external_access=false` (read_text, read_csv, read_parquet, COPY TO, ATTACH, INSTALL are refused by
   * DuckDB itself); PostgreSQL refuses COPY, DO and its server-file functions (pg_read_file, lo_import, ...) before
   * sending them, though a role without superuser, pg_read_server_files and pg_write_server_files is the server's own
   * guarantee. `skybook query --allow-files` turns it on.
   */
  allowFiles?: boolean;
  /** PostgreSQL: connections in the pool (default 4); an ingest of many files opens one per job. */
  connections?: number;
}

/**
 * Opens a store from a URL: `duckdb:PATH` (a DuckDB file, made if missing unless `create: false`), `duckdb::memory:`
 * or `duckdb:` (in memory), or `postgres://USER@HOST:PORT/DB` / `postgresql://...` (a connection pool). Anything else
 * is a usage error (exit code 2).
 *
 * `readOnly` and `allowFiles` fix what SQL the store runs (docs/store.md, "Read-only by default").
 *
 * @example
 * const store = await openStore('duckdb:survey.duckdb', { create: false }); // refuses a missing file
 * const n = await store.query('select count(*) as n from zcat');
 * await store.close();
 * const ro = await openStore('duckdb:survey.duckdb', { readOnly: true }); // reads only, one statement, no files
 * for await (const batch of ro.stream('select * from zcat')) console.log(batch.numRows);
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (storeEngineOf(url) === 'duckdb') {
    const path = url.slice('duckdb:'.length) || ':memory:';
    if (opts.create === false && path !== ':memory:') refuseMissing(path);
    return openDuckDb(path, { loadPath: opts.duckLoadPath, readOnly: opts.readOnly, allowFiles: opts.allowFiles });
  }
  return openPostgres(url, { schema: opts.schema, readOnly: opts.readOnly, allowFiles: opts.allowFiles, max: opts.connections });
}

/**
 * The engine a store URL names, without connecting; a URL of neither kind is a StoreError (exit code 2). Callers check
 * a URL with it before they read their inputs, and open the store after.
 *
 * @example
 * storeEngineOf('postgres://me@db/x'); // 'postgres'
 */
export function storeEngineOf(url: string): EngineName {
  if (url.startsWith('duckdb:')) return 'duckdb';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new StoreError(`invalid store URL: ${JSON.stringify(redactUrl(url))} (duckdb:PATH, duckdb::memory: or postgres://...)`);
}

/** A DuckDB file that must already be there: nothing is made when it is not (a StoreError, exit code 2, naming it). */
function refuseMissing(path: string): void {
  if (!existsSync(path))
    throw new StoreError('no such file; a DuckDB database is made only by writing to it (skybook ingest)', {
      engine: 'duckdb',
      file: path,
    });
  if (statSync(path).isDirectory()) throw new StoreError(IS_A_DIRECTORY, { engine: 'duckdb', file: path });
}
