import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../lib/store/index.js';
import { storeMembership } from '../../lib/voids/store-membership.js';
import { type EngineCase, PG_URL, pgUrlFor, tempDir, uniqueSchema, withSchema } from '../store/store-helpers.js';

// A real DuckDB file always; PostgreSQL on 127.0.0.1:5432 (SKYBOOK_PG_URL) in a schema of this file's own, when it answers.
const probe = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
const havePg = await probe.connect().then(
  async () => {
    await probe.end();
    return true;
  },
  () => false,
);
if (!havePg) console.warn(`skipped (postgres): ${PG_URL} is not reachable (.ci/run starts PostgreSQL)`);
const schema = uniqueSchema(__filename);
const tmp = tempDir();
let dropSchema: (() => Promise<void>) | undefined;
beforeAll(async () => {
  if (havePg) dropSchema = await withSchema(schema);
});
afterAll(async () => {
  await dropSchema?.();
  tmp.cleanup();
});
const engines: EngineCase[] = [
  { name: 'duckdb', url: () => `duckdb:${join(tmp.dir, 'membership.duckdb')}` },
  ...(havePg ? [{ name: 'postgres' as const, url: () => pgUrlFor(schema) }] : []),
];

// TARGETIDs beyond 2^53, where a JS number would lose the last digits
const BIG = 39627788000000000n;
const ids = (from: number, n: number) => BigInt64Array.from({ length: n }, (_, i) => BIG + BigInt(from + i) * 7n + 1n);

