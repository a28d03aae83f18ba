import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStoreRoles } from '../../lib/store/index.js';
import { cli, PG_URL, tempDir, uniqueSchema, writeZcatalog } from './store-helpers.js';

// `skybook store roles` against the real server: the analyst reads and cannot write; the loader runs real ingests (the
// CLI, connecting as itself) and cannot drop, truncate, update or delete, except a whole load through --replace.
// Roles are cluster-wide, so their names carry this process and a random tag, and are dropped after.
const schema = uniqueSchema(__filename);
const tag = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;
const analyst = `t_analyst_${tag}`;
const loader = `t_loader_${tag}`;
const tmp = tempDir();

/** The test database's URL, connecting as `role`. */
function urlAs(role: string): string {
  const u = new URL(PG_URL);
  u.username = role;
  u.password = '';
  return u.toString();
}

/** Runs SQL as a role on its own connection; returns the rows, or the error PostgreSQL raised. */
async function as(role: string, text: string): Promise<{ rows: Record<string, unknown>[]; error?: { code?: string; message: string } }> {
  const c = new pg.Client({ connectionString: urlAs(role) });
  await c.connect();
  try {
    return { rows: (await c.query(text)).rows };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { rows: [], error: { code: err.code, message: err.message } };
  } finally {
    await c.end();
  }
}

/** Expects PostgreSQL's permission error (SQLSTATE 42501) for `text` run as `role`. */
async function refused(role: string, text: string, message: RegExp = /permission denied/): Promise<void> {
  const r = await as(role, text);
  expect(r.error, `${role}: ${text} should be refused`).toBeDefined();
  expect(r.error!.code, r.error!.message).toBe('42501');
  expect(r.error!.message).toMatch(message);
}

const count = async (role: string, table: string) => Number((await as(role, `select count(*) as n from ${table}`)).rows[0]!.n);

beforeAll(async () => {
  await writeZcatalog(join(tmp.dir, 'a.fits'), 300, 1);
  await writeZcatalog(join(tmp.dir, 'b.fits'), 200, 2);
});

afterAll(async () => {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.query(`drop event trigger if exists skybook_guard_${loader}`);
    for (const role of [analyst, loader]) {
      const there = await c.query('select 1 from pg_roles where rolname = $1', [role]);
      if (there.rowCount) {
        await c.query(`drop owned by ${role}`);
        await c.query(`drop role ${role}`);
      }
    }
    // the guard function is shared by every loader of the database: dropped once no event trigger runs it
    await c.query('drop function if exists public.skybook_loader_guard()').catch(() => {});
  } finally {
    await c.end();
    tmp.cleanup();
  }
});

