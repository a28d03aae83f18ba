import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSkyIndex, openStore, sql } from '../../lib/store/index.js';
import { PG_URL } from './store-helpers.js';

// createSkyIndex installs q3c in public even when the session's search path starts with another schema: installed in
// a load's own schema, it went with that schema when it was dropped, taking every other table's sky index with it.
// A database of its own, so dropping q3c here touches no other test.
const DB = `skybook_q3c_${process.pid}`;
const admin = () => new pg.Client({ connectionString: PG_URL });
const urlOf = (db: string) => {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  u.searchParams.set('options', '-c search_path=mine,public');
  return u.toString();
};

beforeAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`drop database if exists ${DB}`);
  await c.query(`create database ${DB}`);
  await c.end();
});
afterAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`drop database if exists ${DB} with (force)`);
  await c.end();
});

describe('q3c is installed once, in public', () => {
  it('a sky index made with search_path=mine,public puts q3c in public, and dropping mine keeps it', async () => {
    const store = await openStore(urlOf(DB));
    try {
      await store.run('create schema mine');
      await store.run('create table mine.cat (ra double precision, dec double precision)');
      await store.run(sql`insert into mine.cat values (${150.1}, ${2.2})`);
      await createSkyIndex(store, { table: 'cat', ra: 'ra', dec: 'dec' });
      const where = await store.query(
        "select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'q3c'",
      );
      expect(String(where.getChild('schema')?.get(0))).toBe('public');
      await store.run('drop schema mine cascade');
      const still = await store.query("select count(*)::int as n from pg_extension where extname = 'q3c'");
      expect(Number(still.getChild('n')?.get(0))).toBe(1);
    } finally {
      await store.close();
    }
  });
});
