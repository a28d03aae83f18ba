import { isUtf8 } from 'node:buffer';
import { Type, type Data, type Vector } from 'apache-arrow';
import type { z } from 'zod';

/**
 * True when element `i` of a column passes; `i` is relative to the Data (its offset is applied inside).
 *
 * @example
 * const ok: CellCheck = (i) => i % 2 === 0;
 */
export type CellCheck = (i: number) => boolean;

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
  checks?: { _zod: { def: { check: string; value?: number | bigint; inclusive?: boolean; format?: string } } }[];
}

const defOf = (s: z.ZodType): ZodDef => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/**
 * Strips optional/nullable wrappers: a column may be absent (optional) or hold nulls (nullable).
 *
 * @example
 * unwrapField(z.number().optional()).optional // true
 */
export function unwrapField(s: z.ZodType): { inner: z.ZodType; optional: boolean; nullable: boolean } {
  let inner = s;
  let optional = false;
  let nullable = false;
  for (;;) {
    const d = defOf(inner);
    if (d.type === 'optional') optional = true;
    else if (d.type === 'nullable') nullable = true;
    else return { inner, optional, nullable };
    inner = d.innerType!;
  }
}

/** A numeric range test from zod's greater_than / less_than checks (number or bigint), or undefined if it has others. */
function rangeTest<T extends number | bigint>(s: z.ZodType): ((v: T) => boolean) | undefined {
  const tests: ((v: T) => boolean)[] = [];
  for (const c of defOf(s).checks ?? []) {
    const { check, value, inclusive, format } = c._zod.def;
    if (check === 'greater_than') tests.push(inclusive ? (v) => v >= (value as T) : (v) => v > (value as T));
    else if (check === 'less_than') tests.push(inclusive ? (v) => v <= (value as T) : (v) => v < (value as T));
    else if (check === 'number_format' && (format === 'safeint' || format === 'int32')) tests.push((v) => Number.isInteger(v));
    else return undefined;
  }
  return (v) => tests.every((t) => t(v));
}