describe('skybook store roles on PostgreSQL', () => {
  it('sets up both roles and a fresh schema; a re-run changes nothing and says so', async () => {
    const first = await cli(['store', 'roles', '--db', PG_URL, '--schema', schema, '--analyst', analyst, '--loader', loader]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`created role ${analyst}`);
    expect(first.stdout).toContain(`created role ${loader}`);
    expect(first.stdout).toContain(`created schema ${schema}`);
    const again = await cli(['store', 'roles', '--db', PG_URL, '--schema', schema, '--analyst', analyst, '--loader', loader, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const r = JSON.parse(again.stdout) as { changes: string[]; schema: string; analyst: string; loader: string };
    expect(r).toMatchObject({ schema, analyst, loader, changes: [] });
    const text = await cli(['store', 'roles', '--db', PG_URL, '--schema', schema, '--analyst', analyst, '--loader', loader]);
    expect(text.stdout).toMatch(/nothing to change/);
  });

  it('the loader runs real ingests through the CLI: a first file, a second into the same table', async () => {
    const a = await cli([
      'ingest',
      join(tmp.dir, 'a.fits'),
      '--into',
      urlAs(loader),
      '--table',
      `${schema}.zcat`,
      '--schema',
      'zcatalog',
      '--json',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).files[0]).toMatchObject({ status: 'loaded', rows: 300, loaded: 300 });
    // unqualified: the loader's search_path puts the schema first
    const b = await cli(['ingest', join(tmp.dir, 'b.fits'), '--into', urlAs(loader), '--table', 'zcat', '--schema', 'zcatalog', '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).files[0]).toMatchObject({ status: 'loaded', rows: 200, loaded: 200 });
    expect(await count(loader, `${schema}.zcat`)).toBe(500);
    expect(await count(loader, `${schema}.skybook_loads`)).toBe(2);
    const idx = await as(loader, `select indexname from pg_indexes where schemaname = '${schema}' and tablename = 'zcat'`);
    expect(idx.rows.map((r) => r.indexname)).toContain('zcat_q3c_idx');
  });

  it('the analyst can select, and cannot insert, update, delete, truncate, drop or create', async () => {
    expect(await count(analyst, `${schema}.zcat`)).toBe(500);
    expect(await count(analyst, `${schema}.skybook_loads`)).toBe(2);
    const t = `${schema}.zcat`;
    await refused(analyst, `insert into ${t} (targetid, skybook_load) values (1, 1)`);
    await refused(analyst, `update ${t} set z = 0`);
    await refused(analyst, `delete from ${t}`);
    await refused(analyst, `truncate ${t}`);
    await refused(analyst, `drop table ${t}`, /must be owner/);
    await refused(analyst, `create table ${schema}.mine (x int)`);
    await refused(analyst, `delete from ${schema}.skybook_loads`);
    await refused(analyst, `select ${schema}.skybook_remove_load('${t}'::regclass, 1)`);
    expect(await count(analyst, t)).toBe(500);
  });

  it('the loader cannot drop or truncate a table, nor delete or update rows, nor grant itself more', async () => {
    const t = `${schema}.zcat`;
    await refused(loader, `drop table ${t}`, /permission denied for DROP TABLE: .* is a skybook loader role/);
    await refused(loader, `drop table ${schema}.skybook_loads`, /permission denied for DROP TABLE/);
    await refused(loader, `drop schema ${schema} cascade`, /permission denied for DROP SCHEMA/);
    await refused(loader, `truncate ${t}`);
    await refused(loader, `truncate ${schema}.skybook_loads`);
    await refused(loader, `truncate ${schema}.skybook_quarantine`);
    await refused(loader, `delete from ${t}`);
    await refused(loader, `delete from ${schema}.skybook_loads`);
    await refused(loader, `delete from ${schema}.skybook_quarantine`);
    await refused(loader, `update ${t} set z = 0`);
    await refused(loader, `update ${schema}.skybook_loads set sha256 = 'x'`, /the load ledger is appended to/);
    await refused(loader, `grant delete on ${t} to ${loader}`, /permission denied for GRANT/);
    await refused(loader, `alter table ${t} owner to ${analyst}`, /permission denied for ALTER TABLE/);
    await refused(loader, `drop index ${schema}.zcat_q3c_idx`, /permission denied for DROP INDEX/);
    await refused(loader, `create function ${schema}.f() returns int language sql as 'select 1'`, /permission denied for CREATE FUNCTION/);
    await refused(loader, `select ${schema}.skybook_remove_load('${schema}.skybook_loads'::regclass, 1)`, /not a loaded table/);
    expect(await count(loader, t)).toBe(500);
    expect(await count(loader, `${schema}.skybook_loads`)).toBe(2);
  });

  it('ingest --replace of a changed file works as the loader: the old rows go, the new ones come, one ledger row', async () => {
    const path = join(tmp.dir, 'a.fits');
    await writeZcatalog(path, 120, 7);
    const plain = await cli(['ingest', path, '--into', urlAs(loader), '--table', `${schema}.zcat`, '--schema', 'zcatalog']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/use --replace/);
    const r = await cli([
      'ingest',
      path,
      '--into',
      urlAs(loader),
      '--table',
      `${schema}.zcat`,
      '--schema',
      'zcatalog',
      '--replace',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout).files[0] as { status: string; loadId: number; loaded: number };
    expect(res).toMatchObject({ status: 'replaced', loaded: 120 });
    expect(await count(analyst, `${schema}.zcat`)).toBe(320);
    const ledger = await as(analyst, `select load_id, rows_loaded from ${schema}.skybook_loads order by load_id`);
    expect(ledger.rows.map((x) => [Number(x.load_id), Number(x.rows_loaded)])).toEqual([
      [2, 200],
      [res.loadId, 120],
    ]);
    const perLoad = await as(analyst, `select skybook_load, count(*) as n from ${schema}.zcat group by 1 order by 1`);
    expect(perLoad.rows.map((x) => [Number(x.skybook_load), Number(x.n)])).toEqual([
      [2, 200],
      [res.loadId, 120],
    ]);
  });

  it('a table the admin makes later is readable by the analyst (default privileges)', async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`create table ${schema}.later (x int); insert into ${schema}.later values (1), (2)`);
    await c.end();
    expect(await count(analyst, `${schema}.later`)).toBe(2);
    await refused(analyst, `insert into ${schema}.later values (3)`);
  });

  it('ordinary owners keep ingest as it was: the admin replaces a load with plain deletes', async () => {
    const path = join(tmp.dir, 'b.fits');
    await writeZcatalog(path, 50, 9);
    const r = await cli(['ingest', path, '--into', PG_URL, '--table', `${schema}.zcat`, '--schema', 'zcatalog', '--replace', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ status: 'replaced', loaded: 50 });
    expect(await count(analyst, `${schema}.zcat`)).toBe(170);
  });

  it("a table the admin loaded and indexed takes the loader's rows, and the loader still cannot drop or empty it", async () => {
    await writeZcatalog(join(tmp.dir, 'c.fits'), 80, 3);
    await writeZcatalog(join(tmp.dir, 'd.fits'), 40, 4);
    const byAdmin = await cli(['ingest', join(tmp.dir, 'c.fits'), '--into', PG_URL, '--table', `${schema}.owned`, '--schema', 'zcatalog']);
    expect(byAdmin.code, byAdmin.stderr).toBe(0);
    const byLoader = await cli([
      'ingest',
      join(tmp.dir, 'd.fits'),
      '--into',
      urlAs(loader),
      '--table',
      `${schema}.owned`,
      '--schema',
      'zcatalog',
    ]);
    expect(byLoader.code, byLoader.stderr).toBe(0);
    expect(await count(analyst, `${schema}.owned`)).toBe(120);
    await refused(loader, `drop table ${schema}.owned`, /permission denied for DROP TABLE/);
    await refused(loader, `truncate ${schema}.owned`);
    await refused(loader, `delete from ${schema}.owned`);
    expect(await count(analyst, `${schema}.owned`)).toBe(120);
  });

  it('a re-run after loads by both roles and new tables still changes nothing', async () => {
    const r = await ensureStoreRoles(PG_URL, { schema, analyst, loader });
    expect(r.changes).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('a connection that is not a superuser is refused before anything changes', async () => {
    const p = ensureStoreRoles(urlAs(analyst), { schema, analyst: `${analyst}_x`, loader });
    await expect(p).rejects.toThrow(new RegExp(`${analyst} is not a superuser: the loader's guard is an event trigger`));
    await expect(p).rejects.toMatchObject({ exitCode: 2 });
    expect((await as(loader, `select 1 from pg_roles where rolname = '${analyst}_x'`)).rows).toEqual([]);
  });
});

describe('store roles: bad input', () => {
  it.each<[{ url?: string; schema?: string; analyst?: string; loader?: string }, RegExp]>([
    [{ url: 'duckdb::memory:' }, /DuckDB has no roles .*--db must be postgres:\/\//],
    [{ url: 'mysql://x/y' }, /invalid store URL/],
    [{ analyst: 'Robert"; drop table x' }, /invalid --analyst: .*a role name/],
    [{ loader: 'pg_loader' }, /invalid --loader: "pg_loader"/],
    [{ loader: 'public' }, /invalid --loader: "public"/],
    [{ analyst: 'same', loader: 'same' }, /also the analyst/],
    [{ schema: 'Has Space' }, /invalid --schema: "Has Space"/],
    [{ analyst: 'postgres' }, /invalid --analyst/],
  ])('%j is refused (exit code 2) before anything changes', async (o, msg) => {
    // the names not under test are this file's own, so a check that failed to refuse would change nothing shared
    const p = ensureStoreRoles(o.url ?? PG_URL, { schema: o.schema ?? schema, analyst: o.analyst ?? analyst, loader: o.loader ?? loader });
    await expect(p).rejects.toThrow(msg);
    await expect(p).rejects.toMatchObject({ exitCode: 2 });
  });

  it('an existing superuser is refused as a loader', async () => {
    await expect(ensureStoreRoles(PG_URL, { schema, analyst, loader: 'root' })).rejects.toThrow(/role root exists with SUPERUSER/);
  });
});
