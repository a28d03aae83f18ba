import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { type RecordBatch, Type, type Table, type Vector } from 'apache-arrow';
import { afterAll, beforeAll, expect } from 'vitest';
import { openFits } from '../../lib/fits/index.js';
import type { Store } from '../../lib/store/index.js';
import { writeFits } from '../../lib/fits/writer/index.js';
import { zcatalogBatches, ZCATALOG_SCHEMA } from '../../bench/fits-read/zcatalog.js';

/** The test database (CI starts it); SKYBOOK_PG_URL overrides. */
export const PG_URL = process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name unique to one test file and process, so parallel test files never share tables. */
export function uniqueSchema(testFile: string): string {
  return `t_${basename(testFile).replace(/\W+/g, '_').toLowerCase()}_${process.pid}`.slice(0, 60);
}

/** A PostgreSQL URL whose connections work in `schema` (search_path in the startup options). */
export function pgUrlFor(schema: string): string {
  const u = new URL(PG_URL);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

/** Creates the schema; returns a function that drops it with everything in it. */
export async function withSchema(schema: string): Promise<() => Promise<void>> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.query(`create schema ${schema}`);
  // q3c once, in public, before test files race to install it from inside their loads (the loser's load would fail)
  await c.query('create extension if not exists q3c with schema public').catch(() => {
    /* another test file installed it at the same moment */
  });
  await c.end();
  return async () => {
    const d = new pg.Client({ connectionString: PG_URL });
    await d.connect();
    await d.query(`drop schema if exists ${schema} cascade`);
    await d.end();
  };
}

/** A temporary directory removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'skybook-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One engine a store test runs against, for `describe.each(engines)('... $name', ({ url }) => ...)`. */
export interface EngineCase {
  name: 'duckdb' | 'postgres';
  url: () => string;
}

/**
 * The set-up of a test file that runs against both engines: its own PostgreSQL schema (made before the file's tests,
 * dropped after them) and temp folder (removed after), and the two engines' URLs: an embedded DuckDB file `duckFile`
 * in that folder, and PostgreSQL in that schema. Call it at the top of the file; hooks it registers run first.
 *
 * @example
 * const { tmp, engines } = storeTestFile(__filename, 'q.duckdb');
 * describe.each(engines)('quarantine in $name', ({ url }) => { ... });
 */
export function storeTestFile(
  testFile: string,
  duckFile: string,
): { schema: string; tmp: { dir: string; cleanup: () => void }; engines: EngineCase[] } {
  const schema = uniqueSchema(testFile);
  const tmp = tempDir();
  let dropSchema: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    dropSchema = await withSchema(schema);
  });
  afterAll(async () => {
    await dropSchema?.();
    tmp.cleanup();
  });
  const engines: EngineCase[] = [
    { name: 'duckdb', url: () => `duckdb:${join(tmp.dir, duckFile)}` },
    { name: 'postgres', url: () => pgUrlFor(schema) },
  ];
  return { schema, tmp, engines };
}

/** Kinds of bad row the quarantine test plants, with the column each one breaks. */
export const BAD_KINDS = [
  { kind: 'NaN TARGET_RA', column: 'TARGET_RA' },
  { kind: 'TARGET_DEC out of range', column: 'TARGET_DEC' },
  { kind: 'negative FLUX_IVAR_R', column: 'FLUX_IVAR_R' },
  { kind: 'unknown SPECTYPE', column: 'SPECTYPE' },
  { kind: 'negative ZERR', column: 'ZERR' },
] as const;

/** Row i is planted bad when i % 100 === 37 (1%); its kind cycles through BAD_KINDS. */
export const isBadRow = (i: number): boolean => i % 100 === 37;
export const badKind = (i: number) => BAD_KINDS[Math.floor(i / 100) % BAD_KINDS.length]!;

/** Breaks row `r` of a batch (global row `i`) in place, as `badKind(i)` says. */
function plant(batch: RecordBatch, r: number, i: number): void {
  const col = (name: string) => batch.getChild(name)!.data[0]!;
  switch (badKind(i).column) {
    case 'TARGET_RA':
      (col('TARGET_RA').values as Float64Array)[r] = NaN;
      break;
    case 'TARGET_DEC':
      (col('TARGET_DEC').values as Float64Array)[r] = 95;
      break;
    case 'FLUX_IVAR_R':
      (col('FLUX_IVAR_R').values as Float64Array)[r] = -1;
      break;
    case 'ZERR':
      (col('ZERR').values as Float64Array)[r] = -1e-4;
      break;
    case 'SPECTYPE': {
      // Overwrite the first letter with 'X' in place (same length): GALAXY -> XALAXY, QSO -> XSO, STAR -> XTAR.
      const d = col('SPECTYPE');
      (d.values as Uint8Array)[(d.valueOffsets as Int32Array)[r]!] = 88;
      break;
    }
  }
}

