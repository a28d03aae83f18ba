import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { ingest, ingestTable, openDuckDb, openStore, type Store } from '../../lib/store/index.js';
import { duckTableChecksum } from '../../lib/store/duckdb/table-checksum.js';
import { tempDir, writeZcatalog } from './store-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Seeded values (a small LCG), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Every column kind the column plans produce, `n` rows: each element kind with nulls, NaN and infinities, empty,
 * non-ASCII and long strings, int64 beyond 2^53, uint64 above 2^63, booleans with nulls, fixed-size vectors (with
 * null cells and null elements), nested fixed-size cells, variable-length lists (empty and null ones).
 */
function everyKind(n: number, seed: number): Table {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T, p = 0.1): T | null => (r() < p ? null : v);
  const rows = Array.from({ length: n }, (_, i) => i);
  const strings = ['', 'main', 'GALAXY', 'éœ∑ naïve', '星系', 'x'.repeat(13), 'BGS_BRIGHT_FAINT_X_'.repeat(20), "it's"];
  const vec = new FixedSizeList(3, new Field('item', new Float64(), true));
  const cell = new FixedSizeList(2, new Field('item', new FixedSizeList(3, new Field('item', new Int16(), true)), true));
  return new Table({
    I8: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 256) - 128)),
      new Int8(),
    ),
    U8: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 256))),
      new Uint8(),
    ),
    I16: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 65536) - 32768)),
      new Int16(),
    ),
    U16: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 65536))),
      new Uint16(),
    ),
    I32: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 2 ** 32) - 2 ** 31)),
      new Int32(),
    ),
    U32: vectorFromArray(
      rows.map(() => maybe(Math.floor(r() * 2 ** 32))),
      new Uint32(),
    ),
    I64: vectorFromArray(
      rows.map((i) => maybe((BigInt(i) << 40n) + 39627000000000000n * (i % 2 ? -1n : 1n))),
      new Int64(),
    ),
    U64: vectorFromArray(
      rows.map((i) => maybe(i % 3 === 0 ? 18446744073709551615n - BigInt(i) : 9223372036854775808n + BigInt(i))),
      new Uint64(),
    ),
    F32: vectorFromArray(
      rows.map(() => maybe(pick([r(), -r() * 1e30, Number.NaN, Infinity, -0]))),
      new Float32(),
    ),
    F64: vectorFromArray(
      rows.map(() => maybe(pick([r(), 1e-300, Number.NaN, -Infinity, -0]))),
      new Float64(),
    ),
    NONULL: vectorFromArray(
      rows.map(() => r()),
      new Float64(),
    ),
    FLAG: vectorFromArray(
      rows.map(() => maybe(r() < 0.5)),
      new Bool(),
    ),
    TEXT: vectorFromArray(
      rows.map(() => maybe(pick(strings))),
      new Utf8(),
    ),
    VEC: vectorFromArray(
      rows.map(() => maybe([maybe(r()), pick([Number.NaN, 1]), r()], 0.05)),
      vec,
    ),
    CELL: vectorFromArray(
      rows.map((i) => [
        [i % 7, -i % 5, maybe(3)],
        [i % 32768, 0, -1],
      ]),
      cell,
    ),
    VLA: vectorFromArray(
      rows.map(() => maybe(Array.from({ length: Math.floor(r() * 4) }, () => maybe(r() * 100, 0.2)))),
      new List(new Field('item', new Float64(), true)),
    ),
  });
}

async function rowsOf(store: Store, table: string): Promise<unknown[]> {
  const t = await store.query(`select * exclude (skybook_load) from ${table} order by rowid`);
  return t.toArray().map((row) => JSON.parse(JSON.stringify(row.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v))));
}

