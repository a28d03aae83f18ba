import type pg from 'pg';
import type { ColumnPlan, ElementKind } from '../column-plan.js';
import { sql, type SqlQuery, tableId } from '../sql.js';
import { StoreError } from '../../errors/index.js';
import type { StoreSession, TableRef } from '../store.js';

/**
 * Native declarative partitioning for big PostgreSQL tables (`--partition-by COLUMN`). A HEALPix column (`healpix`,
 * `hpxpixel`: DESI's nested nside=64 pixels, 0..49151) partitions by range into the 12 HEALPix base pixels, 4,096
 * pixels each, so a partition is a contiguous patch of sky; any other integer column partitions by hash into 16. A
 * default partition takes every row the ranges do not (negative, too large, NULL), and hash partitions take every
 * value, so partitioning never refuses a row. `load` partitions by the load id (`list (skybook_load)`), one partition
 * per load, made by the load itself: a parallel load's staging table becomes that partition in the load's commit, with
 * no second copy of its rows (postgres/parallel-copy.ts).
 */

/** `--partition-by load`: one partition per load, on the skybook_load column. */
export const LOAD_PARTITIONING = 'load';

/** Columns partitioned by HEALPix range rather than by hash. */
export const HEALPIX_COLUMNS: readonly string[] = ['healpix', 'hpxpixel'];
/** Pixels of one range partition: the nside=64 nested pixels of one base pixel (64 * 64). */
export const HEALPIX_PARTITION_PIXELS = 4096;
/** Range partitions of a HEALPix column (the 12 base pixels); the default partition comes on top. */
export const HEALPIX_PARTITIONS = 12;
/** Hash partitions of any other integer column. */
export const HASH_PARTITIONS = 16;

const INTEGER_KINDS: ReadonlySet<ElementKind> = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64']);

/**
 * The column to partition by, checked against the load's columns: present, a scalar integer; else a StoreError
 * (exit 2) naming it.
 *
 * @example
 * partitionColumn(plans, 'HEALPIX', { name: 'zcat' }).name // 'healpix'
 * partitionColumn(plans, 'load', { name: 'zcat' }).name // 'skybook_load'
 */
export function partitionColumn(plans: readonly ColumnPlan[], column: string, t: TableRef): { name: string } {
  const name = column.toLowerCase();
  if (name === LOAD_PARTITIONING || name === 'skybook_load') return { name: 'skybook_load' };
  const where = { table: t.name, column: name };
  const plan = plans.find((p) => p.name === name);
  if (!plan) throw new StoreError('no such column in the HDU to partition by', where);
  if (plan.dims.length || !INTEGER_KINDS.has(plan.element))
    throw new StoreError(`cannot partition by a ${plan.pgType} column (an integer column is needed)`, where);
  return plan;
}

/** The partition names of a table: its name and a suffix, refused where PostgreSQL would cut them to 63 bytes. */
function partName(t: TableRef, suffix: string): TableRef {
  const name = `${t.name}_${suffix}`;
  if (Buffer.byteLength(name) > 63)
    throw new StoreError(`table name too long to partition (a partition would be ${name})`, { table: t.name });
  return t.schema ? { schema: t.schema, name } : { name };
}

/**
 * The statements that create a partitioned table: the parent with `columns`, then its partitions.
 *
 * @example
 * for (const q of partitionedTableDdl({ name: 'zcat' }, cols, 'healpix')) await s.run(q);
 */
export function partitionedTableDdl(t: TableRef, columns: readonly SqlQuery[], column: string): SqlQuery[] {
  const parent = tableId(t);
  const key = sql.id(column);
  if (column === 'skybook_load') return [sql`create table ${parent} (${sql.join([...columns])}) partition by list (${key})`];
  if (HEALPIX_COLUMNS.includes(column)) {
    const out = [sql`create table ${parent} (${sql.join([...columns])}) partition by range (${key})`];
    for (let k = 0; k < HEALPIX_PARTITIONS; k++) {
      const part = tableId(partName(t, `p${String(k).padStart(2, '0')}`));
      const lo = k * HEALPIX_PARTITION_PIXELS;
      out.push(
        sql`create table ${part} partition of ${parent} for values from (${sql.raw(String(lo))}) to (${sql.raw(String(lo + HEALPIX_PARTITION_PIXELS))})`,
      );
    }
    out.push(sql`create table ${tableId(partName(t, 'pdefault'))} partition of ${parent} default`);
    return out;
  }
  const out = [sql`create table ${parent} (${sql.join([...columns])}) partition by hash (${key})`];
  for (let k = 0; k < HASH_PARTITIONS; k++) {
    const part = tableId(partName(t, `p${String(k).padStart(2, '0')}`));
    out.push(
      sql`create table ${part} partition of ${parent} for values with (modulus ${sql.raw(String(HASH_PARTITIONS))}, remainder ${sql.raw(String(k))})`,
    );
  }
  return out;
}

/**
 * How an existing PostgreSQL table is partitioned: PostgreSQL's key text (`RANGE (healpix)`), or undefined for a plain
 * table.
 *
 * @example
 * await partitionKey(tx, { name: 'zcat' }) // 'RANGE (healpix)'
 */
export async function partitionKey(s: StoreSession, t: TableRef): Promise<string | undefined> {
  const r = await s.query(
    sql`select pg_get_partkeydef(c.oid) as key from pg_class c where c.oid = to_regclass(${tableId(t).text}) and c.relkind = 'p'`,
  );
  return r.numRows ? (r.getChild('key')!.get(0) as string) : undefined;
}

/**
 * The partition of one load in a table partitioned by load: `<table>_l<load id>`.
 *
 * @example
 * loadPartition({ name: 'zcat' }, 12) // { name: 'zcat_l12' }
 */
export function loadPartition(t: TableRef, loadId: number): TableRef {
  return partName(t, `l${loadId}`);
}

/**
 * Drops a load's partition left empty by `--replace` (the ledger gives a replaced latest load's id to the next load,
 * whose partition, or attached staging table, takes that name), inside the load's transaction. A partition of that
 * name still holding rows is a StoreError: rows are never dropped here.
 *
 * @example
 * await dropEmptiedPartition(client, loadPartition({ name: 'zcat' }, 12));
 */
export async function dropEmptiedPartition(client: pg.ClientBase, part: TableRef): Promise<void> {
  const id = tableId(part).text;
  const found = await client.query('select to_regclass($1) is not null as found', [id]);
  if (!(found.rows[0] as { found: boolean }).found) return;
  const rows = await client.query(`select exists (select 1 from ${id}) as any`);
  if ((rows.rows[0] as { any: boolean }).any)
    throw new StoreError(
      `partition ${part.name} of this load id still holds rows; the ledger and the table disagree`,
      { table: part.name },
      1,
    );
  await client.query(`drop table ${id}`);
}

/**
 * Checks that an existing table is partitioned by `column` as asked; a plain table, or one partitioned another way, is a
 * StoreError (exit 2) naming the table and column: data is never moved to make a table partitioned.
 *
 * @example
 * await requirePartitioned(tx, { name: 'zcat' }, 'healpix');
 */
export async function requirePartitioned(s: StoreSession, t: TableRef, column: string): Promise<void> {
  const key = await partitionKey(s, t);
  const where = { table: t.name, column };
  if (!key)
    throw new StoreError(
      `table exists without partitioning; --partition-by ${column} only applies to a new table (load into a new table, or leave out --partition-by)`,
      where,
    );
  const by = /\((.*)\)/.exec(key)?.[1]?.replace(/"/g, '');
  if (by !== column) throw new StoreError(`table is partitioned by ${key}, not by ${column}`, where);
}