/**
 * Writes a zcatalog-like FITS file (the FITS benchmark's seeded generator, 25 columns, HDU ZCATALOG), optionally with 1%
 * planted bad rows.
 */
export async function writeZcatalog(path: string, rows: number, seed: number, opts: { bad?: boolean } = {}): Promise<void> {
  async function* batches(): AsyncGenerator<RecordBatch> {
    let base = 0;
    for (const b of zcatalogBatches({ rows, seed, batchRows: 50_000 })) {
      if (opts.bad) for (let r = 0; r < b.numRows; r++) if (isBadRow(base + r)) plant(b, r, base + r);
      base += b.numRows;
      yield b;
    }
  }
  await writeFits(path, [{ kind: 'table', table: batches(), schema: ZCATALOG_SCHEMA, name: 'ZCATALOG' }], { overwrite: true });
}

/** A cell as a comparable JS value: lists as arrays, everything else as the engine gave it. */
export function cell(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && typeof (v as Vector).toArray === 'function') return Array.from(v as Iterable<unknown>, cell);
  return v;
}

/** Column `name` of a table as comparable JS values. */
export function column(t: Table, name: string): unknown[] {
  const v = t.getChild(name);
  if (!v) throw new Error(`no column ${name} in ${t.schema.fields.map((f) => f.name).join(',')}`);
  // Plain numeric columns without nulls in one typed-array pass; everything else cell by cell.
  if ((v.type.typeId === Type.Int || v.type.typeId === Type.Float) && v.nullCount === 0)
    return Array.from(v.toArray() as ArrayLike<unknown>);
  return Array.from({ length: t.numRows }, (_, i) => cell(v.get(i)));
}

/** Runs the CLI in this process (test/helpers/cli.ts). */
export { skybookInProcess as cli } from '../helpers/cli.js';

/** Equal as stored: exact for integers (bigint or number), float32 compared after rounding the stored value to float32. */
function same(f: unknown, d: unknown, float32: boolean): boolean {
  if (f === null || d === null) return f === d;
  if (Array.isArray(f)) return Array.isArray(d) && f.length === d.length && f.every((x, i) => same(x, d[i], float32));
  if (typeof f === 'bigint') return (typeof d === 'bigint' || typeof d === 'number' || typeof d === 'string') && BigInt(d) === f;
  if (typeof f === 'number') {
    if (typeof d !== 'number' && typeof d !== 'bigint') return false;
    const n = Number(d);
    if (Number.isNaN(f)) return Number.isNaN(n);
    return float32 ? Math.fround(n) === f : n === f;
  }
  return f === d;
}

function leafType(t: { typeId: Type; children?: { type: unknown }[] }): Type {
  let cur = t;
  while (cur.typeId === Type.FixedSizeList || cur.typeId === Type.List) cur = cur.children![0]!.type as typeof t;
  return cur.typeId === Type.Float && (cur as unknown as { precision: number }).precision === 1 ? (Type.Float32 as never) : cur.typeId;
}

/** Every value of every column of the FITS HDU equals the stored one (row order by the given key). */
export async function expectRoundTrip(store: Store, table: string, file: string, hdu: string, orderBy: string): Promise<number> {
  const fits = await openFits(file);
  const src = await fits.readTable(hdu);
  await fits.close();
  const db = await store.query(`select * from ${table} order by ${orderBy}`);
  expect(db.numRows).toBe(src.numRows);
  let cells = 0;
  const order = column(src, orderBy.toUpperCase())
    .map((v, i) => [v, i] as const)
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))
    .map((x) => x[1]);
  for (const f of src.schema.fields) {
    const fv = column(src, f.name);
    const dv = column(db, f.name.toLowerCase());
    const float32 = leafType(f.type as never) === (Type.Float32 as never);
    order.forEach((srcRow, k) => {
      if (!same(fv[srcRow], dv[k], float32))
        expect.fail(`${table}.${f.name} row ${srcRow}: file ${String(fv[srcRow])} != stored ${String(dv[k])}`);
      cells++;
    });
  }
  return cells;
}
