import { openDuckDb, type DuckLoadPath } from './duckdb/duck-store.js';
import { openPostgres } from './postgres/pg-store.js';
import { redactUrl } from '../core/index.js';
import { StoreError } from '../errors/index.js';
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
}

/**
 * Opens a store from a URL: `duckdb:PATH` (a DuckDB file), `duckdb::memory:` or `duckdb:` (in memory), or
 * `postgres://USER@HOST:PORT/DB` / `postgresql://...` (a connection pool). Anything else is a usage error (exit code 2).
 *
 * @example
 * const store = await openStore('duckdb:survey.duckdb');
 * const n = await store.query('select count(*) as n from zcat');
 * await store.close();
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (storeEngineOf(url) === 'duckdb') {
    const path = url.slice('duckdb:'.length);
    return openDuckDb(path === '' ? ':memory:' : path, { loadPath: opts.duckLoadPath });
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
