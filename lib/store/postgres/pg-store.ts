import pg from 'pg';
import type { RecordBatch, Table } from 'apache-arrow';
import type { ColumnPlan } from '../column-plan.js';
import { arrayDepth, arrowTypeOfPg, columnsToTable } from '../result-arrow.js';
import { sql, type SqlQuery, tableId } from '../sql.js';
import { pgStream } from './pg-stream.js';
import { bindValue, TYPES } from './pg-values.js';
import { redactUrl, redactUrls } from '../../core/index.js';
import { SkybookError, StoreError } from '../../errors/index.js';
import { refusedWrite, type StoreAccess } from '../access.js';
import { collectTable, drain } from '../stream-helpers.js';
import { databaseError } from '../database-error.js';
import type { LoadPart, Store, StoreSession, TableRef } from '../store.js';
import { encodeRows } from './copy-binary.js';
import { openCopy } from './copy-stream.js';
import { copyConnections, parallelCopy } from './parallel-copy.js';
import { dropDeadStaging, hasStaging } from './staging.js';
import { GUARD_PREFIX } from './roles-sql.js';
import { dropEmptiedPartition, loadPartition } from './partitioning.js';

type Queryable = pg.Pool | pg.PoolClient;

async function pgQuery(db: Queryable, q: SqlQuery | string): Promise<Table> {
  const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
  const res = (await db.query({
    text,
    values: values.map(bindValue),
    rowMode: 'array',
    types: TYPES,
  } as never)) as unknown as pg.QueryResult<unknown[]>;
  const fields = res.fields ?? [];
  const columns = fields.map((_, i) => res.rows.map((r) => r[i]));
  const types = fields.map((f, i) => arrowTypeOfPg(f.dataTypeID, arrayDepth(columns[i]!)));
  return columnsToTable(
    fields.map((f) => f.name),
    types,
    columns,
  );
}

/** Streams binary COPY tuples into `table` inside the client's current transaction. */
async function copyIn(
  client: pg.PoolClient,
  table: TableRef,
  plans: readonly ColumnPlan[],
  parts: AsyncIterable<LoadPart>,
  loadId: number,
): Promise<number> {
  const copy = openCopy(client, table, plans);
  let n = 0;
  try {
    for await (const part of parts) {
      if (part.rows.length === 0) continue;
      await copy.write(encodeRows(part.batch, plans, part.rows, [loadId]));
      n += part.rows.length;
    }
    await copy.end();
  } catch (e) {
    await copy.abort();
    throw e;
  }
  return n;
}

/**
 * A session on a pool or one client; PostgreSQL's own errors become StoreErrors naming the engine (see databaseError).
 * A read-only session reads through the checked, streaming path (`pgStream`); a writable one sends its SQL as it is.
 */
function session(db: Queryable, load: StoreSession['load'], access: StoreAccess, stream: StoreSession['stream']): StoreSession {
  // the statement's text lets the error show psql's LINE and caret lines under the message
  const failed =
    (q?: SqlQuery | string) =>
    (e: unknown): never => {
      throw databaseError('postgres', e, typeof q === 'string' ? q : q?.text);
    };
  if (access.readOnly)
    return {
      engine: 'postgres',
      stream,
      query: (q) => collectTable(stream(q)),
      run: (q) => drain(stream(q)),
      load: () => Promise.reject(refusedWrite('postgres', 'a load writes')),
    };
  return {
    engine: 'postgres',
    stream,
    query: (q) => pgQuery(db, q).catch(failed(q)),
    run: async (q) => {
      await pgQuery(db, q).catch(failed(q));
    },
    load: (table, plans, parts, loadId, o) => load(table, plans, parts, loadId, o).catch(failed()),
  };
}

/** Whether this connection's role is a loader whose event trigger refuses DROP and ALTER (see store-roles.ts). */
async function guardedRole(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>('select exists (select 1 from pg_event_trigger where evtname = $1 || current_user) as ok', [
    GUARD_PREFIX,
  ]);
  return r.rows[0]?.ok === true;
}