describe.each(engines)('storeMembership into $name', ({ name, url }) => {
  it('writes targetid exact, vflag and void (NULL for none), keyed by targetid; a second write upserts', async () => {
    const targetid = ids(0, 5000);
    const vflag = Uint8Array.from({ length: 5000 }, (_, i) => [0, 1, 2, 9][i % 4]!);
    const voids = Int32Array.from({ length: 5000 }, (_, i) => (i % 4 === 1 ? i % 37 : -1));
    expect(await storeMembership(url(), { targetid, vflag, void: voids })).toEqual({ table: 'void_membership', rows: 5000, written: true });
    // the second half again with other flags, plus new galaxies: replaced and added, the first half untouched
    const again = ids(2500, 3000);
    await storeMembership(url(), { targetid: again, vflag: new Uint8Array(3000).fill(1) });
    const store = await openStore(url());
    try {
      const t = await store.query('select targetid, vflag, void from void_membership order by targetid');
      expect(t.numRows).toBe(5500);
      const got = t.getChild('targetid')!.toArray() as BigInt64Array;
      expect(got[0]).toBe(BIG + 1n);
      expect(got[5499]).toBe(BIG + 5499n * 7n + 1n);
      const flag = (i: number) => Number(t.getChild('vflag')!.get(i));
      const voidOf = (i: number) => t.getChild('void')!.get(i);
      expect([flag(0), flag(1), flag(2), flag(3)]).toEqual([0, 1, 2, 9]);
      expect([voidOf(0), voidOf(1), voidOf(5)]).toEqual([null, 1, 5]);
      expect(flag(2500)).toBe(1);
      expect(voidOf(2501)).toBe(null);
      const key = await store.query(
        name === 'postgres'
          ? // this file's schema only: another test run beside this one has its own void_membership
            "select count(*) as n from information_schema.table_constraints where table_name = 'void_membership' and constraint_type = 'PRIMARY KEY' and table_schema = current_schema()"
          : "select count(*) as n from duckdb_constraints() where table_name = 'void_membership' and constraint_type = 'PRIMARY KEY'",
      );
      expect(Number(key.getChild('n')!.get(0))).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('writes nothing when the rows are already stored as given, so a re-run leaves a DuckDB file byte for byte', async () => {
    const table = 'membership_again';
    const targetid = ids(10_000, 2000);
    const vflag = Uint8Array.from({ length: 2000 }, (_, i) => [0, 1, 2, 9][i % 3]!);
    const voids = Int32Array.from({ length: 2000 }, (_, i) => (vflag[i] === 1 ? i % 11 : -1));
    expect((await storeMembership(url(), { targetid, vflag, void: voids }, { table, replace: true })).written).toBe(true);
    const bytes = name === 'duckdb' ? readFileSync(url().slice('duckdb:'.length)) : undefined;
    expect((await storeMembership(url(), { targetid, vflag, void: voids }, { table, replace: true })).written).toBe(false);
    expect(
      (await storeMembership(url(), { targetid: targetid.slice(0, 500), vflag: vflag.slice(0, 500), void: voids.slice(0, 500) }, { table }))
        .written,
    ).toBe(false);
    if (bytes) expect(readFileSync(url().slice('duckdb:'.length)).equals(bytes)).toBe(true);
    // one flag changed, or replace with fewer rows than stored: written
    const changed = vflag.slice();
    changed[1999] = changed[1999] === 0 ? 2 : 0;
    expect((await storeMembership(url(), { targetid, vflag: changed, void: voids }, { table, replace: true })).written).toBe(true);
    expect(
      (
        await storeMembership(
          url(),
          { targetid: targetid.slice(0, 500), vflag: changed.slice(0, 500), void: voids.slice(0, 500) },
          { table, replace: true },
        )
      ).written,
    ).toBe(true);
    const store = await openStore(url());
    try {
      expect(Number((await store.query(`select count(*) as n from ${table}`)).getChild('n')!.get(0))).toBe(500);
    } finally {
      await store.close();
    }
  });

  it('writes nothing when the rows are bad or the load fails, and leaves the earlier table as it was', async () => {
    const countRows = async () => {
      const store = await openStore(url());
      try {
        return Number((await store.query('select count(*) as n from void_membership')).getChild('n')!.get(0));
      } finally {
        await store.close();
      }
    };
    const n = await countRows();
    const dup = BigInt64Array.of(1n, 2n, 1n);
    await expect(storeMembership(url(), { targetid: dup, vflag: new Uint8Array(3) })).rejects.toThrow(
      'storeMembership: column targetid: row 2: targetid 1 appears twice (rows 0 and 2): one row per galaxy',
    );
    await expect(storeMembership(url(), { targetid: ids(9000, 2), vflag: Uint8Array.of(0, 5) })).rejects.toThrow(/row 1: vflag 5/);
    // a table of that name without the columns is refused by name
    const store = await openStore(url());
    try {
      await store.run('create table other_membership (targetid bigint, note text)');
      await store.run(
        'create table strict_membership (targetid bigint primary key, vflag smallint not null check (vflag < 2), void integer)',
      );
      await store.run('insert into strict_membership values (1, 0, null)');
    } finally {
      await store.close();
    }
    await expect(
      storeMembership(url(), { targetid: ids(9000, 2), vflag: Uint8Array.of(0, 1) }, { table: 'other_membership' }),
    ).rejects.toThrow(/without column vflag/);
    // a failure after the staging load (the upsert breaks the table's CHECK) rolls all of it back: no staging table,
    // the earlier rows as they were, even with replace (which deleted them first)
    await expect(
      storeMembership(
        url(),
        { targetid: BigInt64Array.of(1n, 2n), vflag: Uint8Array.of(0, 9) },
        { table: 'strict_membership', replace: true },
      ),
    ).rejects.toThrow();
    const check = await openStore(url());
    try {
      const rows = await check.query('select targetid, vflag from strict_membership');
      expect(rows.numRows).toBe(1);
      expect(rows.getChild('targetid')!.get(0)).toBe(1n);
      const staging = await check.query(
        name === 'postgres'
          ? "select count(*) as n from information_schema.tables where table_name = 'strict_membership_staging' and table_schema = current_schema()"
          : "select count(*) as n from information_schema.tables where table_name = 'strict_membership_staging'",
      );
      expect(Number(staging.getChild('n')!.get(0))).toBe(0);
    } finally {
      await check.close();
    }
    expect(await countRows()).toBe(n);
    await expect(storeMembership(url(), { targetid: ids(9000, 2), vflag: Uint8Array.of(0, 1) }, { replace: true })).resolves.toMatchObject({
      rows: 2,
    });
    expect(await countRows()).toBe(2);
  });
});
