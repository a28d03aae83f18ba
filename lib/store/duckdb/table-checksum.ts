import { tableId } from '../sql.js';
import type { StoreSession, TableRef } from '../store.js';

/**
 * An MD5 of a DuckDB table's rows in stored order (by `rowid`), every column but `skybook_load` (load ids differ from
 * database to database): equal for two tables only when they hold the same values in the same order. Each row is
 * hashed as DuckDB's text of the whole row (so NaN, -0.0, nulls and nested arrays all count), then the row hashes,
 * joined in row order, are hashed again.
 *
 * @example
 * const a = await duckTableChecksum(store, 'zcat'); // '5d41402abc4b2a76b9719d911017c592'
 */
export async function duckTableChecksum(session: Pick<StoreSession, 'query'>, table: string | TableRef): Promise<string> {
  const id = tableId(typeof table === 'string' ? { name: table } : table).text;
  const t = await session.query(
    `select md5(coalesce(string_agg(h, ',' order by rowid), '')) as sum from (select rowid, md5(cast(r as varchar)) as h from (select rowid, * exclude (skybook_load) from ${id}) as r)`,
  );
  return String(t.get(0)!.toJSON().sum);
}
