import { DuckDBInstance } from '@duckdb/node-api';
import { Table, makeBuilder, makeVector, vectorFromArray, Bool, Float64, Utf8 } from 'apache-arrow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESI_TARGET,
  allOf,
  where,
  evaluatePredicate,
  filterTable,
  goodRedshift,
  goodRedshiftBgs,
  whereIn,
  negate,
  anyOf,
  primarySpectrum,
  spectype,
  targetBit,
  toSql,
  bitsClear,
  type Predicate,
} from '../../lib/desi/index.js';
import { mulberry32 } from '../helpers/prng.js';

interface Row {
  id: number;
  ZWARN: bigint;
  DELTACHI2: number | null;
  COADD_FIBERSTATUS: number;
  ZCAT_PRIMARY: boolean;
  SPECTYPE: string;
  DESI_TARGET: bigint;
}

const N = 3000;
const rnd = mulberry32(42);
const rows: Row[] = Array.from({ length: N }, (_, id) => ({
  id,
  ZWARN: rnd() < 0.7 ? 0n : [4n, 1n << 16n, 513n][Math.floor(rnd() * 3)]!,
  DELTACHI2: rnd() < 0.05 ? null : [rnd() * 60, 25, 40][rnd() < 0.9 ? 0 : rnd() < 0.5 ? 1 : 2]!,
  COADD_FIBERSTATUS: rnd() < 0.85 ? 0 : [2, 512, -2147483648][Math.floor(rnd() * 3)]!,
  ZCAT_PRIMARY: rnd() < 0.8,
  SPECTYPE: ['GALAXY', 'QSO', 'STAR'][Math.floor(rnd() * 3)]!,
  DESI_TARGET: [1n << 2n, 1n, (1n << 62n) | 2n, 1n << 60n][Math.floor(rnd() * 4)]!,
}));

const d2 = makeBuilder({ type: new Float64(), nullValues: [null] });
for (const r of rows) d2.append(r.DELTACHI2);
const table = new Table({
  ID: makeVector(Int32Array.from(rows, (r) => r.id)),
  ZWARN: makeVector(BigInt64Array.from(rows, (r) => r.ZWARN)),
  DELTACHI2: d2.finish().toVector(),
  COADD_FIBERSTATUS: makeVector(Int32Array.from(rows, (r) => r.COADD_FIBERSTATUS)),
  ZCAT_PRIMARY: vectorFromArray(
    rows.map((r) => r.ZCAT_PRIMARY),
    new Bool(),
  ),
  SPECTYPE: vectorFromArray(
    rows.map((r) => r.SPECTYPE),
    new Utf8(),
  ),
  DESI_TARGET: makeVector(BigInt64Array.from(rows, (r) => r.DESI_TARGET)),
});

// Each case: a predicate and the same cut written directly on the row objects (nulls never pass, as in SQL).
const CASES: Array<[string, Predicate, (r: Row) => boolean]> = [
  ['goodRedshift', goodRedshift(), (r) => r.ZWARN === 0n && r.DELTACHI2 !== null && r.DELTACHI2 > 25 && r.COADD_FIBERSTATUS === 0],
  ['goodRedshiftBgs', goodRedshiftBgs(), (r) => r.ZWARN === 0n && r.DELTACHI2 !== null && r.DELTACHI2 > 40 && r.COADD_FIBERSTATUS === 0],
  [
    'no fiberstatus',
    goodRedshift({ deltachi2: 10, fiberstatus: false }),
    (r) => r.ZWARN === 0n && r.DELTACHI2 !== null && r.DELTACHI2 > 10,
  ],
  ['primary QSO', allOf(primarySpectrum(), spectype('QSO')), (r) => r.ZCAT_PRIMARY && r.SPECTYPE === 'QSO'],
  ['QSO target bit', targetBit(DESI_TARGET, 'QSO'), (r) => (r.DESI_TARGET & 4n) !== 0n],
  ['SCND_ANY (bit 62)', targetBit(DESI_TARGET, 'SCND_ANY'), (r) => (r.DESI_TARGET & (1n << 62n)) !== 0n],
  ['bitsClear ZWARN', bitsClear('ZWARN', 4n | (1n << 16n)), (r) => (r.ZWARN & (4n | (1n << 16n))) === 0n],
  [
    'or/not with nulls',
    anyOf(negate(where('DELTACHI2', '<=', 30)), whereIn('SPECTYPE', ['STAR'])),
    (r) => (r.DELTACHI2 !== null && r.DELTACHI2 > 30) || r.SPECTYPE === 'STAR',
  ],
  ['not of a null comparison stays excluded', negate(where('DELTACHI2', '>', 20)), (r) => r.DELTACHI2 !== null && !(r.DELTACHI2 > 20)],
];

const ids = (keep: Uint8Array): number[] => [...keep.keys()].filter((i) => keep[i]);

