import type { z } from 'zod';
import type { ColumnPlan } from './column-plan.js';
import type { ProductSchema } from './schemas/desi-schemas.js';
import { sql, tableId } from './sql.js';
import { StoreError } from '../errors/index.js';
import type { StoreSession, TableRef } from './store.js';
import { unwrapField } from './validate/column-check.js';
import { partitionColumn, partitionedTableDdl, requirePartitioned } from './postgres/partitioning.js';

/** A string literal for DDL that cannot take parameters (COMMENT): quotes doubled, NUL refused. */
function literal(text: string): string {
  if (text.includes('\u0000')) throw new StoreError('a comment cannot hold NUL');
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The columns a table already has (lower case), or undefined when it does not exist.
 *
 * @example
 * const cols = await existingColumns(tx, { name: 'zcat' }); cols?.has('targetid')
 */
export async function existingColumns(s: StoreSession, t: TableRef): Promise<Set<string> | undefined> {
  const schemaTest = t.schema ? sql`table_schema = ${t.schema}` : sql`table_schema = current_schema()`;
  const r = await s.query(sql`select column_name from information_schema.columns where table_name = ${t.name} and ${schemaTest}`);
  if (r.numRows === 0) return undefined;
  return new Set(
    r
      .getChild('column_name')!
      .toArray()
      .map((x: string) => x.toLowerCase()),
  );
}

/**
 * Creates the table for a load if it does not exist: the planned columns (types per engine), `skybook_load` (the ledger's
 * load id, for lineage and `--replace`), NOT NULL on the columns the product schema requires and the schema's
 * descriptions as column comments. An existing table must have every planned column; the first missing one is named.
 * `partitionBy` (PostgreSQL) makes a new table partitioned by that integer column (postgres/partitioning.ts) and
 * requires an existing one to be partitioned by it already.
 *
 * @example
 * await ensureTable(tx, { name: 'zcat' }, planColumns(batch.schema), PRODUCT_SCHEMAS.zcatalog);
 */
export async function ensureTable(
  s: StoreSession,
  t: TableRef,
  plans: readonly ColumnPlan[],
  product?: ProductSchema,
  opts: { partitionBy?: string } = {},
): Promise<'created' | 'exists'> {
  const partitionBy = opts.partitionBy === undefined ? undefined : partitionColumn(plans, opts.partitionBy, t).name;
  if (partitionBy !== undefined && s.engine !== 'postgres')
    throw new StoreError(`--partition-by is for PostgreSQL tables; ${s.engine} partitions nothing`, { table: t.name, column: partitionBy });
  const have = await existingColumns(s, t);
  if (have) {
    if (partitionBy !== undefined) await requirePartitioned(s, t, partitionBy);
    for (const p of [...plans.map((x) => x.name), 'skybook_load']) {
      if (!have.has(p))
        throw new StoreError(`table exists without column ${p}; load into a new table or add the column`, { table: t.name, column: p });
    }
    return 'exists';
  }
  const shape = (product?.row.shape ?? {}) as Record<string, z.ZodType>;
  const byName = new Map(Object.entries(shape).map(([k, v]) => [k.toLowerCase(), v]));
  const cols = plans.map((p) => {
    const field = byName.get(p.name);
    const notNull = field && !unwrapField(field).optional && !unwrapField(field).nullable ? ' not null' : '';
    return sql`${sql.id(p.name)} ${sql.raw(s.engine === 'duckdb' ? p.duckType : p.pgType)}${sql.raw(notNull)}`;
  });
  const columns = [...cols, sql`skybook_load integer not null`];
  if (partitionBy !== undefined) for (const q of partitionedTableDdl(t, columns, partitionBy)) await s.run(q);
  else await s.run(sql`create table ${tableId(t)} (${sql.join(columns)})`);
  for (const p of plans) {
    const f = byName.get(p.name);
    const description = f ? (f.description ?? unwrapField(f).inner.description) : undefined;
    if (description) await s.run(sql`comment on column ${tableId(t)}.${sql.id(p.name)} is ${sql.raw(literal(description))}`);
  }
  return 'created';
}
