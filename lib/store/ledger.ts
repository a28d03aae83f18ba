import { sql, tableId } from './sql.js';
import type { Store, StoreSession, TableRef } from './store.js';

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
  // Ledgers made before the sequence existed get it on their next load; nextLoadId catches it up with their ids.
  // Made only when missing, like the schema: a loader role may not create sequences (its guard refuses the statement
  // even when the sequence exists), and `skybook store roles` makes this one for it.
  if (s.engine === 'postgres' && !(await sequenceExists(s, target))) await s.run(`create sequence if not exists ${sequenceName(target)}`);
}

/** PostgreSQL: whether the ledger's load-id sequence is there. */
async function sequenceExists(s: StoreSession, target: TableRef): Promise<boolean> {
  const t = await s.query(sql`select to_regclass(${sequenceName(target)}) is not null as ok`);
  return t.get(0)?.toJSON().ok === true;
}

/**
 * {@link ensureBookkeeping} in its own transaction under an advisory lock on the schema's bookkeeping, so two loaders
 * starting at once on a new schema do not both try to create the tables (PostgreSQL refuses the second `create table if
 * not exists` while the first is uncommitted).
 *
 * @example
 * await prepareBookkeeping(store, { name: 'zcat' });
 */
export async function prepareBookkeeping(store: Store, target: TableRef): Promise<void> {
  await store.transaction(async (tx) => {
    await lockKey(tx, { ...target, name: '' }, 'bookkeeping');
    await ensureBookkeeping(tx, target);
  });
}

/** The ledger's load-id sequence (PostgreSQL): ids that concurrent loads cannot collide on. */
export function sequenceName(target: TableRef): string {
  const seq = `${LEDGER_TABLE}_load_id_seq`;
  return target.schema ? `"${target.schema}"."${seq}"` : `"${seq}"`;
}

/**
 * Holds a PostgreSQL advisory lock on `key` for this table (a hash of schema, table and key; a collision only makes
 * two loads wait for each other) until the transaction ends; DuckDB has one writer and needs none. Loads of different
 * files into one table take different keys, so they run side by side.
 *
 * @example
 * await lockKey(tx, { name: 'zcat' }, 'load /data/a.fits ZCATALOG');
 */
export async function lockKey(s: StoreSession, target: TableRef, key: string): Promise<void> {
  if (s.engine !== 'postgres') return;
  const scope = target.schema ? sql`cast(${target.schema} as text)` : sql`current_schema()`;
  const name = JSON.stringify([target.name, key]);
  await s.run(sql`select pg_advisory_xact_lock(hashtextextended(${scope} || cast(${name} as text), 0))`);
}

/**
 * Serialises the "loaded before?" check and the load of one file and HDU into one table until the transaction ends
 * (PostgreSQL; a second load of the same file waits, then finds the first one's ledger row). Loads of other files into
 * the same table are not held up: the table-wide lock earlier versions took is gone.
 *
 * @example
 * await store.transaction(async (tx) => { await lockLoad(tx, { name: 'zcat' }, '/data/a.fits', 'ZCATALOG'); });
 */
export async function lockLoad(s: StoreSession, target: TableRef, source: string, hdu: string): Promise<void> {
  await lockKey(s, target, JSON.stringify(['load', source, hdu]));
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
 * The next load id (ledger-wide, so quarantine and table rows name their load unambiguously). PostgreSQL draws it from
 * the ledger's sequence, so loads running side by side never take the same id (a rolled-back load leaves a gap). A
 * sequence behind the ledger (one made by an earlier version, which took max + 1 under a table lock) is advanced past
 * its largest id, by `nextval` only, which never hands out an id twice. DuckDB has one writer: max + 1.
 *
 * @example
 * const id = await nextLoadId(tx, { name: 'zcat' }); // 1 on an empty ledger
 */
export async function nextLoadId(s: StoreSession, target: TableRef): Promise<number> {
  const maxId = async () =>
    Number((await s.query(sql`select coalesce(max(load_id), 0) as id from ${tableId(ref(target, LEDGER_TABLE))}`)).get(0)!.toJSON().id);
  if (s.engine !== 'postgres') return (await maxId()) + 1;
  const seq = sequenceName(target);
  const draw = async () => Number((await s.query(sql`select nextval(${seq}::regclass) as id`)).get(0)!.toJSON().id);
  const taken = async (id: number) =>
    (await s.query(sql`select 1 from ${tableId(ref(target, LEDGER_TABLE))} where load_id = ${id}`)).numRows > 0;
  let id = await draw();
  // A sequence at or below the ledger's largest id is behind ids earlier versions handed out (max + 1): catch up past
  // the largest. Comparing with the largest, not asking whether this id is taken: loads drawing side by side on a
  // ledger with gaps (1, 2, 5) would otherwise stop at a gap (3) and hand out ids below ones already used.
  const top = await maxId();
  if (id <= top) {
    if (top > id) await s.run(sql`select nextval(${seq}::regclass) from generate_series(1, ${top - id})`);
    do id = await draw();
    while (await taken(id));
  }
  return id;
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
