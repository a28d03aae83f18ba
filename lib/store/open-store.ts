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
  /** DuckDB: the load path (default 'chunks', the faster one measured in bench/ingest). */
  duckLoadPath?: DuckLoadPath;
  /**
   * DuckDB: make the database file when it does not exist (default true, as DuckDB does). Code that only reads passes
   * `false`, so a mistyped path is refused (a StoreError, exit code 2, naming it) instead of becoming an empty database.
   */
  create?: boolean;
}

/**
 * Opens a store from a URL: `duckdb:PATH` (a DuckDB file, made if missing unless `create: false`), `duckdb::memory:`
 * or `duckdb:` (in memory), or `postgres://USER@HOST:PORT/DB` / `postgresql://...` (a connection pool). Anything else
 * is a usage error (exit code 2).
 *
 * @example
 * const store = await openStore('duckdb:survey.duckdb', { create: false }); // refuses a missing file
 * const n = await store.query('select count(*) as n from zcat');
 * await store.close();
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (storeEngineOf(url) === 'duckdb') {
    const path = url.slice('duckdb:'.length) || ':memory:';
    if (opts.create === false && path !== ':memory:') refuseMissing(path);
    return openDuckDb(path, { loadPath: opts.duckLoadPath });
  }
  return openPostgres(url, { schema: opts.schema });
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