describe('DuckDB Parquet-staged loads (the default path)', () => {
  it('store every column kind cell for cell as the data-chunk path does, across segments and row groups', async () => {
    // Small segments and row groups so one load spans several of each, with a part boundary inside a row group.
    const table = new Table([1000, 1101, 899].flatMap((n, i) => everyKind(n, 11 + i).batches));
    const staged = join(tmp.dir, 'staged.duckdb');
    const chunks = join(tmp.dir, 'chunks.duckdb');
    const into = await openDuckDb(staged, { staging: { segmentRows: 1500, rowGroupRows: 700 } });
    const a = await ingestTable(table, { into, table: 'kinds', source: 'test:kinds' }).finally(() => into.close());
    const b = await ingestTable(table, {
      into: `duckdb:${chunks}`,
      table: 'kinds',
      source: 'test:kinds',
      storeOptions: { duckLoadPath: 'chunks' },
    });
    expect([a.loaded, b.loaded]).toEqual([3000, 3000]);
    const s = await openStore(`duckdb:${staged}`);
    const c = await openStore(`duckdb:${chunks}`);
    try {
      const types = async (st: Store) =>
        (
          await st.query(
            "select column_name, data_type from information_schema.columns where table_name = 'kinds' order by ordinal_position",
          )
        )
          .toArray()
          .map((x) => x.toJSON());
      expect(await types(s)).toEqual(await types(c));
      const got = await rowsOf(s, 'kinds');
      expect(got).toHaveLength(3000);
      expect(got).toEqual(await rowsOf(c, 'kinds'));
      // Spot checks against the input itself, not only against the other path.
      const row7 = table.get(7)!.toJSON();
      expect((got[7] as Record<string, unknown>).text).toBe(row7.TEXT ?? null);
      expect((got[7] as Record<string, unknown>).u64).toBe(row7.U64 === null ? null : `${row7.U64}n`);
      expect(await duckTableChecksum(s, 'kinds')).toBe(await duckTableChecksum(c, 'kinds'));
    } finally {
      await s.close();
      await c.close();
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.skybook-stage-'))).toEqual([]);
  });

  it('loads the same FITS file into two databases with the same row-order checksum, and only the valid rows', async () => {
    const file = join(tmp.dir, 'zcat.fits');
    await writeZcatalog(file, 150_000, 5, { bad: true });
    const sums: string[] = [];
    for (const name of ['one', 'two']) {
      const url = `duckdb:${join(tmp.dir, `${name}.duckdb`)}`;
      const [r] = await ingest(file, { into: url, table: 'zcat', schema: 'zcatalog' });
      expect(r).toMatchObject({ rows: 150_000, loaded: 148_500, quarantined: 1_500 });
      const store = await openStore(url);
      try {
        sums.push(await duckTableChecksum(store, 'zcat'));
        // Stored in the file's order: the row ids ascend with the targetids the generator writes in order.
        const order = await store.query(
          'select count(*) as n from (select targetid < lag(targetid) over (order by rowid) as back from zcat) where back',
        );
        expect(Number(order.get(0)!.toJSON().n)).toBe(0);
      } finally {
        await store.close();
      }
    }
    expect(sums[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(sums[1]).toBe(sums[0]);
  });

  it('loads a table of zero rows as an empty table, through both paths', async () => {
    const empty = everyKind(0, 3);
    for (const path of ['parquet', 'chunks'] as const) {
      const url = `duckdb:${join(tmp.dir, `empty-${path}.duckdb`)}`;
      const r = await ingestTable(empty, { into: url, table: 'kinds', source: 'test:empty', storeOptions: { duckLoadPath: path } });
      expect(r).toMatchObject({ rows: 0, loaded: 0, quarantined: 0, status: 'loaded' });
      const store = await openStore(url);
      try {
        expect(await rowsOf(store, 'kinds')).toEqual([]);
        expect(await duckTableChecksum(store, 'kinds')).toMatch(/^[0-9a-f]{32}$/);
      } finally {
        await store.close();
      }
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.skybook-stage-'))).toEqual([]);
  });

  it('stores nothing and leaves no staging files when a load fails half way', async () => {
    const url = `duckdb:${join(tmp.dir, 'fail.duckdb')}`;
    const store = await openStore(url);
    try {
      await store.run('create table t (x integer, skybook_load integer)');
      const t = new Table({
        X: vectorFromArray(
          Array.from({ length: 10 }, (_, i) => i),
          new Int32(),
        ),
      });
      const plans = [{ name: 'x', index: 0, source: 'X', element: 'int32' as const, dims: [], pgType: 'integer', duckType: 'INTEGER' }];
      async function* parts() {
        for (const batch of t.batches) yield { batch, rows: Int32Array.from({ length: batch.numRows }, (_, i) => i) };
        throw new Error('decoder failed');
      }
      await expect(store.transaction((tx) => tx.load({ name: 't' }, plans, parts(), 1))).rejects.toThrow(/decoder failed/);
      expect(Number((await store.query('select count(*) as n from t')).get(0)!.toJSON().n)).toBe(0);
    } finally {
      await store.close();
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.skybook-stage-'))).toEqual([]);
  });

  it("stores nothing and leaves no staging files when DuckDB refuses a segment's insert", async () => {
    const url = `duckdb:${join(tmp.dir, 'refused.duckdb')}`;
    const store = await openStore(url);
    try {
      await store.run('create table t (x integer not null, skybook_load integer)');
      const t = new Table({ X: vectorFromArray([1, 2, null, 4], new Int32()) });
      const plans = [{ name: 'x', index: 0, source: 'X', element: 'int32' as const, dims: [], pgType: 'integer', duckType: 'INTEGER' }];
      async function* parts() {
        for (const batch of t.batches) yield { batch, rows: Int32Array.from({ length: batch.numRows }, (_, i) => i) };
      }
      await expect(store.transaction((tx) => tx.load({ name: 't' }, plans, parts(), 1))).rejects.toThrow(/NOT NULL/i);
      expect(Number((await store.query('select count(*) as n from t')).get(0)!.toJSON().n)).toBe(0);
    } finally {
      await store.close();
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.skybook-stage-'))).toEqual([]);
  });
});
