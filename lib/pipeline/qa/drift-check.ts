import { isAbsolute, resolve } from 'node:path';
import { Type, type Table } from 'apache-arrow';
import { PipelineError, type PipelineLocation } from '../../errors/index.js';
import { openFits } from '../../fits/index.js';
import { openStore, sql, tableId, type SqlQuery, type Store } from '../../store/index.js';
import type { DriftCheck, DriftReference } from './checks-file.js';
import { ksTwoSample } from './ks-test.js';
import type { QaResult } from './qa-report.js';
import { NAN, type CheckedRows } from './table-scan.js';
import { kindOf, tableColumns, TableColumns } from './table-columns.js';
import { num } from './thresholds.js';

/**
 * Where a drift check runs: the rows of the checked table, the store (for a reference table), the folder a reference
 * file's path is relative to (the checks file's), and where the check sits in the checks file.
 *
 * @example
 * const ctx: DriftContext = { rows, columns, table: 'zcat', name: 'zcat.Z.drift', baseDir: '.', where: { file: 'CHECKS.yaml', line: 9, col: 9 } };
 */
export interface DriftContext {
  rows: CheckedRows;
  /** The checked table's columns. */
  columns: TableColumns;
  table: string;
  baseDir: string;
  where: PipelineLocation;
  /** The name to give the check (`zcat.Z.drift`, or `zcat.Z.drift.2` for a second drift check of one column). */
  name: string;
}

/**
 * The distribution of a column against a reference sample by the two-sample KS statistic: the column's non-null,
 * non-NaN values in the checked rows against the reference's (a table in the same store, a Parquet file or a FITS
 * table HDU). Passes when D <= `ks.max`.
 *
 * @example
 * const r = await driftCheck({ column: 'Z', reference: { table: 'zcat_ref' }, ks: { max: 0.1 } }, ctx);
 */
export async function driftCheck(check: DriftCheck, ctx: DriftContext): Promise<QaResult> {
  const stored = ctx.columns.find(check.column, ctx.where);
  if (stored.kind !== 'float' && stored.kind !== 'number')
    throw new PipelineError(`drift: column ${check.column} is not numeric`, { ...ctx.where, column: check.column });
  const sample = await tableSample(ctx.rows, stored.name, stored.kind === 'float');
  const ref = await referenceSample(check.reference, check.reference.column ?? check.column, ctx);
  if (sample.length === 0 || ref.values.length === 0) {
    return result(
      check,
      ctx,
      null,
      false,
      `no values to compare (${sample.length} in ${ctx.table}, ${ref.values.length} in ${ref.label})`,
      {},
    );
  }
  const ks = ksTwoSample(sample, ref.values);
  const passed = ks.statistic <= check.ks.max;
  const message =
    `KS D = ${num(ks.statistic)} (p = ${num(ks.pValue)}) between ${ctx.table}.${check.column} (n = ${ks.n1}) and ` +
    `${ref.label} (n = ${ks.n2})${passed ? '' : `, allowed <= ${num(check.ks.max)}`}`;
  return result(check, ctx, ks.statistic, passed, message, {
    p_value: ks.pValue,
    n: ks.n1,
    reference_n: ks.n2,
    location: ks.location,
  });
}

function result(
  check: DriftCheck,
  ctx: DriftContext,
  value: number | null,
  passed: boolean,
  message: string,
  observed: Record<string, number>,
): QaResult {
  return { name: ctx.name, table: ctx.table, column: check.column, check: 'drift', value, threshold: check.ks, passed, message, observed };
}

/** A column's values in the checked rows, nulls and NaNs left out. */
async function tableSample(rows: CheckedRows, column: string, isFloat: boolean): Promise<Float64Array> {
  const c = sql.id(column);
  const keep = isFloat ? sql`${c} is not null and ${c} <> ${NAN}` : sql`${c} is not null`;
  const t = await rows.query(sql`select cast(${c} as double precision) as v from ${tableId(rows.table)} ${rows.where(keep)}`);
  return valuesOf(t, 'v');
}

