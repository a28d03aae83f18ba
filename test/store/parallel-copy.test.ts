import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, PARALLEL_MIN_ROWS } from '../../lib/store/index.js';
import { copyConnections } from '../../lib/store/postgres/parallel-copy.js';
import { dropDeadStaging, STAGING_LOCK_CLASS, STAGING_PREFIX } from '../../lib/store/postgres/staging.js';
import { CLI, skybook } from '../helpers/cli.js';
import { PG_URL, pgUrlFor, tempDir, uniqueSchema, withSchema, writeZcatalog } from './store-helpers.js';

// Above the threshold, so --connections 4 takes the parallel path; small enough for a loaded 2-core machine.
const ROWS = PARALLEL_MIN_ROWS + 50_000;
const schema = uniqueSchema(__filename);
const url = pgUrlFor(schema);
const tmp = tempDir();
const file = join(tmp.dir, 'big.fits');
let dropSchema: () => Promise<void>;
let db: pg.Client;

beforeAll(async () => {
  dropSchema = await withSchema(schema);
  await writeZcatalog(file, ROWS, 11);
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  // the reference: today's one-connection COPY
  const [r] = await ingest(file, { into: url, table: 'single', progress: false });
  expect(r).toMatchObject({ status: 'loaded', loaded: ROWS });
}, 180_000);
afterAll(async () => {
  await db.end();
  await dropSchema();
  tmp.cleanup();
});

/** Row count and an md5 over every row's values (load id left out) in TARGETID order. */
async function digest(table: string): Promise<{ n: number; md5: string }> {
  const r = await db.query(
    `select count(*)::int as n, md5(string_agg((to_jsonb(t) - 'skybook_load')::text, '|' order by targetid)) as md5 from ${schema}.${table} t`,
  );
  return r.rows[0] as { n: number; md5: string };
}

