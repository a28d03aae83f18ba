import type pg from 'pg';
import type { ColumnPlan } from '../column-plan.js';
import { sql, tableId } from '../sql.js';
import { StoreError } from '../../errors/index.js';
import type { LoadOptions, LoadPart, TableRef } from '../store.js';
import { encodeRows } from './copy-binary.js';
import { type CopyStream, openCopy } from './copy-stream.js';
import { createStaging, createStagingPartition, dropDeadStaging, lockStaging, stagingName } from './staging.js';

/**
 * Parallel loads into PostgreSQL: N connections COPY the rows into a staging table at once, each in its own
 * transaction; the load's transaction then makes them part of the target, so they appear with its COMMIT and never
 * before. A table partitioned by load (`--partition-by load`) takes the staging table as the load's partition
 * (`alter table ... attach partition`: no second copy; the staging table is LOGGED, with the target's columns, NOT
 * NULLs and a CHECK on the load id, so the attach needs no scan); any other table gets the rows by one `insert ...
 * select` from an UNLOGGED staging table, which is dropped in the same commit. Why, and the figures: docs/store.md and
 * bench/ingest/README.md.
 */

/**
 * Loads with fewer rows than this keep the one-connection COPY: opening connections and the staging table's second
 * copy of the rows cost more than a small load gains.
 *
 * @example
 * copyConnections({ connections: 4, rows: 10_000 }) // 1
 */
export const PARALLEL_MIN_ROWS = 200_000;

/** The most connections one load may open (each is a backend on the server). */
export const MAX_COPY_CONNECTIONS = 64;

/**
 * How many connections a load uses: `connections` (default 1) when the load has at least PARALLEL_MIN_ROWS rows (or an
 * unknown count), else 1.
 *
 * @example
 * copyConnections({ connections: 4, rows: 5_000_000 }) // 4
 */
export function copyConnections(opts: LoadOptions | undefined): number {
  const n = opts?.connections ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_COPY_CONNECTIONS)
    throw new StoreError(`invalid connections: ${n} (an integer from 1 to ${MAX_COPY_CONNECTIONS})`);
  if (opts?.rows !== undefined && opts.rows < PARALLEL_MIN_ROWS) return 1;
  return n;
}

/** Where a parallel load runs: the load's transaction, and a way to open more connections to the same database. */
export interface ParallelCopyContext {
  tx: pg.ClientBase;
  /** A new connection with the store's URL and search_path (closed by the caller). */
  connect(): Promise<pg.Client>;
}

/** The free stream that has waited longest, waiting for one to drain when all are busy. */
async function freeStream(copies: readonly CopyStream[], next: number): Promise<CopyStream> {
  for (let k = 0; k < copies.length; k++) {
    const c = copies[(next + k) % copies.length]!;
    if (!c.busy) return c;
  }
  await Promise.race(copies.map((c) => c.drained()));
  return freeStream(copies, next);
}

/**
 * Writes `parts` into `table` over `connections` connections through a staging table; the rows become visible when the
 * transaction `ctx.tx` commits. `partition` (a table partitioned by load): the staging table becomes that partition of
 * `table` for `loadId`; else its rows are inserted into `table`. First drops staging tables of loads that died (their
 * advisory locks are free). Returns the rows written.
 *
 * @example
 * const n = await parallelCopy(ctx, { name: 'zcat' }, plans, parts, loadId, 4);
 */
export async function parallelCopy(
  ctx: ParallelCopyContext,
  table: TableRef,
  plans: readonly ColumnPlan[],
  parts: AsyncIterable<LoadPart>,
  loadId: number,
  connections: number,
  partition?: TableRef,
): Promise<number> {
  const schema = table.schema ?? ((await ctx.tx.query('select current_schema() as s')).rows[0] as { s: string }).s;
  const stage: TableRef = { schema, name: stagingName(loadId) };
  const clients: pg.Client[] = [];
  let staged = false;
  let moving = false;
  // The admin connection holds the staging table's advisory lock for the whole load: it ends with this process.
  const admin = await ctx.connect();
  clients.push(admin);
  try {
    await dropDeadStaging(admin, schema);
    await lockStaging(admin, stage.name);
    if (partition) await createStagingPartition(ctx.tx, admin, table, stage, loadId);
    else await createStaging(admin, stage, plans);
    staged = true;
    for (let i = 0; i < connections; i++) clients.push(await ctx.connect());
    const copies = clients.slice(1).map((c) => openCopy(c, stage, plans));
    let n = 0;
    let next = 0;
    try {
      for await (const part of parts) {
        if (part.rows.length === 0) continue;
        const bytes = encodeRows(part.batch, plans, part.rows, [loadId]);
        const c = await freeStream(copies, next);
        next = (copies.indexOf(c) + 1) % copies.length;
        c.push(bytes);
        n += part.rows.length;
      }
      await Promise.all(copies.map((c) => c.end()));
    } catch (e) {
      await Promise.all(copies.map((c) => c.abort()));
      throw e;
    }
    moving = true;
    if (partition) {
      await ctx.tx.query(sql`alter table ${tableId(stage)} rename to ${sql.id(partition.name)}`.text);
      await ctx.tx.query(
        sql`alter table ${tableId(table)} attach partition ${tableId({ schema, name: partition.name })} for values in (${sql.raw(String(loadId))})`
          .text,
      );
      return n;
    }
    const cols = sql.join([...plans.map((p) => sql.id(p.name)), sql.id('skybook_load')]);
    const moved = await ctx.tx.query(sql`insert into ${tableId(table)} (${cols}) select ${cols} from ${tableId(stage)}`.text);
    if (moved.rowCount !== n) throw new StoreError(`staging held ${moved.rowCount} rows, ${n} were sent`, { table: table.name }, 1);
    await ctx.tx.query(sql`drop table ${tableId(stage)}`.text);
    return n;
  } catch (e) {
    // Before the move the staging table is ours alone: drop it now. After it, the load's transaction holds it until its
    // rollback, and the next load drops it (its lock is free once this load's connections close).
    if (staged && !moving) await admin.query(sql`drop table if exists ${tableId(stage)}`.text).catch(() => {});
    throw e;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
