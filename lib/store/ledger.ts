import { sql, tableId } from './sql.js';
import type { StoreSession, TableRef } from './store.js';

/**
 * The load ledger: one row per file and HDU loaded into a table.
 *
 * @example
 * await store.query(`select * from ${LEDGER_TABLE}`)
 */
export const LEDGER_TABLE = 'skybook_loads';
/**
 * Rows that failed validation, with why and where they came from.
 *
 * @example
 * await store.query(`select row_number, reasons from ${QUARANTINE_TABLE}`)
 */
export const QUARANTINE_TABLE = 'skybook_quarantine';

/**
 * One ledger row. `sha256` and `size` identify the file's bytes; a later load of the same path and HDU into the same
 * table with the same hash is a no-op, with another hash it is refused unless replaced.
 *
 * @example
 * const last = await findLoad(tx, 'zcat', '/data/zall.fits', 'ZCATALOG'); last?.sha256
 */
export interface LoadRecord {
  loadId: number;
  table: string;
  source: string;
  sha256: string;
  size: bigint;
  hdu: string;
  rowsLoaded: bigint;
  rowsQuarantined: bigint;
  startedAt: string;
  finishedAt: string;
  skybookVersion: string;
}

/**
 * The function a loader role calls for `--replace` (made by `skybook store roles`): it deletes one load's rows, its
 * quarantined rows and its ledger row, with its owner's rights.
 *
 * @example
 * await tx.run(sql`select ${sql.id(REMOVE_LOAD_FUNCTION)}(cast('zcat' as regclass), 3)`);
 */
export const REMOVE_LOAD_FUNCTION = 'skybook_remove_load';

/** Whether a schema exists (both engines have information_schema.schemata). */
async function schemaExists(s: StoreSession, schema: string): Promise<boolean> {
  const t = await s.query(sql`select 1 as one from information_schema.schemata where schema_name = ${schema}`);
  return t.numRows > 0;
}

/** PostgreSQL: whether this connection's role may delete from the table (an owner or admin may; a loader may not). */
async function mayDelete(s: StoreSession, target: TableRef): Promise<boolean> {
  const t = await s.query(sql`select has_table_privilege(cast(${tableId(target).text} as regclass), 'DELETE') as ok`);
  return t.get(0)?.toJSON().ok === true;
}

/** The two bookkeeping tables live beside the loaded table (same schema). */
function ref(target: TableRef, name: string): TableRef {
  return target.schema ? { schema: target.schema, name } : { name };
}

/**
 * Creates the ledger and quarantine tables if missing (plain types both engines accept).
 *
 * @example
 * await ensureBookkeeping(store, { name: 'zcat' });
 */
export async function ensureBookkeeping(s: StoreSession, target: TableRef): Promise<void> {
  // Asked only when missing: PostgreSQL checks the right to create schemas even when the schema is there, and a
  // loader role (`skybook store roles`) has no such right.
  if (target.schema && !(await schemaExists(s, target.schema))) await s.run(sql`create schema if not exists ${sql.id(target.schema)}`);
  await s.run(sql`create table if not exists ${tableId(ref(target, LEDGER_TABLE))} (
    load_id integer not null primary key, table_name text not null, source_path text not null, sha256 text not null,
    size bigint not null, hdu text not null, rows_loaded bigint not null, rows_quarantined bigint not null,
    started_at timestamp not null, finished_at timestamp not null, skybook_version text not null)`);
  await s.run(sql`create table if not exists ${tableId(ref(target, QUARANTINE_TABLE))} (
    table_name text not null, source_path text not null, hdu text not null, row_number bigint not null,
    reasons text not null, row_json text not null, skybook_load integer not null)`);
}

/**
 * PostgreSQL: serialises loads (ledger ids, the same-file check) until the transaction ends; DuckDB has one writer.
 *
 * @example
 * await store.transaction(async (tx) => { await lockLedger(tx, { name: 'zcat' }); });
 */
export async function lockLedger(s: StoreSession, target: TableRef): Promise<void> {
  if (s.engine === 'postgres') await s.run(sql`lock table ${tableId(ref(target, LEDGER_TABLE))} in share row exclusive mode`);
}

