import type { Table } from 'apache-arrow';
import { sql, tableId, tableName, type SqlQuery } from '../sql.js';
import { StoreError } from '../../errors/index.js';
import type { Store, StoreSession, TableRef } from '../store.js';

/**
 * Cone search and cross-match in both engines, with one exact test: the haversine great-circle distance in degrees,
 * computed the same way in both. PostgreSQL narrows with q3c (`q3c_radial_query`, `q3c_join`, using the
 * `q3c_ang2ipix(ra, dec)` index); DuckDB narrows with a declination band and an RA window (cone search) or declination
 * zones joined by equality (cross-match). Both then keep exactly the pairs within the radius.
 */

const f8 = (v: number): SqlQuery => sql`cast(${v} as double precision)`;

/** Haversine distance in degrees between (ra1, dec1) and (ra2, dec2), all in degrees. */
function haversine(ra1: SqlQuery, dec1: SqlQuery, ra2: SqlQuery, dec2: SqlQuery): SqlQuery {
  return sql`degrees(2 * asin(least(1.0, sqrt(power(sin(radians(${dec2} - ${dec1}) / 2), 2)
    + cos(radians(${dec1})) * cos(radians(${dec2})) * power(sin(radians(${ra2} - ${ra1}) / 2), 2)))))`;
}

/**
 * Where a table keeps its positions (degrees).
 *
 * @example
 * const c: SkyColumns = { table: 'zcat', ra: 'target_ra', dec: 'target_dec' };
 */
export interface SkyColumns {
  table: string | TableRef;
  ra: string;
  dec: string;
}

const refOf = (t: string | TableRef): TableRef => (typeof t === 'string' ? tableName(t) : t);

function checkRadius(arcsec: number): number {
  if (!(arcsec > 0) || !Number.isFinite(arcsec) || arcsec > 180 * 3600)
    throw new StoreError(`invalid radius: ${arcsec} arcsec (0 < r <= 648000)`);
  return arcsec / 3600;
}

/**
 * Installs q3c once per database, in `public`: `create extension` puts an extension in the first schema of the search
 * path, so a load into a schema of its own (a test's, a user's `search_path=mine,public`) installed q3c there, and
 * dropping that schema dropped q3c from under every other table's sky index.
 */
async function ensureQ3c(s: StoreSession): Promise<void> {
  const installed = await s.query("select 1 as one from pg_extension where extname = 'q3c'");
  if (installed.numRows === 0) await s.run('create extension if not exists q3c with schema public');
}

/**
 * Creates the sky index for a table's positions: q3c in PostgreSQL (installing the extension if needed); DuckDB needs
 * none (its scans are fast and the band filter prunes by zone maps).
 *
 * @example
 * await createSkyIndex(store, { table: 'zcat', ra: 'target_ra', dec: 'target_dec' });
 */
export async function createSkyIndex(s: StoreSession, c: SkyColumns): Promise<void> {
  if (s.engine !== 'postgres') return;
  const t = refOf(c.table);
  await ensureQ3c(s);
  const index = `${t.name}_q3c_idx`;
  // Looked up first: CREATE INDEX IF NOT EXISTS still needs to own the table, and a loader role (`skybook store
  // roles`) appends to tables an admin made and indexed.
  const schemaTest = t.schema ? sql`schemaname = ${t.schema}` : sql`schemaname = current_schema()`;
  const have = await s.query(sql`select 1 as one from pg_indexes where ${schemaTest} and indexname = ${index}`);
  if (have.numRows === 0)
    await s.run(sql`create index if not exists ${sql.id(index)} on ${tableId(t)} (q3c_ang2ipix(${sql.id(c.ra)}, ${sql.id(c.dec)}))`);
  await s.run(sql`analyze ${tableId(t)}`);
}

/**
 * Rows of a table within `radiusArcsec` of (ra, dec), all columns plus `dist_arcsec`, nearest first.
 *
 * @example
 * const near = await coneSearch(store, { table: 'zcat', ra: 'target_ra', dec: 'target_dec' }, 150.1, 2.2, 30);
 */
