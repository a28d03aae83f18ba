import { join } from 'node:path';
import pg from 'pg';
import { Int32, Int64, Table, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coneSearch, ingest, ingestTable, openStore, type Store } from '../../lib/store/index.js';
import { HASH_PARTITIONS, HEALPIX_PARTITION_PIXELS, HEALPIX_PARTITIONS } from '../../lib/store/postgres/partitioning.js';
import { skybook } from '../helpers/cli.js';
import { PG_URL, pgUrlFor, tempDir, uniqueSchema, withSchema, writeZcatalog } from './store-helpers.js';

const ROWS = 30_000;
const schema = uniqueSchema(__filename);
const url = pgUrlFor(schema);
const tmp = tempDir();
const file = join(tmp.dir, 'zcat.fits');
const other = join(tmp.dir, 'other.fits');
let dropSchema: () => Promise<void>;
let db: pg.Client;
let store: Store;

beforeAll(async () => {
  dropSchema = await withSchema(schema);
  await writeZcatalog(file, ROWS, 5);
  await writeZcatalog(other, 100, 6);
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  store = await openStore(url);
  // the same file into a plain table and a table partitioned by HEALPix range, both with the q3c index (--schema)
  await ingest(file, { into: store, table: 'flat', schema: 'zcatalog', progress: false });
  await ingest(file, { into: store, table: 'byhpx', schema: 'zcatalog', partitionBy: 'HEALPIX', progress: false });
}, 180_000);
afterAll(async () => {
  await store.close();
  await db.end();
  await dropSchema();
  tmp.cleanup();
});

/** Rows per partition of a partitioned table, by partition name. */
async function perPartition(table: string): Promise<Map<string, number>> {
  const r = await db.query(
    `select c.relname as part, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', $1::text, c.relname), false, true, '')))[1]::text::int as n
     from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass($2) order by 1`,
    [schema, `${schema}.${table}`],
  );
  return new Map(r.rows.map((x: { part: string; n: number }) => [x.part, x.n]));
}

describe('--partition-by healpix', () => {
  it('makes 12 base-pixel ranges and a default partition; every row lands in its range', async () => {
    const parts = await perPartition('byhpx');
    expect([...parts.keys()]).toEqual([
      ...Array.from({ length: HEALPIX_PARTITIONS }, (_, k) => `byhpx_p${String(k).padStart(2, '0')}`),
      'byhpx_pdefault',
    ]);
    // the count per range, computed from the plain table
    const byRange = await db.query(`select healpix / $1 as k, count(*)::int as n from ${schema}.flat group by 1 order by 1`, [
      HEALPIX_PARTITION_PIXELS,
    ]);
    expect(byRange.rows).toHaveLength(HEALPIX_PARTITIONS);
    for (const { k, n } of byRange.rows as { k: number; n: number }[]) expect(parts.get(`byhpx_p${String(k).padStart(2, '0')}`)).toBe(n);
    expect(parts.get('byhpx_pdefault')).toBe(0);
    const total = await db.query(`select count(*)::int as n from ${schema}.byhpx`);
    expect(total.rows[0].n).toBe(ROWS);
  });

  it('puts HEALPix values outside 0..49151 and NULL in the default partition, refusing none', async () => {
    const t = new Table({
      TARGETID: vectorFromArray([1n, 2n, 3n, 4n], new Int64()),
      HEALPIX: vectorFromArray([-5, 49_152, null, 4_097], new Int32()),
    });
    const r = await ingestTable(t, { into: store, table: 'odd', source: 'test:odd', partitionBy: 'healpix', progress: false });
    expect(r.loaded).toBe(4);
    const parts = await perPartition('odd');
    expect(parts.get('odd_pdefault')).toBe(3);
    expect(parts.get('odd_p01')).toBe(1);
  });

  it('indexes every partition for q3c, and a cone search returns the plain table rows', async () => {
    const idx = await db.query(
      `select count(*)::int as n from pg_indexes where schemaname = $1 and tablename like 'byhpx_p%' and indexdef like '%q3c_ang2ipix%'`,
      [schema],
    );
    expect(idx.rows[0].n).toBe(HEALPIX_PARTITIONS + 1);
    const cols = { ra: 'target_ra', dec: 'target_dec' };
    // centred on a stored row, 2 degrees across, so the cone holds rows from several partitions
    const centre = (await db.query(`select target_ra as ra, target_dec as dec from ${schema}.flat order by targetid limit 1`)).rows[0];
    const ids = async (table: string) =>
      (await coneSearch(store, { table, ...cols }, centre.ra, centre.dec, 7200)).getChild('targetid')!.toArray().map(String).sort();
    const flat = await ids('flat');
    expect(flat.length).toBeGreaterThan(1);
    expect(await ids('byhpx')).toEqual(flat);
  });
});

describe('--partition-by another integer column', () => {
  it('partitions by hash into 16; every row is stored once', async () => {
    await ingest(file, { into: store, table: 'byid', partitionBy: 'targetid', progress: false });
    const parts = await perPartition('byid');
    expect(parts.size).toBe(HASH_PARTITIONS);
    expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(ROWS);
    expect([...parts.values()].every((n) => n > 0)).toBe(true);
    const key = await db.query(`select pg_get_partkeydef(to_regclass($1)) as k`, [`${schema}.byid`]);
    expect(key.rows[0].k).toBe('HASH (targetid)');
  }, 60_000);
});

describe('--partition-by refusals name the column', () => {
  it.each([
    ['a missing column', 'nosuch', 'new1', /table new1: column nosuch: no such column in the HDU to partition by/],
    [
      'a float column',
      'TARGET_RA',
      'new2',
      /column target_ra: cannot partition by a double precision column \(an integer column is needed\)/,
    ],
    ['a string column', 'spectype', 'new3', /column spectype: cannot partition by a text column/],
    [
      'a table made without partitioning',
      'healpix',
      'flat',
      /table exists without partitioning; --partition-by healpix only applies to a new table/,
    ],
    ['a table partitioned by another column', 'healpix', 'byid', /table is partitioned by HASH \(targetid\), not by healpix/],
  ])('%s', async (_, column, table, message) => {
    // another file: the one already loaded would be skipped as unchanged before the table is looked at
    const err = await ingest(other, { into: store, table, partitionBy: column, progress: false }).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode: number },
    );
    expect(err?.message).toMatch(message);
    expect(err?.exitCode).toBe(2);
  });

  it('DuckDB has no partitioning: a clear error', async () => {
    const err = await ingest(file, {
      into: `duckdb:${join(tmp.dir, 'p.duckdb')}`,
      table: 'z',
      partitionBy: 'healpix',
      progress: false,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/--partition-by is for PostgreSQL tables; duckdb partitions nothing/);
  });

  it('the CLI exits 2 naming the column, and the plain table is untouched', async () => {
    const before = await db.query(`select count(*)::int as n from ${schema}.flat`);
    const r = skybook(['ingest', other, '--into', url, '--table', 'flat', '--partition-by', 'healpix']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/table flat: column healpix: table exists without partitioning/);
    const after = await db.query(`select count(*)::int as n from ${schema}.flat`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