/**
 * The ledger row of an earlier load of this file and HDU into this table, if any.
 *
 * @example
 * const prior = await findLoad(tx, { name: 'zcat' }, '/data/zall.fits', 'ZCATALOG');
 */
export async function findLoad(s: StoreSession, target: TableRef, source: string, hdu: string): Promise<LoadRecord | undefined> {
  const t = await s.query(sql`select load_id, sha256, size, rows_loaded, rows_quarantined, cast(started_at as text) as started_at,
    cast(finished_at as text) as finished_at, skybook_version from ${tableId(ref(target, LEDGER_TABLE))}
    where table_name = ${target.name} and source_path = ${source} and hdu = ${hdu}`);
  if (t.numRows === 0) return undefined;
  const r = t.get(0)!.toJSON() as Record<string, unknown>;
  return {
    loadId: Number(r.load_id),
    table: target.name,
    source,
    hdu,
    sha256: String(r.sha256),
    size: BigInt(r.size as bigint),
    rowsLoaded: BigInt(r.rows_loaded as bigint),
    rowsQuarantined: BigInt(r.rows_quarantined as bigint),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    skybookVersion: String(r.skybook_version),
  };
}

/**
 * The next load id (ledger-wide, so quarantine and table rows name their load unambiguously).
 *
 * @example
 * const id = await nextLoadId(tx, { name: 'zcat' }); // 1 on an empty ledger
 */
export async function nextLoadId(s: StoreSession, target: TableRef): Promise<number> {
  const t = await s.query(sql`select coalesce(max(load_id), 0) + 1 as id from ${tableId(ref(target, LEDGER_TABLE))}`);
  return Number(t.get(0)!.toJSON().id);
}

/**
 * Deletes an earlier load: its rows, its quarantined rows and its ledger row (for `--replace`).
 *
 * @example
 * await removeLoad(tx, { name: 'zcat' }, prior.loadId);
 */
export async function removeLoad(s: StoreSession, target: TableRef, loadId: number): Promise<void> {
  if (s.engine === 'postgres' && !(await mayDelete(s, target))) {
    // A loader role (`skybook store roles`) may not delete; the schema's skybook_remove_load, run as its admin,
    // removes exactly one whole load the ledger names.
    const fn = target.schema ? sql`${sql.id(target.schema)}.${sql.id(REMOVE_LOAD_FUNCTION)}` : sql`${sql.id(REMOVE_LOAD_FUNCTION)}`;
    await s.run(sql`select ${fn}(cast(${tableId(target).text} as regclass), ${loadId}) as removed`);
    return;
  }
  await s.run(sql`delete from ${tableId(target)} where skybook_load = ${loadId}`);
  await s.run(sql`delete from ${tableId(ref(target, QUARANTINE_TABLE))} where skybook_load = ${loadId}`);
  await s.run(sql`delete from ${tableId(ref(target, LEDGER_TABLE))} where load_id = ${loadId}`);
}

/**
 * Writes the ledger row of a finished load. Times are UTC.
 *
 * @example
 * await recordLoad(tx, { name: 'zcat' }, record);
 */
export async function recordLoad(s: StoreSession, target: TableRef, r: LoadRecord): Promise<void> {
  await s.run(sql`insert into ${tableId(ref(target, LEDGER_TABLE))} values (${r.loadId}, ${r.table}, ${r.source}, ${r.sha256},
    ${r.size}, ${r.hdu}, ${r.rowsLoaded}, ${r.rowsQuarantined}, cast(${r.startedAt} as timestamp), cast(${r.finishedAt} as timestamp),
    ${r.skybookVersion})`);
}

/**
 * The quarantine table's reference for a target table.
 *
 * @example
 * quarantineRef({ schema: 'dr1', name: 'zcat' }) // { schema: 'dr1', name: 'skybook_quarantine' }
 */
export function quarantineRef(target: TableRef): TableRef {
  return ref(target, QUARANTINE_TABLE);
}
