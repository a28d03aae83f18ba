import { Field, Int32, Int64, List, Table, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { planColumns, type ColumnPlan } from '../column-plan.js';
import { sql, tableId, type SqlQuery } from '../sql.js';
import type { LoadPart, StoreSession, TableRef } from '../store.js';
import { INVENTORY_KEYWORDS } from './desi-keywords.js';
import type { InventoryRow } from './inventory-row.js';
import { utf8ListVector, utf8Vector } from './string-columns.js';

/**
 * The inventory table's columns, in order, before the DESI keywords and the checksum verdicts (docs/inventory.md says
 * what each holds). `mtime` is a `timestamp` (UTC); it reaches the table from a staging column of microseconds, since
 * the bulk load path writes the Arrow types both engines share.
 *
 * @example
 * INVENTORY_COLUMNS.includes('extname') // true
 */
export const INVENTORY_COLUMNS = [
  'path',
  'size',
  'mtime',
  'hdu',
  'extname',
  'extver',
  'hdu_type',
  'naxis',
  'dtype',
  'n_rows',
  'n_columns',
  'column_names',
  'column_tforms',
  ...INVENTORY_KEYWORDS.text.map((k) => k.toLowerCase()),
  ...INVENTORY_KEYWORDS.integer.map((k) => k.toLowerCase()),
  'checksum',
  'datasum',
  'error',
] as const;

const list = (t: DataType) => new List(new Field('item', t, true));

/** The rows as the Arrow table the store's bulk path loads (the staging table's layout: `mtime_us` for `mtime`). */
function stagingTable(rows: readonly InventoryRow[]): Table {
  const col = <T>(t: DataType, f: (r: InventoryRow) => T): Vector => vectorFromArray(rows.map(f), t);
  const text = (f: (r: InventoryRow) => string | null): Vector => utf8Vector(rows.map(f));
  const s = (r: InventoryRow) => r.summary;
  const cols: Record<string, Vector> = {
    path: text((r) => r.path),
    size: col(new Int64(), (r) => r.size),
    mtime_us: col(new Int64(), (r) => r.mtimeUs),
    hdu: col(new Int32(), (r) => r.hdu),
    extname: text((r) => s(r)?.name ?? null),
    extver: col(new Int32(), (r) => s(r)?.ver ?? null),
    hdu_type: text((r) => s(r)?.type ?? null),
    naxis: col(list(new Int64()), (r) => s(r)?.naxis?.map(BigInt) ?? null),
    dtype: text((r) => s(r)?.dtype ?? null),
    n_rows: col(new Int64(), (r) => (s(r)?.rows == null ? null : BigInt(s(r)!.rows!))),
    n_columns: col(new Int32(), (r) => s(r)?.columns?.length ?? null),
    column_names: utf8ListVector(rows.map((r) => s(r)?.columns?.map((c) => c.name) ?? null)),
    column_tforms: utf8ListVector(rows.map((r) => s(r)?.columns?.map((c) => c.tform) ?? null)),
  };
  for (const k of INVENTORY_KEYWORDS.text)
    cols[k.toLowerCase()] = text((r) => (r.keywords[k.toLowerCase()] as string | null | undefined) ?? null);
  for (const k of INVENTORY_KEYWORDS.integer) cols[k.toLowerCase()] = col(new Int64(), (r) => r.keywords[k.toLowerCase()] ?? null);
  cols.checksum = text((r) => r.checksum);
  cols.datasum = text((r) => r.datasum);
  cols.error = text((r) => r.error);
  return new Table(cols);
}

/** The staging layout's column plans, from an empty table of it (the same for every scan). */
function stagingPlans(): ColumnPlan[] {
  return planColumns(stagingTable([]).schema, {});
}

/** Column definitions in the engine's types: the staging plans, with `mtime` a timestamp where staging has microseconds. */
function columnDefs(s: StoreSession, staging: boolean): SqlQuery[] {
  return stagingPlans().map((p) => {
    if (p.name === 'mtime_us' && !staging) return sql`mtime timestamp`;
    const notNull = p.name === 'path' ? ' not null' : '';
    return sql`${sql.id(p.name)} ${sql.raw(s.engine === 'duckdb' ? p.duckType : p.pgType)}${sql.raw(notNull)}`;
  });
}

/**
 * Creates the inventory table if missing: the columns above and `skybook_load`, the scan that wrote the row.
 *
 * @example
 * await ensureInventoryTable(tx, { name: 'inventory' });
 */
export async function ensureInventoryTable(s: StoreSession, t: TableRef): Promise<void> {
  if (t.schema) await s.run(sql`create schema if not exists ${sql.id(t.schema)}`);
  await s.run(sql`create table if not exists ${tableId(t)} (${sql.join([...columnDefs(s, false), sql`skybook_load integer not null`])})`);
}

/** Microseconds since 1970 of a `timestamp` column, exact in both engines. */
function epochMicros(s: StoreSession, column: string): SqlQuery {
  return s.engine === 'duckdb'
    ? sql`epoch_us(${sql.id(column)})`
    : sql`cast(extract(epoch from ${sql.id(column)} - timestamp '1970-01-01') * 1000000 as bigint)`;
}

/** The timestamp of a count of microseconds since 1970, exact in both engines. */
function fromEpochMicros(s: StoreSession, column: string): SqlQuery {
  return s.engine === 'duckdb'
    ? sql`make_timestamp(${sql.id(column)})`
    : sql`timestamp '1970-01-01' + ${sql.id(column)} * interval '1 microsecond'`;
}

/**
 * What a table holds of each file: its size and mtime when it was read, and whether that read failed (a failed file
 * is read again on the next scan).
 *
 * @example
 * const known = await storedFiles(tx, { name: 'inventory' }); known.get('/dr1/a.fits')?.size
 */
export async function storedFiles(
  s: StoreSession,
  t: TableRef,
): Promise<Map<string, { size: bigint | null; mtimeUs: bigint | null; failed: boolean }>> {
  const r = await s.query(sql`select path, max(size) as size, max(${epochMicros(s, 'mtime')}) as mtime_us,
    max(case when error is null then 0 else 1 end) as failed from ${tableId(t)} group by path`);
  const out = new Map<string, { size: bigint | null; mtimeUs: bigint | null; failed: boolean }>();
  const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as bigint));
  for (const row of r) {
    const o = row.toJSON() as Record<string, unknown>;
    out.set(String(o.path), { size: big(o.size), mtimeUs: big(o.mtime_us), failed: Number(o.failed) === 1 });
  }
  return out;
}