export async function coneSearch(s: StoreSession, c: SkyColumns, ra: number, dec: number, radiusArcsec: number): Promise<Table> {
  const r = checkRadius(radiusArcsec);
  const t = tableId(refOf(c.table));
  const raCol = sql`${sql.id(c.ra)}`;
  const decCol = sql`${sql.id(c.dec)}`;
  const dist = haversine(f8(ra), f8(dec), raCol, decCol);
  let narrow: SqlQuery;
  if (s.engine === 'postgres') {
    narrow = sql`q3c_radial_query(${raCol}, ${decCol}, ${f8(ra)}, ${f8(dec)}, ${f8(r)})`;
  } else {
    narrow = sql`${decCol} between ${f8(dec - r - 1e-9)} and ${f8(dec + r + 1e-9)}`;
    if (Math.abs(dec) + r < 89.999) {
      // Half-width in RA of a cone at declination dec: asin(sin r / cos dec), padded for rounding.
      const w = (Math.asin(Math.sin((r * Math.PI) / 180) / Math.cos((dec * Math.PI) / 180)) * 180) / Math.PI + 1e-9;
      const lo = ra - w,
        hi = ra + w;
      const window =
        lo < 0
          ? sql`(${raCol} >= ${f8(lo + 360)} or ${raCol} <= ${f8(hi)})`
          : hi >= 360
            ? sql`(${raCol} >= ${f8(lo)} or ${raCol} <= ${f8(hi - 360)})`
            : sql`${raCol} between ${f8(lo)} and ${f8(hi)}`;
      narrow = sql`${narrow} and ${window}`;
    }
  }
  return s.query(sql`select * from (select *, ${dist} * 3600 as dist_arcsec from ${t} where ${narrow}) m
    where dist_arcsec <= ${f8(radiusArcsec)} order by dist_arcsec`);
}

/**
 * Options for `crossMatch`: the two tables' positions and the id column each contributes to the pairs.
 *
 * @example
 * await crossMatch(store, { left, right, radiusArcsec: 1.5 });
 */
export interface CrossMatchOptions {
  left: SkyColumns & { id: string };
  /** The larger table: in PostgreSQL its q3c index is the one used. */
  right: SkyColumns & { id: string };
  radiusArcsec: number;
}

/**
 * Every pair (left, right) within `radiusArcsec`: columns `left_id`, `right_id`, `dist_arcsec`, ordered by left id,
 * distance, right id.
 *
 * @example
 * const pairs = await crossMatch(store, { left: { table: 'mine', ra: 'ra', dec: 'dec', id: 'id' }, right: { table: 'zcat', ra: 'target_ra', dec: 'target_dec', id: 'targetid' }, radiusArcsec: 1 });
 */
export async function crossMatch(s: StoreSession, o: CrossMatchOptions): Promise<Table> {
  const r = checkRadius(o.radiusArcsec);
  const L = tableId(refOf(o.left.table));
  const R = tableId(refOf(o.right.table));
  const lra = sql`l.${sql.id(o.left.ra)}`,
    ldec = sql`l.${sql.id(o.left.dec)}`;
  const rra = sql`r.${sql.id(o.right.ra)}`,
    rdec = sql`r.${sql.id(o.right.dec)}`;
  const ids = sql`l.${sql.id(o.left.id)} as left_id, r.${sql.id(o.right.id)} as right_id`;
  const dist = haversine(lra, ldec, rra, rdec);
  let pairs: SqlQuery;
  if (s.engine === 'postgres') {
    pairs = sql`select ${ids}, ${dist} * 3600 as dist_arcsec from ${L} l join ${R} r on q3c_join(${lra}, ${ldec}, ${rra}, ${rdec}, ${f8(r)})`;
  } else {
    // Declination zones at least r tall: a match lies in the left row's zone or a neighbour, so an equality join finds it.
    const h = Math.max(r, 1e-6);
    const zone = (dec: SqlQuery) => sql`cast(floor((${dec} + 90) / ${f8(h)}) as bigint)`;
    pairs = sql`select ${ids}, ${dist} * 3600 as dist_arcsec
      from (select *, ${zone(sql`${sql.id(o.left.dec)}`)} + dz as skybook_zone from ${L}, (values (-1), (0), (1)) d(dz)) l
      join (select *, ${zone(sql`${sql.id(o.right.dec)}`)} as skybook_zone from ${R}) r on r.skybook_zone = l.skybook_zone
      where abs(${rdec} - ${ldec}) <= ${f8(r + 1e-9)}`;
  }
  const q = sql`select * from (${pairs}) m where dist_arcsec <= ${f8(o.radiusArcsec)} order by left_id, dist_arcsec, right_id`;
  if (s.engine !== 'postgres') return s.query(q);
  // PostgreSQL cannot estimate q3c_join's index ranges (their bounds come from the other table's rows), guesses millions
  // of rows per probe and prefers a nested loop over a sequential scan of the big table: at 10M rows, 11,000 probes took
  // over ten minutes that way and 4 s through the q3c index. So the join runs with sequential scans off, inside a
  // transaction of its own where the caller gave a store, or set back after it inside the caller's.
  // set_config(..., true) rather than SET LOCAL: a SELECT, which a read-only store (a notebook's default) runs too.
  const viaIndex = async (tx: StoreSession) => {
    const was = String((await tx.query("select current_setting('enable_seqscan') as v")).get(0)?.toJSON().v ?? 'on');
    await tx.query("select set_config('enable_seqscan', 'off', true) as v");
    try {
      return await tx.query(q);
    } finally {
      await tx.query(sql`select set_config('enable_seqscan', ${was}, true) as v`).catch(() => {});
    }
  };
  const store = s as Partial<Pick<Store, 'transaction'>>;
  return typeof store.transaction === 'function' ? store.transaction(viaIndex) : viaIndex(s);
}
