import type { RecordBatch, Vector } from 'apache-arrow';

/** A cell as JSON-safe JS: int64 as decimal strings (exact), NaN/Infinity as strings, list cells as arrays. */
function jsonCell(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'object' && typeof (v as Vector).toArray === 'function') return Array.from(v as Iterable<unknown>, jsonCell);
  return v;
}

/**
 * One row of a batch as JSON text with the file's column names, so a quarantined row keeps every value it had (exact
 * int64, NaN spelled out, NUL bytes escaped by JSON as \u0000).
 *
 * @example
 * rowJson(batch, 17) // '{"TARGETID":"39627...","TARGET_RA":"NaN",...}'
 */
export function rowJson(batch: RecordBatch, row: number): string {
  const o: Record<string, unknown> = {};
  batch.schema.fields.forEach((f, i) => {
    o[f.name] = jsonCell(batch.getChildAt(i)!.get(row));
  });
  return JSON.stringify(o);
}
