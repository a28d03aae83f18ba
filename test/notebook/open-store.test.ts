import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebook, openStore } from '../../lib/index.js';
import { ingestTable, openStore as openWritable, sql } from '../../lib/store/index.js';
import { pgUrlFor, tempDir, uniqueSchema, withSchema } from '../store/store-helpers.js';

// The notebook's openStore (the curated root's, preloaded in the kernel): a DuckDB file or PostgreSQL opens read-only
// unless asked, a write is refused before it runs with the way to ask, and { readOnly: false } writes.
const tmp = tempDir();
const schema = uniqueSchema(__filename);
let dropSchema: (() => Promise<void>) | undefined;
beforeAll(async () => {
  dropSchema = await withSchema(schema);
});
afterAll(async () => {
  await dropSchema?.();
  tmp.cleanup();
});

const HOW = /read-only \(--write in skybook query; readOnly: false in openStore\)/;

it('is the root openStore, and lives in the notebook namespace', () => {
  expect(openStore).toBe(notebook.openStore);
});

describe.each([
  { name: 'duckdb', url: () => `duckdb:${join(tmp.dir, 'nb.duckdb')}` },
  { name: 'postgres', url: () => pgUrlFor(schema) },
])('a notebook opening $name', ({ url }) => {
  beforeAll(async () => {
    const w = await openWritable(url());
    await w.run('create table stars (id bigint, mag double precision)');
    await w.run('insert into stars values (1, 20.5), (2, 21.25)');
    await w.close();
  });

  it('reads by default, and every kind of write is refused with the way to ask', async () => {
    const db = await openStore(url());
    try {
      const t = await db.query(sql`select count(*) as n from stars`);
      expect(Number(t.get(0)!.toJSON().n)).toBe(2);
      for (const stmt of ['insert into stars values (3, 22)', 'delete from stars', 'drop table stars', 'create table x (y int)'])
        await expect(db.run(stmt), stmt).rejects.toThrow(HOW);
      await expect(db.run('insert into stars values (3, 22)')).rejects.toMatchObject({ exitCode: 2 });
      const more = tableFromArrays({ ID: BigInt64Array.from([9n]), MAG: Float64Array.from([19]) });
      await expect(ingestTable(more, { into: db, table: 'more', source: 'notebook:more' })).rejects.toThrow(HOW);
    } finally {
      await db.close();
    }
    const check = await openWritable(url());
    expect(Number((await check.query('select count(*) as n from stars')).get(0)!.toJSON().n)).toBe(2);
    await check.close();
  });

  it('writes when asked with { readOnly: false }', async () => {
    const db = await openStore(url(), { readOnly: false });
    try {
      await db.run('insert into stars values (3, 22.0)');
      const t = await db.query('select count(*) as n from stars');
      expect(Number(t.get(0)!.toJSON().n)).toBe(3);
    } finally {
      await db.close();
    }
  });
});

it('refuses a missing DuckDB file instead of making an empty one; made when writing is asked', async () => {
  const path = join(tmp.dir, 'typo.duckdb');
  await expect(openStore(`duckdb:${path}`)).rejects.toThrow(/typo\.duckdb: no such file/);
  expect(existsSync(path)).toBe(false);
  const db = await openStore(`duckdb:${path}`, { readOnly: false });
  await db.run('create table t (x int)');
  await db.close();
  expect(existsSync(path)).toBe(true);
});

it('opens duckdb::memory: writable with file access: it holds only what the notebook puts in it', async () => {
  const mem = await openStore('duckdb::memory:');
  try {
    await mem.run('create table t as select 42 as answer');
    expect((await mem.query('select answer from t')).get(0)!.toJSON().answer).toBe(42);
  } finally {
    await mem.close();
  }
});