const valid = (d: Data, i: number): boolean => {
  if (d.nullCount <= 0 || !d.nullBitmap) return true;
  const j = d.offset + i;
  return ((d.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
};

/** The typed loops for the schema shapes the DESI products use; undefined when only zod itself can decide. */
function fastCheck(inner: z.ZodType, d: Data, nullable: boolean): CellCheck | undefined {
  const def = defOf(inner);
  const t = d.type.typeId;
  const isNull = (i: number) => !valid(d, i);
  if (
    def.type === 'number' &&
    (t === Type.Float || t === Type.Int) &&
    !(t === Type.Int && (d.type as unknown as { bitWidth: number }).bitWidth === 64)
  ) {
    const range = rangeTest<number>(inner);
    if (!range) return undefined;
    const v = d.values as unknown as ArrayLike<number>;
    return (i) => (isNull(i) ? nullable : Number.isFinite(v[d.offset + i]!) && range(v[d.offset + i]!));
  }
  if (def.type === 'bigint' && t === Type.Int && (d.type as unknown as { bitWidth: number }).bitWidth === 64) {
    const range = rangeTest<bigint>(inner);
    if (!range) return undefined;
    const v = d.values as unknown as ArrayLike<bigint>;
    return (i) => (isNull(i) ? nullable : range(v[d.offset + i]!));
  }
  if (def.type === 'enum' && t === Type.Utf8) {
    const options = Object.values(def.entries!).map((s) => Buffer.from(s, 'utf8'));
    const o = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    return (i) => {
      if (isNull(i)) return nullable;
      const a = o[d.offset + i]!,
        len = o[d.offset + i + 1]! - a;
      return options.some((opt) => opt.length === len && opt.every((b, k) => bytes[a + k] === b));
    };
  }
  if ((def.type === 'string' && t === Type.Utf8) || (def.type === 'boolean' && t === Type.Bool)) {
    return (i) => !isNull(i) || nullable;
  }
  if (def.type === 'array' && (t === Type.FixedSizeList || t === Type.List) && defOf(def.element!).type === 'number') {
    const range = rangeTest<number>(def.element!);
    const child = d.children[0]!;
    if (!range || child.type.typeId !== Type.Float || child.nullCount > 0) return undefined;
    const v = child.values as unknown as ArrayLike<number>;
    const size = t === Type.FixedSizeList ? (d.type as unknown as { listSize: number }).listSize : 0;
    const offs = d.valueOffsets as Int32Array | undefined;
    return (i) => {
      if (isNull(i)) return nullable;
      const a = size ? (d.offset + i) * size : offs![d.offset + i]!;
      const b = size ? a + size : offs![d.offset + i + 1]!;
      for (let k = a; k < b; k++) if (!Number.isFinite(v[child.offset + k]!) || !range(v[child.offset + k]!)) return false;
      return true;
    };
  }
  return undefined;
}

/**
 * A cell as zod sees it: numbers, bigints, strings, booleans, arrays for list cells, null for nulls.
 *
 * @example
 * cellValue(batch.getChild('COEFF')!, 0) // [ -59.1, 102.6, ... ]
 */
export function cellValue(vector: Vector, i: number): unknown {
  const v = vector.get(i) as unknown;
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && typeof (v as Vector).toArray === 'function') return Array.from(v as Iterable<unknown>);
  return v;
}

/**
 * Compiles one zod field schema into a per-cell check over one Arrow column: typed loops for the common shapes (numbers
 * with ranges, int64 as bigint, enums compared as bytes, numeric vectors), zod's own `safeParse` per cell otherwise.
 *
 * @example
 * const ok = columnCheck(z.number().gte(0).lt(360), batch.getChild('TARGET_RA')!); ok(0) // true
 */
export function columnCheck(field: z.ZodType, vector: Vector): CellCheck {
  const { inner, nullable } = unwrapField(field);
  const d = vector.data[0]!;
  const fast = vector.data.length === 1 ? fastCheck(inner, d, nullable) : undefined;
  if (fast) return fast;
  return (i) => {
    const v = cellValue(vector, i);
    return v === null ? nullable : inner.safeParse(v).success;
  };
}

/**
 * Where the bytes of a string cell stop being UTF-8: the index of the first byte of the first invalid sequence
 * (a stray continuation byte, a truncated, overlong or surrogate sequence, a code point past U+10FFFF), or -1.
 *
 * @example
 * firstInvalidUtf8(Buffer.from([0x41, 0xff, 0x42])) // 1
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i; // not a lead byte, or the sequence is cut short
    // the second byte's range rules out overlong forms, surrogates and code points past U+10FFFF
    const c1 = b[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Up to 16 bytes around `at` in hex (`4e 41 ff 45`), with `...` where the cell goes on. */
function hexExcerpt(b: Uint8Array, at: number): string {
  const from = Math.max(0, at - 8);
  const to = Math.min(b.length, at + 8);
  const hex = Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return `${from > 0 ? '... ' : ''}${hex}${to < b.length ? ' ...' : ''}`;
}

/**
 * A check of the bytes of a string column (scalar or in fixed-size lists) that both engines must refuse: NUL, which
 * PostgreSQL text cannot store, and bytes that are not UTF-8 (a FITS string is bytes: 0xFF made DuckDB store NULL
 * silently and PostgreSQL fail the whole file). `reason(i)` says which and where, with a hex excerpt. Undefined for a
 * column that is not a string column or whose bytes are all clean, the common case, found in one pass over the
 * column's bytes (valid as a whole, and no cell starting inside a character).
 *
 * @example
 * const c = stringBytesCheck(batch.getChild('SPECTYPE')!); c?.check(3) // false if row 3 holds a NUL or 0xFF
 * c?.reason(3) // 'SPECTYPE: invalid UTF-8 at byte 2 of 6: 51 53 ff 4f 58 58 (PostgreSQL and DuckDB store text as UTF-8)'
 */
export function stringBytesCheck(vector: Vector, name: string): { check: CellCheck; reason(i: number): string } | undefined {
  let d = vector.data[0]!;
  let per = 1;
  while (d.type.typeId === Type.FixedSizeList) {
    per *= (d.type as unknown as { listSize: number }).listSize;
    d = d.children[0]!;
  }
  if (d.type.typeId !== Type.Utf8 || vector.data.length !== 1) return undefined;
  const bytes = d.values as Uint8Array;
  const o = d.valueOffsets as Int32Array;
  const lo = o[d.offset]!;
  const hi = o[d.offset + d.length]!;
  let clean = bytes.subarray(lo, hi).indexOf(0) < 0 && isUtf8(bytes.subarray(lo, hi));
  for (let e = 1; clean && e < d.length; e++) if ((bytes[o[d.offset + e]!]! & 0xc0) === 0x80 && o[d.offset + e]! < hi) clean = false;
  if (clean) return undefined;
  const outer = vector.data[0]!;
  const cell = (e: number) => bytes.subarray(o[d.offset + e]!, o[d.offset + e + 1]!);
  const elements = (i: number) => {
    const start = outer.type.typeId === Type.FixedSizeList ? (outer.offset + i) * per : i;
    return Array.from({ length: per }, (_, k) => start + k);
  };
  const bad = (b: Uint8Array) => b.indexOf(0) >= 0 || !isUtf8(b);
  return {
    check: (i) => !elements(i).some((e) => bad(cell(e))),
    reason: (i) => {
      const e = elements(i).find((x) => bad(cell(x)))!;
      const b = cell(e);
      const at = per > 1 ? ` [${e - elements(i)[0]!}]` : '';
      if (b.indexOf(0) >= 0) return `${name}${at}: string contains NUL (U+0000), which PostgreSQL text cannot store`;
      const k = firstInvalidUtf8(b);
      return `${name}${at}: invalid UTF-8 at byte ${k} of ${b.length}: ${hexExcerpt(b, k)} (PostgreSQL and DuckDB store text as UTF-8)`;
    },
  };
}
