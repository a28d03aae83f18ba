/**
 * The load ledger under concurrent loads (PostgreSQL): load ids from the ledger's sequence, a ledger made by an earlier
 * version (no sequence, ids taken as max + 1) still loads and its ids are never reused, and two ingests of the same
 * files at once load each file once (the advisory lock per file, where a table lock used to serialise everything); a
 * set makes its sky index once, after its concurrent loads.
 */
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { ingest, ingestSet } from '../../lib/store/index.js';
import { writeRedrockSet, type SetFile } from './redrock-set.js';
import { PG_URL, pgUrlFor, storeTestFile, writeZcatalog } from './store-helpers.js';

const { schema, tmp } = storeTestFile(__filename, 'unused.duckdb');
let files: SetFile[];

beforeAll(async () => {
  files = await writeRedrockSet(join(tmp.dir, 'set'), 12, 31, 6);
});

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

it('a ledger made by an earlier version (no sequence) loads, and its ids are never handed out again', async () => {
  const t = 'old_ledger';
  await withClient(async (c) => {
    // the ledger exactly as earlier versions made it, with three loads of other tables in it
    await c.query(`create table ${schema}.skybook_loads (
      load_id integer not null primary key, table_name text not null, source_path text not null, sha256 text not null,
      size bigint not null, hdu text not null, rows_loaded bigint not null, rows_quarantined bigint not null,
      started_at timestamp not null, finished_at timestamp not null, skybook_version text not null)`);
    for (const id of [1, 2, 5])
      await c.query(`insert into ${schema}.skybook_loads values ($1, 'other', $2, 'x', 1, 'H', 1, 0, now(), now(), '0.0.9')`, [
        id,
        `/old/${id}.fits`,
      ]);
  });
  const results = await ingest(
    files.slice(0, 6).map((f) => f.path),
    { into: pgUrlFor(schema), table: t, schema: 'redrock', jobs: 3, progress: false },
  );
  expect(results.map((r) => r.status)).toEqual(Array(6).fill('loaded'));
  const ids = results.map((r) => r.loadId);
  expect(new Set(ids).size).toBe(6);
  expect(Math.min(...ids)).toBeGreaterThan(5);
  await withClient(async (c) => {
    const led = await c.query(`select count(*)::int as n, count(distinct load_id)::int as ids from ${schema}.skybook_loads`);
    expect(led.rows[0]).toEqual({ n: 9, ids: 9 });
    const rows = await c.query(`select skybook_load, count(*)::int as n from ${schema}.${t} group by 1 order by 1`);
    expect(rows.rows.map((r) => [r.skybook_load, r.n])).toEqual(results.map((r) => [r.loadId, r.rows]).sort((a, b) => a[0]! - b[0]!));
  });
});

it('a sequence that stands at a gap of an earlier ledger (1, 2, 5: next 3) still hands out ids above its largest', async () => {
  // What loads side by side can meet: others drew 1 and 2 (taken) while this one draws 3, an id no load had.
  const own = `${schema}_gap`;
  await withClient(async (c) => {
    await c.query(`create schema ${own}`);
    await c.query(`create table ${own}.skybook_loads (
      load_id integer not null primary key, table_name text not null, source_path text not null, sha256 text not null,
      size bigint not null, hdu text not null, rows_loaded bigint not null, rows_quarantined bigint not null,
      started_at timestamp not null, finished_at timestamp not null, skybook_version text not null)`);
    for (const id of [1, 2, 5])
      await c.query(`insert into ${own}.skybook_loads values ($1, 'other', $2, 'x', 1, 'H', 1, 0, now(), now(), '0.0.9')`, [
        id,
        `/old/${id}.fits`,
      ]);
    await c.query(`create sequence ${own}.skybook_loads_load_id_seq`);
    await c.query(`select nextval('${own}.skybook_loads_load_id_seq') from generate_series(1, 2)`);
  });
  try {
    const [r] = await ingest([files[0]!.path], { into: pgUrlFor(own), table: 'gap', schema: 'redrock', progress: false });
    expect(r!.status).toBe('loaded');
    expect(r!.loadId).toBeGreaterThan(5);
  } finally {
    await withClient((c) => c.query(`drop schema ${own} cascade`));
  }
});

it('two ingests of the same files at once into a new schema make its bookkeeping once and load each file once', async () => {
  // a schema of its own, so both ingests find no ledger and race to make it (they take turns under an advisory lock)
  const own = `${schema}_b`;
  const t = `${own}.twice_at_once`;
  const paths = files.slice(6).map((f) => f.path);
  const opts = { into: pgUrlFor(schema), table: t, schema: 'redrock' as const, jobs: 3, progress: false as const };
  try {
    // the second set runs in the opposite order, so the two meet on the same files while both are loading
    const [a, b] = await Promise.all([ingestSet(paths, opts), ingestSet([...paths].reverse(), opts)]);
    expect(a.totals.failed + b.totals.failed).toBe(0);
    expect(a.totals.loaded + b.totals.loaded).toBe(paths.length);
    expect(a.totals.skipped + b.totals.skipped).toBe(paths.length);
    await withClient(async (c) => {
      const led = await c.query(`select count(*)::int as n, count(distinct source_path)::int as files from ${own}.skybook_loads`);
      expect(led.rows[0]).toEqual({ n: paths.length, files: paths.length });
      const rows = await c.query(`select count(*)::int as n, count(distinct targetid)::int as ids from ${t}`);
      const want = files.slice(6).reduce((n, f) => n + f.rows, 0);
      expect(rows.rows[0]).toEqual({ n: want, ids: want });
    });
  } finally {
    await withClient((c) => c.query(`drop schema if exists ${own} cascade`));
  }
});

it('a set of zcatalog files makes the sky index once, after its loads', async () => {
  const t = 'zc_set';
  const paths = [join(tmp.dir, 'zc-1.fits'), join(tmp.dir, 'zc-2.fits'), join(tmp.dir, 'zc-3.fits')];
  for (const [i, p] of paths.entries()) await writeZcatalog(p, 500, 60 + i);
  const report = await ingestSet(paths, { into: pgUrlFor(schema), table: t, schema: 'zcatalog', jobs: 3, progress: false });
  expect(report.totals).toMatchObject({ loaded: 3, failed: 0, rowsLoaded: 1500 });
  await withClient(async (c) => {
    const idx = await c.query('select indexdef from pg_indexes where schemaname = $1 and tablename = $2', [schema, t]);
    expect(idx.rows.map((r) => r.indexdef)).toEqual([expect.stringMatching(/q3c_ang2ipix\(target_ra, target_dec\)/)]);
  });
});