/** A stream on a client of the pool, given back when the stream ends. */
async function* pooled(pool: pg.Pool, open: (client: pg.PoolClient) => AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  const client = await pool.connect().catch((e: unknown) => {
    throw databaseError('postgres', e);
  });
  let broken: Error | undefined;
  try {
    yield* open(client);
  } catch (e) {
    if (!(e instanceof SkybookError) || e.exitCode === 1) broken = e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * Opens a PostgreSQL database through a `pg` pool. `schema` (optional) is created if missing and put first on every
 * connection's search_path (then `public`, where the q3c extension lives), so unqualified tables land there.
 * `readOnly` runs every statement alone in a `BEGIN READ ONLY` transaction, refuses commands that write before sending
 * them, and makes no schema; `allowFiles: false`
 * (the default when read-only) refuses COPY, DO and the server-file functions (pg_read_file, lo_import, ...).
 *
 * @example
 * const store = await openPostgres('postgres://postgres@127.0.0.1:5432/test', { schema: 'survey' });
 */
export async function openPostgres(
  url: string,
  opts: { schema?: string; max?: number; readOnly?: boolean; allowFiles?: boolean } = {},
): Promise<Store> {
  if (opts.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new StoreError(`invalid schema: ${JSON.stringify(opts.schema)} (letters, digits and _ only)`);
  }
  const readOnly = opts.readOnly ?? false;
  const access: StoreAccess = { readOnly, allowFiles: opts.allowFiles ?? !readOnly };
  // The search_path goes in the startup packet, so every pooled connection has it before its first query.
  const options = opts.schema ? `-c search_path=${opts.schema.toLowerCase()},public` : undefined;
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 4, ...(options ? { options } : {}) });
  pool.on('error', () => {}); // an idle client's broken connection is reported on its next use
  try {
    await pool.query(opts.schema && !readOnly ? `create schema if not exists ${sql.id(opts.schema.toLowerCase()).text}` : 'select 1');
  } catch (e) {
    await pool.end();
    throw new StoreError(`cannot open ${redactUrl(url)}: ${redactUrls((e as Error).message)}`, {}, 2, { cause: e });
  }
  // Parallel loads open their own connections (not the pool's: its size is the caller's choice), same search_path.
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url, ...(options ? { options } : {}) });
    c.on('error', () => {}); // a broken connection fails the statement in flight, which is reported
    await c.connect();
    return c;
  };
  /**
   * A data load (`opts` given, as ingest does) first drops staging tables that killed parallel loads left behind; into a
   * table partitioned by load it writes the load's own partition (made here, or attached from the staging table).
   */
  const load = async (client: pg.PoolClient, ...[table, plans, parts, loadId, o]: Parameters<StoreSession['load']>): Promise<number> => {
    const n = copyConnections(o);
    if (!o) return copyIn(client, table, plans, parts, loadId);
    // Looked for on the load's own connection; dropped (rarely: only after a killed load) on a connection of its own,
    // never the pool's, whose connections may all be held by a set's loads waiting on this one (a deadlock otherwise).
    const schema = table.schema ?? ((await client.query('select current_schema() as s')).rows[0] as { s: string }).s;
    if (await hasStaging(client, schema)) {
      const clean = await connect();
      try {
        await dropDeadStaging(clean, schema);
      } finally {
        await clean.end().catch(() => {});
      }
    }
    const key = await client.query<{ key: string | null }>('select pg_get_partkeydef(to_regclass($1)) as key', [tableId(table).text]);
    const partition = key.rows[0]?.key === 'LIST (skybook_load)' ? loadPartition(table, loadId) : undefined;
    if (partition) await dropEmptiedPartition(client, partition);
    // A loader role (`skybook store roles`) may not drop, rename or attach the staging table: it loads on one connection.
    if (n > 1 && !(await guardedRole(client))) return parallelCopy({ tx: client, connect }, table, plans, parts, loadId, n, partition);
    if (!partition) return copyIn(client, table, plans, parts, loadId);
    await client.query(
      sql`create table ${tableId(partition)} partition of ${tableId(table)} for values in (${sql.raw(String(loadId))})`.text,
    );
    return copyIn(client, partition, plans, parts, loadId);
  };
  const noLoad: StoreSession['load'] = async () => {
    throw new StoreError('load() runs inside transaction()', {}, 1);
  };
  return {
    ...session(pool, noLoad, access, (q, o) => pooled(pool, (client) => pgStream(client, q, access, o, false))),
    url: redactUrl(url),
    async transaction(fn) {
      const client = await pool.connect().catch((e: unknown) => {
        throw databaseError('postgres', e);
      });
      try {
        const s = session(
          client,
          (...args) => load(client, ...args),
          access,
          (q, o) => pgStream(client, q, access, o, true),
        );
        await client.query(readOnly ? 'begin read only' : 'begin').catch((e: unknown) => {
          throw databaseError('postgres', e);
        });
        const out = await fn(s);
        await client.query('commit').catch((e: unknown) => {
          throw databaseError('postgres', e);
        });
        return out;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
