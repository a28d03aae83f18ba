import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ColumnPlan } from '../column-plan.js';
import { sql, tableId } from '../sql.js';
import type { TableRef } from '../store.js';

/**
 * Staging tables of parallel loads: `skybook_stage_<load id>_<random>` in the target's schema; UNLOGGED where its rows
 * are copied on into the target (no WAL while N connections fill it; a crash of the server empties it, which is all a
 * staging table may lose), LOGGED where it becomes the load's partition. The loader holds a
 * session advisory lock on the name from before the table exists until it is dropped, so the lock says whether its
 * loader is alive: a connection that ends, however the process died, lets the lock go.
 */

/** The advisory lock class of staging tables (first key of `pg_advisory_lock(int, int)`); the second is hashtext(name). */
export const STAGING_LOCK_CLASS = 0x736b7962; // 'skyb'

/**
 * The prefix of every staging table's name.
 *
 * @example
 * `${STAGING_PREFIX}12_9f3a01bc` // skybook_stage_12_9f3a01bc
 */
export const STAGING_PREFIX = 'skybook_stage_';

/**
 * A fresh staging table name for a load (unique: 32 random bits beside the load id).
 *
 * @example
 * stagingName(12) // 'skybook_stage_12_9f3a01bc'
 */
export function stagingName(loadId: number): string {
  return `${STAGING_PREFIX}${loadId}_${randomBytes(4).toString('hex')}`;
}

/** Takes the session advisory lock that marks `name` as in use (waits if held; fresh names are never held). */
export async function lockStaging(client: pg.ClientBase, name: string): Promise<void> {
  await client.query('select pg_advisory_lock($1, hashtext($2))', [STAGING_LOCK_CLASS, name]);
}

/** Lets the lock go (at the end of the load, committed or not). */
export async function unlockStaging(client: pg.ClientBase, name: string): Promise<void> {
  await client.query('select pg_advisory_unlock($1, hashtext($2))', [STAGING_LOCK_CLASS, name]);
}

/** Creates the staging table: the planned columns and skybook_load, no constraints (the target's apply on the insert). */
export async function createStaging(client: pg.ClientBase, stage: TableRef, plans: readonly ColumnPlan[]): Promise<void> {
  const cols = [...plans.map((p) => sql`${sql.id(p.name)} ${sql.raw(p.pgType)}`), sql`skybook_load integer`];
  await client.query(sql`create unlogged table ${tableId(stage)} (${sql.join(cols)}) with (autovacuum_enabled = false)`.text);
}

/**
 * Creates the staging table that will become a partition of `target` (partitioned by load): LOGGED, the target's
 * columns with their types and NOT NULLs as the load's transaction `tx` sees them (the target may be new in it), and
 * `check (skybook_load = loadId)`, which proves the partition constraint so that ATTACH PARTITION scans nothing.
 */
export async function createStagingPartition(
  tx: pg.ClientBase,
  admin: pg.ClientBase,
  target: TableRef,
  stage: TableRef,
  loadId: number,
): Promise<void> {
  const cols = await tx.query<{ name: string; type: string; notnull: boolean }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull from pg_attribute a
     where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [tableId(target).text],
  );
  const defs = cols.rows.map((c) => sql`${sql.id(c.name)} ${sql.raw(c.type)}${sql.raw(c.notnull ? ' not null' : '')}`);
  await admin.query(
    sql`create table ${tableId(stage)} (${sql.join([...defs, sql`check (skybook_load = ${sql.raw(String(loadId))})`])})`.text,
  );
}

/**
 * Whether `schema` holds any staging table (a load in progress, or one a killed load left): one catalogue read, so that
 * a load opens a connection to clean up only when there is something to look at.
 *
 * @example
 * if (await hasStaging(client, 'survey')) await dropDeadStaging(other, 'survey');
 */
export async function hasStaging(client: pg.ClientBase, schema: string): Promise<boolean> {
  return (await stagingTables(client, schema, 1)).length > 0;
}

/** The staging tables in `schema` by name (at most `limit`): plain tables, not yet any table's partition. */
async function stagingTables(client: pg.ClientBase, schema: string, limit?: number): Promise<string[]> {
  const found = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind = 'r' and not c.relispartition and starts_with(c.relname, $2) order by 1
     limit $3`,
    [schema, STAGING_PREFIX, limit ?? null],
  );
  return found.rows.map((r) => r.name);
}

/**
 * Drops the staging tables in `schema` whose loaders are gone: each one's advisory lock is tried, and a lock that can be
 * taken belongs to no live session (a load in progress holds its own). Returns the names dropped.
 *
 * @example
 * await dropDeadStaging(client, 'survey') // ['skybook_stage_12_9f3a01bc'] after a killed load
 */
export async function dropDeadStaging(client: pg.ClientBase, schema: string): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of await stagingTables(client, schema)) {
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [STAGING_LOCK_CLASS, name]);
    if (!got.rows[0]?.ok) continue;
    try {
      await client.query(sql`drop table if exists ${tableId({ schema, name })}`.text);
      dropped.push(name);
    } finally {
      await unlockStaging(client, name);
    }
  }
  return dropped;
}
