import { Field, Int16, Int32, Int64, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { VoidsError } from '../errors/index.js';
import { type ColumnPlan, openStore, type Store, type StoreSession, sql, tableId, tableName } from '../store/index.js';

/**
 * Galaxy environments to store, one entry per galaxy: TARGETID (exact int64), vflag, and optionally the void id
 * (-1 or absent: none, stored as NULL).
 *
 * @example
 * const rows: MembershipRows = { targetid, vflag: env.vflag, void: env.void };
 */
export interface MembershipRows {
  targetid: BigInt64Array;
  vflag: Uint8Array;
  void?: Int32Array;
}

/**
 * Options of {@link storeMembership}: the table (default `void_membership`, optionally `schema.table`), and `replace`
 * to empty it first (default: rows for these TARGETIDs replace the stored ones, others stay, so NGC and SGC can be
 * written one after the other).
 *
 * @example
 * const opts: StoreMembershipOptions = { table: 'dr1.void_membership', replace: true };
 */
export interface StoreMembershipOptions {
  table?: string;
  replace?: boolean;
}

/** Stored columns: name, Arrow type, element kind, and the SQL type of the final table per engine. */
const COLUMNS = [
  { name: 'targetid', type: new Int64(), element: 'int64', pg: 'bigint', duck: 'BIGINT' },
  { name: 'vflag', type: new Int16(), element: 'int16', pg: 'smallint', duck: 'SMALLINT' },
  { name: 'void', type: new Int32(), element: 'int32', pg: 'integer', duck: 'INTEGER' },
] as const;

function plans(): ColumnPlan[] {
  return COLUMNS.map((c, index) => ({ name: c.name, index, source: c.name, element: c.element, dims: [], pgType: c.pg, duckType: c.duck }));
}

/** The rows as one Arrow record batch (void -1 where none). */
function batchOf(rows: MembershipRows): RecordBatch {
  const n = rows.targetid.length;
  const columns = [rows.targetid, Int16Array.from(rows.vflag), rows.void ?? new Int32Array(n).fill(-1)];
  const fields = COLUMNS.map((c) => new Field(c.name, c.type, false));
  const children = fields.map((f, i) => makeData({ type: f.type, length: n, data: columns[i] } as never));
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children } as never) as never);
}

