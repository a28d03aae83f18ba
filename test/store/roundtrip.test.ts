import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  Uint64,
  Uint8,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { writeFits } from '../../lib/fits/writer/index.js';
import { ingest, openStore } from '../../lib/store/index.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';
import { expectRoundTrip, pgUrlFor, tempDir, uniqueSchema, withSchema, writeZcatalog } from './store-helpers.js';

const schema = uniqueSchema(__filename);
let dropSchema: () => Promise<void>;
const tmp = tempDir();
const ENGINES = [
  { name: 'duckdb', url: () => `duckdb:${join(tmp.dir, 'rt.duckdb')}` },
  { name: 'postgres', url: () => pgUrlFor(schema) },
];

/** A table with every mapped type: unsigned incl. uint64 beyond int64, nulls (TNULL, undefined logicals), TDIM cells, VLA. */
function typedTable(): Table {
  const n = 5;
  const u64 = [0n, 1n, 9223372036854775807n, 9223372036854775808n, 18446744073709551615n];
  const tdimType = new FixedSizeList(2, new Field('item', new FixedSizeList(3, new Field('item', new Float32(), true)), true));
  return new Table({
    ID: vectorFromArray([1n, 2n, 3n, 4n, 5n], new Int64()),
    U64: vectorFromArray(u64, new Uint64()),
    U16: vectorFromArray([0, 1, 65535, 32768, 7], new Uint16()),
    U8: vectorFromArray([0, 255, 128, 1, 2], new Uint8()),
    I8: vectorFromArray([-128, 127, 0, -1, 5], new Int8()),
    I16N: vectorFromArray([1, null, -32768, 32767, null], new Int16()),
    I32: vectorFromArray([-2147483648, 2147483647, 0, 1, -1], new Int32()),
    FLAG: vectorFromArray([true, false, null, true, false], new Bool()),
    F64: vectorFromArray([0.1, -0, Infinity, NaN, 1e-300], new Float64()),
    TEXT: vectorFromArray(["it's", 'a;b', 'back\\slash', '"quoted"', "x'); drop table rt_typed; --"], new Utf8()),
    CELL: vectorFromArray(
      Array.from({ length: n }, (_, r) => [
        [r, r + 0.5, -r],
        [NaN, 2 * r, 1e30],
      ]),
      tdimType,
    ),
    VLA: vectorFromArray([[1.5, 2.5], [], [3], [4, 5, 6, 7], [NaN]], new List(new Field('item', new Float64(), true))),
  });
}

beforeAll(async () => {
  dropSchema = await withSchema(schema);
});
afterAll(async () => {
  await dropSchema();
  tmp.cleanup();
});

describe.each(ENGINES)('round trip into $name', ({ url }) => {
  it.skipIf(!HAVE_FIXTURES)(
    'the real DESI redrock file: REDSHIFTS, FIBERMAP, EXP_FIBERMAP, every value equal',
    async () => {
      const rr = join(FIXTURES, 'desi', 'redrock-special-dark-27247.fits');
      const [a] = await ingest(rr, { into: url(), table: 'redshifts', schema: 'redrock' });
      const [b] = await ingest(rr, { into: url(), table: 'fibermap', schema: 'fibermap' });
      const [c] = await ingest(rr, { into: url(), table: 'exp_fibermap', hdu: 'EXP_FIBERMAP' });
      expect([a!.loaded, a!.quarantined, b!.loaded, c!.loaded, c!.rows]).toEqual([1, 0, 1, 20, 20]);
      const store = await openStore(url());
      try {
        expect(await expectRoundTrip(store, 'redshifts', rr, 'REDSHIFTS', 'targetid')).toBe(12);
        expect(await expectRoundTrip(store, 'fibermap', rr, 'FIBERMAP', 'targetid')).toBeGreaterThan(70);
        expect(await expectRoundTrip(store, 'exp_fibermap', rr, 'EXP_FIBERMAP', 'mjd')).toBe(20 * 29);
      } finally {
        await store.close();
      }
    },
    NO_FIXTURES_MESSAGE as never,
  );

  it('a zcatalog-like table (8,000 rows, seeded): every value equal', async () => {
    const file = join(tmp.dir, 'zcat-8000.fits');
    await writeZcatalog(file, 8_000, 7);
    const [r] = await ingest(file, { into: url(), table: 'zcat', schema: 'zcatalog' });
    expect(r).toMatchObject({ rows: 8_000, loaded: 8_000, quarantined: 0, status: 'loaded' });
    const store = await openStore(url());
    try {
      expect(await expectRoundTrip(store, 'zcat', file, 'ZCATALOG', 'targetid')).toBe(8_000 * 25);
    } finally {
      await store.close();
    }
  });

  it('every mapped type: uint64 beyond int64, unsigned, nulls, TDIM cells, variable-length arrays, hostile strings', async () => {
    const file = join(tmp.dir, 'typed.fits');
    await writeFits(file, [{ kind: 'table', table: typedTable(), name: 'TYPED' }], { overwrite: true });
    const [r] = await ingest(file, { into: url(), table: 'rt_typed' });
    expect(r!.loaded).toBe(5);
    const store = await openStore(url());
    try {
      expect(await expectRoundTrip(store, 'rt_typed', file, 'TYPED', 'id')).toBe(5 * 12);
      // uint64 values beyond int64 are exact in the database itself, not only after our decoding.
      const big = await store.query(
        "select count(*) as n from rt_typed where u64 = cast('18446744073709551615' as numeric(20,0)) or cast(u64 as varchar) = '18446744073709551615'",
      );
      expect(Number(big.get(0)!.toJSON().n)).toBe(1);
    } finally {
      await store.close();
    }
  });
});