async function stagingTables(): Promise<string[]> {
  const r = await db.query(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and starts_with(c.relname, $2) order by 1`,
    [schema, STAGING_PREFIX],
  );
  return r.rows.map((x: { relname: string }) => x.relname);
}

/** Polls the server until `probe` returns a value (each poll is a round trip; no timers). */
async function until<T>(probe: () => Promise<T | undefined>, what: string, limitMs = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await db.query('select 1');
  }
}

describe('how many connections a load uses', () => {
  it('keeps one connection below the threshold and refuses counts out of range', () => {
    expect(copyConnections(undefined)).toBe(1);
    expect(copyConnections({ connections: 4, rows: PARALLEL_MIN_ROWS })).toBe(4);
    expect(copyConnections({ connections: 4, rows: PARALLEL_MIN_ROWS - 1 })).toBe(1);
    expect(copyConnections({ connections: 3 })).toBe(3);
    expect(() => copyConnections({ connections: 0 })).toThrow(/invalid connections: 0/);
    expect(() => copyConnections({ connections: 1.5 })).toThrow(/invalid connections: 1.5/);
  });
});

it('a load over 4 connections stores the same rows as the one-connection load, and leaves no staging table', async () => {
  const [r] = await ingest(file, { into: url, table: 'four', connections: 4, progress: false });
  expect(r).toMatchObject({ status: 'loaded', rows: ROWS, loaded: ROWS, quarantined: 0 });
  const [a, b] = [await digest('single'), await digest('four')];
  expect(a.n).toBe(ROWS);
  expect(b).toEqual(a);
  expect(await stagingTables()).toEqual([]);
  const ledger = await db.query(`select rows_loaded::int as n from ${schema}.skybook_loads where table_name = 'four'`);
  expect(ledger.rows).toEqual([{ n: ROWS }]);
}, 180_000);

it('--partition-by load: the staging table of a parallel load becomes the load partition; a small load makes its own', async () => {
  const [r] = await ingest(file, { into: url, table: 'byload', connections: 4, partitionBy: 'load', progress: false });
  expect(r).toMatchObject({ status: 'loaded', loaded: ROWS });
  expect(await digest('byload')).toEqual(await digest('single'));
  const parts = async () =>
    (
      await db.query(
        `select c.relname as part, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i join pg_class c on c.oid = i.inhrelid
         where i.inhparent = to_regclass($1) order by c.relname`,
        [`${schema}.byload`],
      )
    ).rows;
  expect(await parts()).toEqual([{ part: `byload_l${r!.loadId}`, bound: `FOR VALUES IN (${r!.loadId})` }]);
  const inPart = await db.query(`select count(*)::int as n from ${schema}.byload_l${r!.loadId}`);
  expect(inPart.rows[0].n).toBe(ROWS);
  expect(await stagingTables()).toEqual([]);
  // below the threshold: one connection, into a partition made in the load's transaction
  const small = join(tmp.dir, 'small.fits');
  await writeZcatalog(small, 1000, 12);
  const [s] = await ingest(small, { into: url, table: 'byload', connections: 4, progress: false });
  expect(s).toMatchObject({ status: 'loaded', loaded: 1000 });
  expect((await parts()).map((p: { part: string }) => p.part)).toEqual([`byload_l${r!.loadId}`, `byload_l${s!.loadId}`]);
  // --replace of a changed file: the old load's rows go in the same transaction (the ledger gives the replaced latest
  // load's id to the new load, so its emptied partition is dropped and made again), the new partition holds the rows
  await writeZcatalog(small, 1000, 13);
  const [t] = await ingest(small, { into: url, table: 'byload', replace: true, progress: false });
  expect(t).toMatchObject({ status: 'replaced', loaded: 1000 });
  const counts = await db.query(
    `select (select count(*) from ${schema}.byload_l${t!.loadId})::int as new, (select count(*) from ${schema}.byload)::int as total`,
  );
  expect(counts.rows[0]).toEqual({ new: 1000, total: ROWS + 1000 });
  const ids = await db.query(`select distinct skybook_load as id from ${schema}.byload order by 1`);
  expect(ids.rows.map((x: { id: number }) => x.id)).toEqual([r!.loadId, t!.loadId]);
}, 180_000);

it('drops a staging table whose loader is gone and keeps one whose loader holds its lock', async () => {
  const dead = `${STAGING_PREFIX}900_deadbeef`;
  const live = `${STAGING_PREFIX}901_a11ce000`;
  await db.query(`create unlogged table ${schema}.${dead} (x int)`);
  await db.query(`create unlogged table ${schema}.${live} (x int)`);
  const holder = new pg.Client({ connectionString: PG_URL });
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1, hashtext($2))', [STAGING_LOCK_CLASS, live]);
    const cleaner = new pg.Client({ connectionString: PG_URL });
    await cleaner.connect();
    try {
      expect(await dropDeadStaging(cleaner, schema)).toEqual([dead]);
    } finally {
      await cleaner.end();
    }
    expect(await stagingTables()).toEqual([live]);
  } finally {
    await holder.end();
  }
  await db.query(`drop table ${schema}.${live}`);
});

it.each([
  { layout: 'a plain table (insert-select)', table: 'killed', extra: [] as string[] },
  { layout: 'a table partitioned by load (attach)', table: 'killed_byload', extra: ['--partition-by', 'load'] },
])(
  'SIGKILL of a parallel load into $layout mid-COPY: no rows, no ledger row; the re-run loads the same rows and removes the staging table',
  async ({ table, extra }) => {
    const child = spawn(process.execPath, [CLI, 'ingest', file, '--into', url, '--table', table, '--connections', '4', ...extra], {
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // The server reports COPYs into this schema's staging table with rows received: the load is under way.
    const copying = await until(async () => {
      const r = await db.query(
        `select p.pid, p.tuples_processed::int as n from pg_stat_progress_copy p join pg_class c on c.oid = p.relid
       join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and starts_with(c.relname, $2)`,
        [schema, STAGING_PREFIX],
      );
      const rows = r.rows as { pid: number; n: number }[];
      return rows.length >= 2 && rows.some((x) => x.n > 0) ? rows : undefined;
    }, 'the parallel COPY to start');
    const received = copying.reduce((s, x) => s + x.n, 0);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(ROWS);
    process.kill(-child.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // every backend of the killed load ends: the COPYs and the session holding the staging table's lock
    const pids = copying.map((x) => x.pid);
    await until(async () => {
      const copies = await db.query('select 1 from pg_stat_activity where pid = any($1)', [pids]);
      const locks = await db.query(`select 1 from pg_locks where locktype = 'advisory' and classid = $1::int::oid`, [STAGING_LOCK_CLASS]);
      return copies.rowCount === 0 && locks.rowCount === 0 ? true : undefined;
    }, 'the killed backends to end');
    expect(await stagingTables()).toHaveLength(1); // left behind by the kill, for the next load to drop
    const target = await db.query('select to_regclass($1) as t', [`${schema}.${table}`]);
    expect(target.rows[0].t).toBeNull(); // created in the killed transaction: gone with it
    const ledger = await db.query(`select count(*)::int as n from ${schema}.skybook_loads where table_name = $1`, [table]);
    expect(ledger.rows[0].n).toBe(0);

    const rerun = skybook(['ingest', file, '--into', url, '--table', table, '--connections', '4', ...extra, '--json'], {
      timeoutMs: 180_000,
    });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).files[0]).toMatchObject({ status: 'loaded', rows: ROWS, loaded: ROWS });
    expect(await digest(table)).toEqual(await digest('single'));
    expect(await stagingTables()).toEqual([]);
  },
  300_000,
);