describe('quality predicates on Arrow tables', () => {
  it.each(CASES)('%s selects the rows the direct definition selects', (_name, p, direct) => {
    const got = ids(evaluatePredicate(p, table));
    expect(got).toEqual(rows.filter(direct).map((r) => r.id));
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(N);
  });

  it('filterTable keeps the schema and the typed values (int64 as bigint, bools, strings)', () => {
    const t = filterTable(table, allOf(goodRedshift(), primarySpectrum()));
    const want = rows.filter(
      (r) => r.ZWARN === 0n && r.DELTACHI2 !== null && r.DELTACHI2 > 25 && r.COADD_FIBERSTATUS === 0 && r.ZCAT_PRIMARY,
    );
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(table.schema.fields.map((f) => `${f.name}:${f.type}`));
    expect(t.numRows).toBe(want.length);
    expect(Array.from(t.getChild('ID')!.toArray() as Int32Array)).toEqual(want.map((r) => r.id));
    expect(t.getChild('DESI_TARGET')!.get(0)).toBe(want[0]!.DESI_TARGET);
    expect(filterTable(table, where('ID', '<', 0)).numRows).toBe(0);
  });

  it('names a missing column and what the table has', () => {
    expect(() => evaluatePredicate(where('NOPE', '=', 1), table)).toThrow(/no column 'NOPE'; the table has: ID, ZWARN/);
  });

  it('renders SQL with quoted columns and bound parameters only', () => {
    expect(toSql(goodRedshift({ deltachi2: 40 }))).toEqual({
      sql: '(("ZWARN" = $1) AND ("DELTACHI2" > $2) AND ("COADD_FIBERSTATUS" = $3))',
      params: [0, 40, 0],
    });
    expect(
      toSql(allOf(spectype('QSO'), targetBit(DESI_TARGET, 'QSO')), { placeholder: 'question', rename: (c) => c.toLowerCase() }),
    ).toEqual({
      sql: '(("spectype" = ?) AND (("desi_target" & ?) <> 0))',
      params: ['QSO', 4n],
    });
    expect(toSql(where('we"ird', '!=', "x'; DROP TABLE t; --"), { firstParam: 4 })).toEqual({
      sql: '("we""ird" <> $4)',
      params: ["x'; DROP TABLE t; --"],
    });
  });
});

describe('the same predicates as SQL in DuckDB select the same rows', () => {
  let con: Awaited<ReturnType<Awaited<ReturnType<typeof DuckDBInstance.create>>['connect']>>;
  beforeAll(async () => {
    con = await (await DuckDBInstance.create(':memory:')).connect();
    await con.run(
      'CREATE TABLE z ("ID" INTEGER, "ZWARN" BIGINT, "DELTACHI2" DOUBLE, "COADD_FIBERSTATUS" INTEGER, "ZCAT_PRIMARY" BOOLEAN, "SPECTYPE" VARCHAR, "DESI_TARGET" BIGINT)',
    );
    const values = rows.map(
      (r) =>
        `(${r.id}, ${r.ZWARN}, ${r.DELTACHI2 ?? 'NULL'}, ${r.COADD_FIBERSTATUS}, ${r.ZCAT_PRIMARY}, '${r.SPECTYPE}', ${r.DESI_TARGET})`,
    );
    await con.run(`INSERT INTO z VALUES ${values.join(', ')}`);
  });
  afterAll(() => con?.closeSync());

  it.each(CASES)('%s', async (_name, p) => {
    const { sql, params } = toSql(p);
    const reader = await con.runAndReadAll(`SELECT "ID" FROM z WHERE ${sql} ORDER BY "ID"`, params as never);
    expect(reader.getRows().map((r) => Number(r[0]))).toEqual(ids(evaluatePredicate(p, table)));
  });
});

const PG_URL = process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgClient = new pg.Client({ connectionString: PG_URL });
const HAVE_PG = await pgClient.connect().then(
  () => true,
  () => false,
);

describe.skipIf(!HAVE_PG)(
  HAVE_PG ? 'the same predicates as SQL in PostgreSQL select the same rows' : `skipped: no PostgreSQL at ${PG_URL}`,
  () => {
    const tableName = `skybook_desi_quality_${process.pid}`;
    beforeAll(async () => {
      await pgClient.query(
        `CREATE TEMP TABLE ${tableName} ("ID" integer, "ZWARN" bigint, "DELTACHI2" double precision, "COADD_FIBERSTATUS" integer, "ZCAT_PRIMARY" boolean, "SPECTYPE" text, "DESI_TARGET" bigint)`,
      );
      const values = rows.map(
        (r) =>
          `(${r.id}, ${r.ZWARN}, ${r.DELTACHI2 ?? 'NULL'}, ${r.COADD_FIBERSTATUS}, ${r.ZCAT_PRIMARY}, '${r.SPECTYPE}', ${r.DESI_TARGET})`,
      );
      await pgClient.query(`INSERT INTO ${tableName} VALUES ${values.join(', ')}`);
    });
    afterAll(async () => {
      await pgClient.end();
    });

    it.each(CASES)('%s', async (_name, p) => {
      const { sql, params } = toSql(p);
      const res = await pgClient.query(`SELECT "ID" FROM ${tableName} WHERE ${sql} ORDER BY "ID"`, params);
      expect(res.rows.map((r: { ID: number }) => r.ID)).toEqual(ids(evaluatePredicate(p, table)));
    });
  },
);