/**
 * Deletes the rows of the given files (changed, failed before, or gone), in pieces small enough for any statement.
 *
 * @example
 * await deleteFiles(tx, { name: 'inventory' }, ['/dr1/gone.fits']);
 */
export async function deleteFiles(s: StoreSession, t: TableRef, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += 500) {
    const part = paths.slice(i, i + 500).map((p) => sql`${p}`);
    await s.run(sql`delete from ${tableId(t)} where path in (${sql.join(part)})`);
  }
}

/**
 * The staging table of a scan into `t`, beside it: `skybook_stage_<name>`.
 *
 * @example
 * stagingRef({ name: 'inventory' }) // { name: 'skybook_stage_inventory' }
 */
export function stagingRef(t: TableRef): TableRef {
  return { ...t, name: `skybook_stage_${t.name}`.slice(0, 63) };
}

/**
 * Appends rows through the store's bulk path (binary COPY, DuckDB chunks) into a staging table beside the inventory,
 * then moves them over with `mtime` made a timestamp; the staging table is dropped. Runs inside the caller's
 * transaction, so the rows appear with the deletes or not at all.
 *
 * @example
 * await appendRows(tx, { name: 'inventory' }, rows, scanId);
 */
export async function appendRows(s: StoreSession, t: TableRef, rows: readonly InventoryRow[], scanId: number): Promise<void> {
  if (rows.length === 0) return;
  // made and dropped inside the caller's transaction, so never left behind; a name of skybook's own, and no `drop if
  // exists`, so a user's table can never be the one dropped
  const stage = stagingRef(t);
  await s.run(sql`create table ${tableId(stage)} (${sql.join([...columnDefs(s, true), sql`skybook_load integer not null`])})`);
  const table = stagingTable(rows);
  const plans = stagingPlans();
  async function* parts(): AsyncGenerator<LoadPart> {
    for (const batch of table.batches) yield { batch, rows: Int32Array.from({ length: batch.numRows }, (_, i) => i) };
  }
  await s.load(stage, plans, parts(), scanId);
  const names = plans.map((p) => p.name);
  const target = sql.join([...names.map((n) => sql.id(n === 'mtime_us' ? 'mtime' : n)), sql.id('skybook_load')]);
  const values = sql.join([...names.map((n) => (n === 'mtime_us' ? fromEpochMicros(s, n) : sql`${sql.id(n)}`)), sql.id('skybook_load')]);
  await s.run(sql`insert into ${tableId(t)} (${target}) select ${values} from ${tableId(stage)}`);
  await s.run(sql`drop table ${tableId(stage)}`);
}

/**
 * The scans table beside an inventory (`<table>_scans`): one row per scan with what it did, so a scan that wrote no
 * row still has its number and its counts.
 *
 * @example
 * scansRef({ name: 'inventory' }) // { name: 'inventory_scans' }
 */
export function scansRef(t: TableRef): TableRef {
  return { ...t, name: `${t.name}_scans`.slice(0, 63) };
}

/**
 * One scan's record in the scans table.
 *
 * @example
 * const rec: ScanRecord = { scan: 2, input: '/dr1/healpix', scanned: 1000, unchanged: 999, read: 1, removed: 0, failed: 0, finishedAt: '2026-12-03 17:00:00.000' };
 */
export interface ScanRecord {
  scan: number;
  input: string;
  scanned: number;
  unchanged: number;
  read: number;
  removed: number;
  failed: number;
  finishedAt: string;
}

/**
 * Creates the scans table if missing.
 *
 * @example
 * await ensureScansTable(tx, { name: 'inventory' });
 */
export async function ensureScansTable(s: StoreSession, t: TableRef): Promise<void> {
  await s.run(sql`create table if not exists ${tableId(scansRef(t))} (scan integer not null primary key, input text not null,
    scanned bigint not null, unchanged bigint not null, read bigint not null, removed bigint not null, failed bigint not null,
    finished_at timestamp not null)`);
}

/**
 * The number of the next scan into a table: one more than the last recorded scan.
 *
 * @example
 * const scan = await nextScanId(tx, { name: 'inventory' }); // 1 on a new table
 */
export async function nextScanId(s: StoreSession, t: TableRef): Promise<number> {
  const r = await s.query(sql`select coalesce(max(scan), 0) + 1 as id from ${tableId(scansRef(t))}`);
  return Number(r.get(0)!.toJSON().id);
}

/**
 * Records a finished scan.
 *
 * @example
 * await recordScan(tx, { name: 'inventory' }, rec);
 */
export async function recordScan(s: StoreSession, t: TableRef, r: ScanRecord): Promise<void> {
  await s.run(sql`insert into ${tableId(scansRef(t))} values (${r.scan}, ${r.input}, ${r.scanned}, ${r.unchanged}, ${r.read},
    ${r.removed}, ${r.failed}, cast(${r.finishedAt} as timestamp))`);
}
