import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../lib/errors/index.js';
import { openStore, sql, tableName } from '../../lib/store/index.js';
import { cli, storeTestFile } from './store-helpers.js';

const HOSTILE = [
  "Robert'); drop table sentinel; --",
  'a;b;c',
  'back\\slash\\',
  '"double" and \'single\'',
  '$1 $$ dollar $tag$',
  '\\x00 not a nul',
  'ünïcødé ✓',
  "'; select pg_sleep(10); --",
  '\n\r\t',
];

describe('the sql tag', () => {
  it('binds values as parameters and splices identifiers quoted', () => {
    const q = sql`select ${sql.id('my "t"')}.x from ${sql.id('s', 'my "t"')} where a = ${"it's"} and b in (${1}, ${2n}) ${sql`and c = ${true}`}`;
    expect(q.text).toBe('select "my ""t""".x from "s"."my ""t""" where a = $1 and b in ($2, $3) and c = $4');
    expect(q.values).toEqual(["it's", 1, 2n, true]);
    expect(sql.join([sql.id('a'), sql.id('b')]).text).toBe('"a", "b"');
  });

  it.each([
    ['', /empty/],
    ['a\u0000b', /NUL/],
    ['x'.repeat(64), /63 bytes/],
  ])('refuses the identifier %j', (name, why) => {
    expect(() => sql.id(name)).toThrow(why);
  });

  it('refuses undefined, objects and strings holding NUL as values', () => {
    expect(() => sql`select ${undefined}`).toThrow(/undefined/);
    expect(() => sql`select ${{ a: 1 }}`).toThrow(/cannot bind/);
    expect(() => sql`select ${'nul\u0000inside'}`).toThrow(/contains NUL/);
  });

  it.each([
    ['zcat', { name: 'zcat' }],
    ['DR1.Zcat', { schema: 'dr1', name: 'zcat' }],
    ['_t2', { name: '_t2' }],
  ])('accepts the table name %s', (text, want) => {
    expect(tableName(text)).toEqual(want);
  });

  it.each(['x; drop table y', 'x"', "x'", 'a.b.c', '1abc', 'x y', 'x--', ''])('refuses the table name %j with exit code 2', (text) => {
    let err: unknown;
    try {
      tableName(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).exitCode).toBe(2);
    expect((err as StoreError).message).toContain('invalid --table');
  });
});

const { tmp, engines } = storeTestFile(__filename, 'h.duckdb');

describe.each(engines)('hostile input in $name cannot run SQL', ({ url }) => {
  it('hostile strings are stored and read back as data; hostile identifiers name tables literally', async () => {
    const store = await openStore(url());
    try {
      await store.run('create table sentinel (x integer)');
      await store.run('insert into sentinel values (1)');
      await store.run('create table strings (i integer, s text)');
      for (const [i, s] of HOSTILE.entries()) await store.run(sql`insert into strings values (${i}, ${s})`);
      const back = await store.query(sql`select s from strings where s = any(${HOSTILE}) or i >= ${0} order by i`);
      expect(back.getChild('s')!.toArray()).toEqual(HOSTILE);
      const evil = 'sentinel"; drop table sentinel; --';
      await store.run(sql`create table ${sql.id(evil)} (${sql.id("col'); drop table sentinel; --")} text)`);
      await store.run(sql`insert into ${sql.id(evil)} values (${HOSTILE[0]!})`);
      const evilBack = await store.query(sql`select * from ${sql.id(evil)}`);
      expect(evilBack.schema.fields[0]!.name).toBe("col'); drop table sentinel; --");
      expect(evilBack.getChildAt(0)!.get(0)).toBe(HOSTILE[0]);
      const n = await store.query('select count(*) as n from sentinel');
      expect(Number(n.get(0)!.toJSON().n)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('the CLI refuses hostile --table names with exit code 2 and leaves the database alone', async () => {
    for (const t of ['sentinel; drop table sentinel', 'x"y', "x'); drop table sentinel; --"]) {
      const r = await cli(['ingest', join(tmp.dir, 'whatever.fits'), '--into', url(), '--table', t]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('invalid --table');
    }
    const q = await cli(['query', '--db', url(), 'select count(*) as n from sentinel', '--format', 'csv']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toBe('n\n1\n');
  });
});
