import type { RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, sql, type Store } from '../../lib/store/index.js';
import { StoreError } from '../../lib/errors/index.js';
import { storeTestFile } from './store-helpers.js';

// store.stream() and read-only stores (issue 13, item 4), in both engines: the library side of `skybook query`.
const { engines } = storeTestFile(__filename, 'stream.duckdb');

async function batchesOf(it: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe.each(engines)('store.stream on $name', ({ name, url }) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(url());
    await store.run('create table kept (id bigint, name text)');
    await store.run(`insert into kept values (1, 'a'), (9007199254740993, 'b')`);
  });
  afterAll(async () => {
    await store?.close();
  });
  const series = (n: number) =>
    name === 'duckdb' ? `select range as i from range(${n})` : `select g::bigint - 1 as i from generate_series(1, ${n}) g`;

  it('yields batches of batchRows rows (the last shorter), int64 exact, in order', async () => {
    const batches = await batchesOf(store.stream(series(20_000), { batchRows: 5000 }));
    expect(batches.map((b) => b.numRows)).toEqual([5000, 5000, 5000, 5000]);
    const odd = await batchesOf(store.stream(series(12_345), { batchRows: 5000 }));
    expect(odd.map((b) => b.numRows)).toEqual([5000, 5000, 2345]);
    expect(odd[2]!.getChild('i')!.get(2344)).toBe(12_344n);
    const big = await batchesOf(store.stream(sql`select id, name from kept where id > ${1} order by id`));
    expect(big[0]!.getChild('id')!.get(0)).toBe(9007199254740993n);
  });

  it('an empty result is one empty batch that carries its columns', async () => {
    const batches = await batchesOf(store.stream('select id, name from kept where id < 0'));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.numRows).toBe(0);
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('stopping early ends the statement and frees the connection for the next one', async () => {
    for (let k = 0; k < 6; k++) {
      for await (const b of store.stream(series(1_000_000), { batchRows: 1000 })) {
        expect(b.numRows).toBe(1000);
        break;
      }
    }
    const n = await store.query('select count(*) as n from kept');
    expect(Number(n.getChild('n')!.get(0))).toBe(2);
  });

  it('a writable store runs a script in one transaction and yields its last result; a failing one leaves nothing', async () => {
    const last = await batchesOf(store.stream('create table made (x int); insert into made values (7); select x from made'));
    expect(last[0]!.getChild('x')!.get(0)).toBe(7);
    await expect(batchesOf(store.stream('create table half (x int); insert into half values (1); select * from nosuch'))).rejects.toThrow(
      StoreError,
    );
    const tables =
      name === 'duckdb'
        ? "select count(*) as n from duckdb_tables() where table_name = 'half'"
        : "select count(*) as n from pg_tables where tablename = 'half'";
    expect(Number((await store.query(tables)).getChild('n')!.get(0))).toBe(0);
  });

  it('batchRows must be a positive integer', async () => {
    await expect(batchesOf(store.stream('select 1', { batchRows: 0 }))).rejects.toThrow(/invalid batchRows: 0/);
  });

  describe('opened read-only', () => {
    let ro: Store;
    beforeAll(async () => {
      ro = await openStore(url(), { readOnly: true });
    });
    afterAll(async () => {
      await ro?.close();
    });

    it('reads: stream, query and a read-only transaction', async () => {
      const t = await ro.query('select count(*) as n from kept');
      expect(Number(t.getChild('n')!.get(0))).toBe(2);
      const rows = await ro.transaction(async (tx) => {
        const a = await tx.query('select id from kept order by id');
        const b = await batchesOf(tx.stream('select name from kept order by id'));
        return [a.numRows, b[0]!.numRows];
      });
      expect(rows).toEqual([2, 2]);
    });

    it.each([
      ['drop table kept', /refused: DROP is not a reading statement, and the store is read-only \(--write in skybook query/],
      ['insert into kept values (3, null)', /refused: INSERT is not a reading statement/],
      ['select 1; drop table kept', /refused: 2 statements, and a read-only store runs one at a time/],
      ['select * from kept; ', null],
    ])('%j', async (text, refusal) => {
      const run = batchesOf(ro.stream(text));
      if (refusal === null) return expect((await run)[0]!.numRows).toBe(2);
      const e = await run.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).exitCode).toBe(2);
      expect((e as Error).message).toMatch(refusal);
      await expect(ro.query('select count(*) as n from kept')).resolves.toBeDefined(); // still there, still usable
    });

    it('refuses file access by default', async () => {
      const text = name === 'duckdb' ? "select * from read_text('/etc/hostname')" : "select pg_read_file('/etc/hostname')";
      await expect(ro.query(text)).rejects.toThrow(
        /refused: .*file access is off \(--allow-files in skybook query; allowFiles: true in openStore\)/,
      );
    });
  });
});