/** Checks lengths, flags and TARGETID uniqueness before anything is written. */
function check(rows: MembershipRows): void {
  const n = rows.targetid.length;
  if (rows.vflag.length !== n || (rows.void && rows.void.length !== n))
    throw new VoidsError(`targetid (${n}), vflag (${rows.vflag.length}) and void (${rows.void?.length ?? n}) lengths differ`, {
      scope: 'storeMembership',
    });
  for (let i = 0; i < n; i++) {
    const f = rows.vflag[i]!;
    if (f !== 0 && f !== 1 && f !== 2 && f !== 9)
      throw new VoidsError(`vflag ${f} (0, 1, 2 or 9)`, { scope: 'storeMembership', column: 'vflag', row: i });
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = rows.targetid[a]!;
    const y = rows.targetid[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  for (let k = 1; k < n; k++) {
    const i = order[k]!;
    if (rows.targetid[i] === rows.targetid[order[k - 1]!])
      throw new VoidsError(`targetid ${rows.targetid[i]} appears twice (rows ${order[k - 1]} and ${i}): one row per galaxy`, {
        scope: 'storeMembership',
        column: 'targetid',
        row: i,
      });
  }
}

/** Creates the table when missing; an existing one must have the three columns. */
async function ensureTable(tx: StoreSession, table: { schema?: string; name: string }): Promise<void> {
  const schemaTest = table.schema ? sql`table_schema = ${table.schema}` : sql`table_schema = current_schema()`;
  const have = await tx.query(sql`select column_name from information_schema.columns where table_name = ${table.name} and ${schemaTest}`);
  if (have.numRows > 0) {
    const names = new Set((have.getChild('column_name')!.toArray() as string[]).map((s) => s.toLowerCase()));
    for (const c of COLUMNS)
      if (!names.has(c.name))
        throw new VoidsError(`table ${table.name} exists without column ${c.name}`, { scope: 'storeMembership', column: c.name });
    return;
  }
  const types = COLUMNS.map((c) => (tx.engine === 'postgres' ? c.pg : c.duck));
  await tx.run(
    sql`create table ${tableId(table)} (targetid ${sql.raw(types[0]!)} primary key, vflag ${sql.raw(types[1]!)} not null, void ${sql.raw(types[2]!)})`,
  );
}

/**
 * Writes galaxy environments into a store (DuckDB or PostgreSQL, lib/store) as a `void_membership` table keyed by
 * TARGETID: `targetid BIGINT PRIMARY KEY` (exact, from the BigInt64Array), `vflag SMALLINT`, `void INTEGER` (NULL when
 * the galaxy is in no void or no void ids were given). One transaction: the table is created if missing, the rows are
 * bulk-loaded into a staging table (binary COPY / DuckDB's appender) and upserted from it, the staging table dropped;
 * any failure rolls all of it back, so the table is never half-written. Duplicate TARGETIDs, bad flags or mismatched
 * lengths are refused (naming the row) before anything is sent.
 *
 * @example
 * const env = classifySkyGalaxies(galaxies, catalogue);
 * await storeMembership('duckdb:survey.duckdb', { targetid, vflag: env.vflag, void: env.void });
 */
export async function storeMembership(
  into: string | Store,
  rows: MembershipRows,
  options: StoreMembershipOptions = {},
): Promise<{ table: string; rows: number; written: boolean }> {
  check(rows);
  const table = tableName(options.table ?? 'void_membership');
  const staging = { ...table, name: `${table.name}_staging` };
  const store = typeof into === 'string' ? await openStore(into) : into;
  let written = false;
  try {
    // Rows already stored as they are given are not written again: a re-run (a notebook's verify, a cached
    // pipeline) then leaves the database file as it was, byte for byte, as an ingest the load ledger has seen does.
    if (!(await alreadyStored(store, table, rows, options.replace === true)))
      await store.transaction(async (tx) => {
        written = true;
        await ensureTable(tx, table);
        if (options.replace) await tx.run(sql`delete from ${tableId(table)}`);
        await tx.run(sql`drop table if exists ${tableId(staging)}`);
        const types = COLUMNS.map((c) => (tx.engine === 'postgres' ? c.pg : c.duck));
        await tx.run(
          sql`create table ${tableId(staging)} (targetid ${sql.raw(types[0]!)}, vflag ${sql.raw(types[1]!)}, void ${sql.raw(types[2]!)}, skybook_load integer)`,
        );
        const batch = batchOf(rows);
        await tx.load(
          staging,
          plans(),
          (async function* () {
            yield { batch, rows: Int32Array.from({ length: batch.numRows }, (_, i) => i) };
          })(),
          0,
        );
        await tx.run(
          sql`insert into ${tableId(table)} (targetid, vflag, void) select targetid, vflag, nullif(void, -1) from ${tableId(staging)} on conflict (targetid) do update set vflag = excluded.vflag, void = excluded.void`,
        );
        await tx.run(sql`drop table ${tableId(staging)}`);
      });
  } finally {
    if (typeof into === 'string') await store.close();
  }
  return { table: table.schema ? `${table.schema}.${table.name}` : table.name, rows: rows.targetid.length, written };
}

/**
 * Whether the table already holds every given row with the same flag and void (and, with `replace`, nothing else).
 * A missing table holds nothing.
 */
async function alreadyStored(
  store: Store,
  table: { schema?: string; name: string },
  rows: MembershipRows,
  replace: boolean,
): Promise<boolean> {
  const schemaTest = table.schema ? sql`table_schema = ${table.schema}` : sql`table_schema = current_schema()`;
  const have = await store.query(
    sql`select column_name from information_schema.columns where table_name = ${table.name} and ${schemaTest}`,
  );
  const names = new Set((have.getChild('column_name')!.toArray() as string[]).map((c) => c.toLowerCase()));
  // a missing table, or one without our columns (which the write then names), holds none of the rows
  if (!COLUMNS.every((c) => names.has(c.name))) return false;
  const stored = await store.query(sql`select targetid, vflag, coalesce(void, -1) as void from ${tableId(table)}`);
  if (replace ? stored.numRows !== rows.targetid.length : stored.numRows < rows.targetid.length) return false;
  const byTarget = new Map<bigint, number>();
  const ids = stored.getChild('targetid')!;
  const flags = stored.getChild('vflag')!;
  const voids = stored.getChild('void')!;
  for (let i = 0; i < stored.numRows; i++) byTarget.set(BigInt(ids.get(i)), Number(flags.get(i)) * 2 ** 32 + Number(voids.get(i)) + 1);
  for (let i = 0; i < rows.targetid.length; i++) {
    const want = rows.vflag[i]! * 2 ** 32 + (rows.void?.[i] ?? -1) + 1;
    if (byTarget.get(rows.targetid[i]!) !== want) return false;
  }
  return true;
}
