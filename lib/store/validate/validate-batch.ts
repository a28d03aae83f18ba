import type { RecordBatch, Schema } from 'apache-arrow';
import type { z } from 'zod';
import type { ProductSchema } from '../schemas/desi-schemas.js';
import { StoreError, type StoreLocation } from '../../errors/index.js';
import { cellValue, columnCheck, stringBytesCheck, unwrapField, type CellCheck } from './column-check.js';

/**
 * A row that failed validation: its index in the batch and why, one reason per failing column.
 *
 * @example
 * const r: RejectedRow = { row: 37, reasons: ['TARGET_RA: Invalid input: expected number, received NaN'] };
 */
export interface RejectedRow {
  row: number;
  reasons: string[];
}

/**
 * The outcome for one batch: rows to load (ascending) and rows for the quarantine.
 *
 * @example
 * const { good, rejected }: BatchVerdict = validateBatch(batch);
 */
export interface BatchVerdict {
  good: Int32Array;
  rejected: RejectedRow[];
}

/** Finds a schema column in the Arrow schema: exact name, else case-insensitive (as FITS readers match names). */
function fieldIndex(schema: Schema, name: string): number {
  const exact = schema.fields.findIndex((f) => f.name === name);
  return exact >= 0 ? exact : schema.fields.findIndex((f) => f.name.toUpperCase() === name.toUpperCase());
}

/**
 * Checks that a table has every column the product schema requires; names the first missing one (exit code 2).
 *
 * @example
 * requireColumns(PRODUCT_SCHEMAS.redrock, batch.schema, { file: 'redrock.fits', hdu: 'REDSHIFTS' });
 */
export function requireColumns(product: ProductSchema, schema: Schema, where: StoreLocation): void {
  for (const [name, field] of Object.entries(product.row.shape)) {
    if (!unwrapField(field as z.ZodType).optional && fieldIndex(schema, name) < 0) {
      throw new StoreError(`missing column ${name} required by --schema ${product.name}`, { ...where, column: name });
    }
  }
}

/**
 * Validates a batch: every row against the product's zod schema (when given) and every string cell's bytes, with or
 * without a schema: NUL and bytes that are not UTF-8 are refused (both engines would lose or reject them), the reason
 * naming the column with a hex excerpt. Typed per-column checks find the bad rows; zod's own `safeParse` of each such
 * row gives the schema's reasons, so those are zod's messages and a row zod accepts is never quarantined for them.
 *
 * @example
 * const { good, rejected } = validateBatch(batch, PRODUCT_SCHEMAS.zcatalog);
 */
export function validateBatch(batch: RecordBatch, product?: ProductSchema): BatchVerdict {
  const checks: Check[] = [];
  const shape = (product?.row.shape ?? {}) as Record<string, z.ZodType>;
  const present: Record<string, number> = {};
  for (const [name, field] of Object.entries(shape)) {
    const idx = fieldIndex(batch.schema, name);
    if (idx < 0) continue;
    present[name] = idx;
    checks.push({ name, check: columnCheck(field, batch.getChildAt(idx)!) });
  }
  batch.schema.fields.forEach((f, idx) => {
    const c = stringBytesCheck(batch.getChildAt(idx)!, f.name);
    if (c) checks.push({ name: f.name, check: c.check, reason: c.reason });
  });
  const n = batch.numRows;
  const good = new Int32Array(n);
  let ng = 0;
  const rejected: RejectedRow[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const c of checks)
      if (!c.check(i)) {
        ok = false;
        break;
      }
    if (ok) {
      good[ng++] = i;
      continue;
    }
    const reasons = reasonsFor(batch, i, checks, shape, present);
    if (reasons.length) rejected.push({ row: i, reasons });
    else good[ng++] = i;
  }
  return { good: good.subarray(0, ng), rejected };
}

/** One per-cell check; `reason` for the checks of string bytes, which say themselves what is wrong (zod says the rest). */
interface Check {
  name: string;
  check: CellCheck;
  reason?(i: number): string;
}

function reasonsFor(
  batch: RecordBatch,
  i: number,
  checks: Check[],
  shape: Record<string, z.ZodType>,
  present: Record<string, number>,
): string[] {
  const reasons: string[] = [];
  if (Object.keys(present).length) {
    const row: Record<string, unknown> = {};
    for (const [name, idx] of Object.entries(present)) row[name] = cellValue(batch.getChildAt(idx)!, i);
    for (const [name, field] of Object.entries(shape)) {
      if (!(name in row)) continue;
      const r = (field as z.ZodType).safeParse(row[name]);
      if (!r.success)
        for (const issue of r.error.issues)
          reasons.push(`${[name, ...issue.path.map(String)].join('.')}: ${issue.message} (value ${show(row[name])})`);
    }
  }
  for (const c of checks) if (c.reason && !c.check(i)) reasons.push(c.reason(i));
  return reasons;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return JSON.stringify(v) ?? String(v);
}
