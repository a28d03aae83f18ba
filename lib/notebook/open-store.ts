import { openStore as openAnyStore, type OpenStoreOptions, type Store } from '../store/index.js';

/**
 * Opens a store the way a notebook should, and what the curated root's `openStore` is (the name a notebook's cells
 * have preloaded): a stored database, a DuckDB file or PostgreSQL, opens read-only unless the cell asks
 * (`{ readOnly: false }`), as `skybook query` does without `--write`. Read-only, it runs one reading statement at a
 * time, file access off unless `allowFiles: true`, and a missing DuckDB file is refused rather than made; a write is
 * refused before it runs with a StoreError that says how to ask. `duckdb::memory:` (or `duckdb:`) opens writable with
 * file access, as before: it holds nothing but what the notebook puts in it. Scripts and pipelines that write use
 * `store.openStore` (writable unless `readOnly: true`) or pass `readOnly: false` here.
 *
 * @example
 * const db = await openStore('duckdb:runs/survey.duckdb'); // reads only
 * await db.query(sql`select count(*) as n from zcatalog`);
 * const rw = await openStore('duckdb:runs/survey.duckdb', { readOnly: false }); // asked: loads and DDL run
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const scratch = url === 'duckdb:' || url === 'duckdb::memory:';
  const readOnly = opts.readOnly ?? !scratch;
  return openAnyStore(url, { ...opts, readOnly, create: opts.create ?? !readOnly });
}