/** The reference sample and how a message names it. */
async function referenceSample(ref: DriftReference, column: string, ctx: DriftContext): Promise<{ values: Float64Array; label: string }> {
  const where = { ...ctx.where, column };
  if (ref.table !== undefined) {
    const cols = await tableColumns(ctx.rows.store, ref.table, where);
    const stored = cols.find(column, where);
    const c = sql.id(stored.name);
    const conds: SqlQuery[] = [sql`${c} is not null`];
    if (stored.kind === 'float') conds.push(sql`${c} <> ${NAN}`);
    if (ref.where) conds.unshift(sql`(${sql.raw(ref.where)})`);
    const t = await ctx.rows.query(
      sql`select cast(${c} as double precision) as v from ${tableId(cols.table)} where ${sql.join(conds, ' and ')}`,
    );
    return { values: valuesOf(t, 'v'), label: `${ref.table}.${stored.name}` };
  }
  const path = isAbsolute(ref.parquet ?? ref.file!) ? (ref.parquet ?? ref.file!) : resolve(ctx.baseDir, ref.parquet ?? ref.file!);
  if (ref.parquet !== undefined) return { values: await parquetSample(path, column, where), label: `${ref.parquet}:${column}` };
  return { values: await fitsSample(path, ref.hdu ?? 1, column, where), label: `${ref.file}[${ref.hdu ?? 1}]:${column}` };
}

/** A Parquet column through an in-memory DuckDB that may read files (the checked store itself reads no files). */
async function parquetSample(path: string, column: string, where: PipelineLocation): Promise<Float64Array> {
  const duck: Store = await openStore('duckdb::memory:', { allowFiles: true });
  try {
    const from = sql`read_parquet(${path})`;
    const schema = await tryRead(() => duck.query(sql`select * from ${from} limit 0`), path, where);
    const cols = new TableColumns(
      { name: path },
      schema.schema.fields.map((f) => ({ name: f.name, kind: kindOf(f) })),
    );
    const stored = cols.find(column, { ...where, file: path });
    const c = sql.id(stored.name);
    const keep = stored.kind === 'float' ? sql`${c} is not null and ${c} <> ${NAN}` : sql`${c} is not null`;
    const t = await duck.query(sql`select cast(${c} as double precision) as v from ${from} where ${keep}`);
    return valuesOf(t, 'v');
  } finally {
    await duck.close();
  }
}

/** A FITS binary-table column (matched ignoring case, as FITS names are upper case), nulls and NaNs left out. */
async function fitsSample(path: string, hdu: string | number, column: string, where: PipelineLocation): Promise<Float64Array> {
  const fits = await tryRead(() => openFits(path), path, where);
  try {
    const t = await fits.readTable(hdu);
    const cols = new TableColumns(
      { name: path },
      t.schema.fields.map((f) => ({ name: f.name, kind: kindOf(f) })),
    );
    const stored = cols.find(column, { ...where, file: path });
    if (stored.kind !== 'float' && stored.kind !== 'number')
      throw new PipelineError(`drift: column ${column} of ${path} is not numeric`, where);
    return valuesOf(t, stored.name);
  } finally {
    await fits.close();
  }
}

async function tryRead<T>(fn: () => Promise<T>, path: string, where: PipelineLocation): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new PipelineError(`reference ${path}: ${(e as Error).message}`, where, 2, { cause: e });
  }
}

/** A numeric column as doubles, nulls and NaNs dropped (a float64 column without nulls in one typed-array pass). */
function valuesOf(t: Table, column: string): Float64Array {
  const v = t.getChild(column)!;
  const out = new Float64Array(v.length);
  let n = 0;
  if (v.type.typeId === Type.Float && v.nullCount === 0) {
    for (const x of v.toArray() as Float64Array | Float32Array) if (!Number.isNaN(x)) out[n++] = x;
    return out.subarray(0, n);
  }
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i) as number | bigint | null;
    if (x === null) continue;
    const d = Number(x);
    if (!Number.isNaN(d)) out[n++] = d;
  }
  return out.subarray(0, n);
}
