import { isArrowVector } from './json-value.js';

/** How wide one rendered cell may get before it is cut with an ellipsis. */
export const MAX_CELL_CHARS = 60;

/** Significant digits a table shows of a float32 column (about its precision: 24 bits are 7.2 decimal digits). */
export const FLOAT32_DIGITS = 7;
/** Significant digits a table shows of a float64 column (numpy's default print precision); the exact value is in the cell's title. */
export const FLOAT64_DIGITS = 8;

/**
 * How {@link formatCell} writes a value. The defaults write it exactly: floats as the shortest decimal that reads back
 * as the same number.
 *
 * @example
 * const shown: CellFormat = { digits: 8 }; // a float64 column in a table
 * const exact: CellFormat = { float32: true, maxChars: Infinity }; // the title of a float32 cell
 */
export interface CellFormat {
  /** Significant digits for floating-point numbers (trailing zeros dropped); omitted: exact. Whole numbers up to 2^53 stay exact. */
  digits?: number;
  /** The numbers are float32 values (an Arrow Float32 column): exact means the shortest decimal that reads back as the same float32 (as numpy prints a float32), not the float64 expansion. Float32Array items are float32 anyway. */
  float32?: boolean;
  /** Cut the text to this many characters with an ellipsis (default {@link MAX_CELL_CHARS}). */
  maxChars?: number;
}

/**
 * One table cell as text, deterministically: bigints in full (TARGETIDs exceed 2^53), floats as the shortest round-trip
 * decimal (or to `digits` significant digits), dates as ISO strings, lists as `[a, b, …]` (first 8 items), structs as
 * `{k: v}`, null as `null`. Long results are cut to `maxChars` characters (default {@link MAX_CELL_CHARS}).
 *
 * @example
 * formatCell(39627586454521344n); // '39627586454521344'
 * formatCell(new Float32Array([0.1, 2])); // '[0.1, 2]' (float32 items, not 0.10000000149011612)
 * formatCell(0.20043752985109645, { digits: 8 }); // '0.20043753'
 * formatCell(Math.fround(0.1), { float32: true }); // '0.1'
 */
export function formatCell(value: unknown, opts: CellFormat = {}): string {
  const s = format(value, 0, opts.float32 === true, opts.digits);
  const max = opts.maxChars ?? MAX_CELL_CHARS;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The format a table uses for a column of this Arrow type: floats to their precision's significant digits (float32
 * {@link FLOAT32_DIGITS}, float64 {@link FLOAT64_DIGITS}, float16 4), everything else exact. Duck-typed on the type's
 * name (`Float32`, `FixedSizeList[3]<Float32>`), so any copy of apache-arrow works.
 *
 * @example
 * columnFormat(new Float32()); // { digits: 7, float32: true }
 * columnFormat(new Int64()); // {}
 */
export function columnFormat(type: unknown): CellFormat {
  const name = String(type);
  if (!/Float(16|32|64)/.test(name)) return {};
  // A list column of floats reads as its item type.
  if (name.includes('Float16')) return { digits: 4, float32: true };
  if (name.includes('Float32')) return { digits: FLOAT32_DIGITS, float32: true };
  return { digits: FLOAT64_DIGITS };
}

function format(v: unknown, depth: number, f32: boolean, digits: number | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return depth > 0 ? JSON.stringify(v) : v;
  if (typeof v === 'number') return number(v, f32, digits);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (depth > 2) return '…';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return list(Array.from(v as unknown as ArrayLike<unknown>), depth, f32 || v instanceof Float32Array, digits);
  if (isArrowVector(v))
    return list(Array.from(v.toArray() as ArrayLike<unknown>), depth, f32 || /Float(16|32)/.test(String(v.type)), digits);
  if (Array.isArray(v)) return list(v, depth, f32, digits);
  if (typeof v === 'object') {
    // Arrow StructRow and MapRow proxies expose their fields through toJSON().
    const obj = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (obj !== v && (typeof obj !== 'object' || obj === null)) return format(obj, depth, f32, digits);
    const entries = Object.entries(obj as object).map(([k, x]) => `${k}: ${format(x, depth + 1, f32, digits)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

function list(items: unknown[], depth: number, f32: boolean, digits: number | undefined): string {
  const shown = items.slice(0, 8).map((x) => format(x, depth + 1, f32, digits));
  return `[${shown.join(', ')}${items.length > 8 ? `, … (${items.length})` : ''}]`;
}

/** A number exactly (shortest round-trip, in float32 when `f32`), or to `digits` significant digits when that is shorter. */
function number(x: number, f32: boolean, digits: number | undefined): string {
  if (Object.is(x, -0)) return '-0';
  if (!Number.isFinite(x)) return String(x);
  const exact = f32 ? float32Text(x) : String(x);
  if (digits === undefined || Number.isSafeInteger(x) || significantDigits(exact) <= digits) return exact;
  return trimZeros(x.toPrecision(digits));
}

/** The shortest decimal that reads back as the same float32 (at most 9 significant digits suffice). */
function float32Text(x: number): string {
  if (Math.fround(x) !== x) return String(x); // not a float32 value after all: exact as float64
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}

/** Significant digits of a number's shortest text (`0.0125` 3, `1.5e-7` 2, `1200` 2, `1200.5` 5). */
function significantDigits(text: string): number {
  const m = text.replace(/^-/, '').split('e')[0]!;
  return (m.includes('.') ? m.replace('.', '') : m.replace(/0+$/, '')).replace(/^0+/, '').length || 1;
}

/** `0.40000000` -> `0.4`, `1.2000000e+20` -> `1.2e+20`, `15060.000` -> `15060`. */
function trimZeros(text: string): string {
  const [mantissa, exponent] = text.split('e');
  const m = mantissa!.includes('.') ? mantissa!.replace(/0+$/, '').replace(/\.$/, '') : mantissa!;
  return exponent === undefined ? m : `${m}e${exponent}`;
}
