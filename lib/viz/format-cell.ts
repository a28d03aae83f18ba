import { isArrowVector } from './json-value.js';

/** How wide one rendered cell may get before it is cut with an ellipsis. */
export const MAX_CELL_CHARS = 60;

/**
 * One table cell as text, exactly and deterministically: bigints in full (TARGETIDs exceed 2^53), floats as the
 * shortest round-trip decimal, dates as ISO strings, lists as `[a, b, …]` (first 8 items), structs as `{k: v}`,
 * null as `null`. Long results are cut to {@link MAX_CELL_CHARS} characters.
 *
 * @example
 * formatCell(39627586454521344n); // '39627586454521344'
 * formatCell(new Float32Array([1.5, 2])); // '[1.5, 2]'
 */
export function formatCell(value: unknown): string {
  const s = format(value, 0);
  return s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS - 1)}…` : s;
}

function format(v: unknown, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return depth > 0 ? JSON.stringify(v) : v;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (depth > 2) return '…';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return list(Array.from(v as unknown as ArrayLike<unknown>), depth);
  if (isArrowVector(v)) return list(Array.from(v.toArray() as ArrayLike<unknown>), depth);
  if (Array.isArray(v)) return list(v, depth);
  if (typeof v === 'object') {
    // Arrow StructRow and MapRow proxies expose their fields through toJSON().
    const obj = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (obj !== v && (typeof obj !== 'object' || obj === null)) return format(obj, depth);
    const entries = Object.entries(obj as object).map(([k, x]) => `${k}: ${format(x, depth + 1)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

function list(items: unknown[], depth: number): string {
  const shown = items.slice(0, 8).map((x) => format(x, depth + 1));
  return `[${shown.join(', ')}${items.length > 8 ? `, … (${items.length})` : ''}]`;
}
