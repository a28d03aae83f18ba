import type { Data, RecordBatch } from 'apache-arrow';
import type { ColumnPlan, ElementKind } from '../column-plan.js';

/**
 * PostgreSQL's binary COPY format, written straight from Arrow buffers (no JS value per cell): the 19-byte header, then per
 * row an int16 field count and per field an int32 length (-1 for NULL) and the value in network byte order; arrays as
 * `ndim, hasnull, element oid, (size, lower bound) per axis, elements`; uint64 as NUMERIC's base-10000 digits.
 * Rows are laid out first (a size pass), then each column writes all its cells in one monomorphic loop.
 */

/**
 * `PGCOPY\n\377\r\n\0`, flags 0, header extension length 0.
 *
 * @example
 * stream.write(COPY_HEADER);
 */
export const COPY_HEADER = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/**
 * The file trailer: a field count of -1.
 *
 * @example
 * stream.write(COPY_TRAILER); stream.end();
 */
export const COPY_TRAILER = Uint8Array.from([0xff, 0xff]);

/** Bytes of a stored element, or -1 when it varies (strings, NUMERIC). */
const FIXED: Record<ElementKind, number> = {
  bool: 1,
  int8: 2,
  uint8: 2,
  int16: 2,
  uint16: 4,
  int32: 4,
  uint32: 8,
  int64: 8,
  uint64: -1,
  float32: 4,
  float64: 8,
  string: -1,
};

/** PostgreSQL type OIDs of the stored elements (for array headers). */
const OID: Record<ElementKind, number> = {
  bool: 16,
  int8: 21,
  uint8: 21,
  int16: 21,
  uint16: 23,
  int32: 23,
  uint32: 20,
  int64: 20,
  uint64: 1700,
  float32: 700,
  float64: 701,
  string: 25,
};

interface Leaf {
  data: Data;
  values: ArrayBufferView & { length: number };
  offsets?: Int32Array;
  valid?: Uint8Array;
  offset: number;
}

function leafOf(data: Data): Leaf {
  return {
    data,
    values: data.values as never,
    offsets: data.valueOffsets as Int32Array | undefined,
    valid: data.nullCount > 0 ? data.nullBitmap : undefined,
    offset: data.offset,
  };
}

const isValid = (l: Leaf, i: number): boolean => !l.valid || ((l.valid[(l.offset + i) >> 3]! >> ((l.offset + i) & 7)) & 1) === 1;

/** NUMERIC's base-10000 digit groups of a non-negative integer, most significant first, trailing zero groups dropped. */
function numericDigits(v: bigint): { digits: number[]; weight: number } {
  if (v === 0n) return { digits: [], weight: 0 };
  const groups: number[] = [];
  for (let x = v; x > 0n; x /= 10000n) groups.unshift(Number(x % 10000n));
  const weight = groups.length - 1;
  while (groups.length && groups[groups.length - 1] === 0) groups.pop();
  return { digits: groups, weight };
}

/** Size in bytes of element `i` of a leaf (not counting its 4-byte length). */
function elementSize(kind: ElementKind, l: Leaf, i: number): number {
  const f = FIXED[kind];
  if (f >= 0) return f;
  if (kind === 'string') return l.offsets![l.offset + i + 1]! - l.offsets![l.offset + i]!;
  return 8 + 2 * numericDigits((l.values as BigUint64Array)[l.offset + i]!).digits.length;
}

/** Writes element `i` of a leaf at `p`; returns the next position. */
function writeElement(kind: ElementKind, l: Leaf, i: number, u8: Uint8Array, dv: DataView, p: number): number {
  const j = l.offset + i;
  switch (kind) {
    case 'bool':
      u8[p] = ((l.values as Uint8Array)[j >> 3]! >> (j & 7)) & 1;
      return p + 1;
    case 'int8':
    case 'uint8':
    case 'int16':
      dv.setInt16(p, (l.values as Int16Array)[j]!);
      return p + 2;
    case 'uint16':
    case 'int32':
      dv.setInt32(p, (l.values as Int32Array)[j]!);
      return p + 4;
    case 'uint32':
      dv.setUint32(p, 0);
      dv.setUint32(p + 4, (l.values as Uint32Array)[j]!);
      return p + 8;
    case 'int64': {
      const w = new Uint32Array(l.values.buffer, l.values.byteOffset + 8 * j, 2);
      dv.setUint32(p, w[1]!);
      dv.setUint32(p + 4, w[0]!);
      return p + 8;
    }
    case 'float32':
      dv.setFloat32(p, (l.values as Float32Array)[j]!);
      return p + 4;
    case 'float64':
      dv.setFloat64(p, (l.values as Float64Array)[j]!);
      return p + 8;
    case 'string': {
      const a = l.offsets![j]!,
        b = l.offsets![j + 1]!;
      u8.set((l.values as Uint8Array).subarray(a, b), p);
      return p + b - a;
    }
    case 'uint64': {
      const { digits, weight } = numericDigits((l.values as BigUint64Array)[j]!);
      dv.setInt16(p, digits.length);
      dv.setInt16(p + 2, weight);
      dv.setInt16(p + 4, 0);
      dv.setInt16(p + 6, 0);
      digits.forEach((d, k) => dv.setInt16(p + 8 + 2 * k, d));
      return p + 8 + 2 * digits.length;
    }
  }
}

/** One column's cells: its size pass and its write pass over the chosen rows. */
interface ColumnWriter {
  addSizes(rows: Int32Array, sizes: Float64Array): void;
  write(rows: Int32Array, cur: Float64Array, u8: Uint8Array, dv: DataView): void;
}

function scalarWriter(plan: ColumnPlan, data: Data): ColumnWriter {
  const l = leafOf(data);
  const kind = plan.element;
  const fixed = FIXED[kind];
  return {
    addSizes(rows, sizes) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        sizes[k]! += 4 + (isValid(l, r) ? (fixed >= 0 ? fixed : elementSize(kind, l, r)) : 0);
      }
    },
    write(rows, cur, u8, dv) {
      // The common kinds get their own loops: these run once per cell of a 5M-row load.
      if (kind === 'float64' && !l.valid) {
        const v = l.values as Float64Array;
        for (let k = 0; k < rows.length; k++) {
          const p = cur[k]!;
          dv.setInt32(p, 8);
          dv.setFloat64(p + 4, v[l.offset + rows[k]!]!);
          cur[k] = p + 12;
        }
        return;
      }
      if (kind === 'int64' && !l.valid) {
        const w = new Uint32Array(l.values.buffer, l.values.byteOffset, l.values.length * 2);
        for (let k = 0; k < rows.length; k++) {
          const p = cur[k]!,
            j = 2 * (l.offset + rows[k]!);
          dv.setInt32(p, 8);
          dv.setUint32(p + 4, w[j + 1]!);
          dv.setUint32(p + 8, w[j]!);
          cur[k] = p + 12;
        }
        return;
      }
      if (kind === 'float32' && !l.valid) {
        const v = l.values as Float32Array;
        for (let k = 0; k < rows.length; k++) {
          const p = cur[k]!;
          dv.setInt32(p, 4);
          dv.setFloat32(p + 4, v[l.offset + rows[k]!]!);
          cur[k] = p + 8;
        }
        return;
      }
      if (kind === 'string' && !l.valid) {
        const o = l.offsets!,
          bytes = l.values as Uint8Array;
        for (let k = 0; k < rows.length; k++) {
          const p = cur[k]!,
            j = l.offset + rows[k]!,
            a = o[j]!,
            b = o[j + 1]!;
          dv.setInt32(p, b - a);
          for (let q = a, t = p + 4; q < b; q++, t++) u8[t] = bytes[q]!;
          cur[k] = p + 4 + b - a;
        }
        return;
      }
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!,
          p = cur[k]!;
        if (!isValid(l, r)) {
          dv.setInt32(p, -1);
          cur[k] = p + 4;
          continue;
        }
        const end = writeElement(kind, l, r, u8, dv, p + 4);
        dv.setInt32(p, end - p - 4);
        cur[k] = end;
      }
    },
  };
}

/** Arrays: FixedSizeList cells (vectors, TDIM) with their axes, or variable-length lists as 1-D arrays. */
function arrayWriter(plan: ColumnPlan, data: Data): ColumnWriter {
  const outer = leafOf(data);
  let leafData = data;
  for (let d = 0; d < plan.dims.length; d++) leafData = leafData.children[0]!;
  const leaf = leafOf(leafData);
  const variable = plan.dims[0] === -1;
  const per = variable ? 0 : plan.dims.reduce((a, b) => a * b, 1);
  const ndim = variable ? 1 : plan.dims.length;
  const kind = plan.element;
  // Element range of row r: FixedSizeList children start at (offset + r) * per of the flattened leaf.
  const range = (r: number): [number, number] => {
    if (variable) return [outer.offsets![outer.offset + r]! - leaf.offset, outer.offsets![outer.offset + r + 1]! - leaf.offset];
    const a = (outer.offset + r) * per;
    return [a, a + per];
  };
  return {
    addSizes(rows, sizes) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        if (!isValid(outer, r)) {
          sizes[k]! += 4;
          continue;
        }
        const [a, b] = range(r);
        // An empty array is written with no axes (PostgreSQL's '{}').
        let s = 4 + 12 + (b > a ? 8 * ndim : 0) + 4 * (b - a);
        for (let i = a; i < b; i++) if (isValid(leaf, i)) s += elementSize(kind, leaf, i);
        sizes[k]! += s;
      }
    },
    write(rows, cur, u8, dv) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k]!;
        let p = cur[k]!;
        if (!isValid(outer, r)) {
          dv.setInt32(p, -1);
          cur[k] = p + 4;
          continue;
        }
        const [a, b] = range(r);
        const start = p;
        let hasNull = 0;
        for (let i = a; i < b; i++) if (!isValid(leaf, i)) hasNull = 1;
        dv.setInt32(p + 4, b === a ? 0 : ndim);
        dv.setInt32(p + 8, hasNull);
        dv.setInt32(p + 12, OID[kind]);
        p += 16;
        if (b > a) {
          const dims = variable ? [b - a] : plan.dims;
          for (const d of dims) {
            dv.setInt32(p, d);
            dv.setInt32(p + 4, 1);
            p += 8;
          }
        }
        for (let i = a; i < b; i++) {
          if (!isValid(leaf, i)) {
            dv.setInt32(p, -1);
            p += 4;
            continue;
          }
          const end = writeElement(kind, leaf, i, u8, dv, p + 4);
          dv.setInt32(p, end - p - 4);
          p = end;
        }
        dv.setInt32(start, p - start - 4);
        cur[k] = p;
      }
    },
  };
}

/**
 * Encodes the rows `rows` (indices into the batch, ascending) of a record batch as binary COPY tuples, the planned
 * columns in order and then `trailer` int32 constants (the load id). Returns one buffer holding all the tuples.
 *
 * @example
 * const bytes = encodeRows(batch, planColumns(batch.schema), allRows(batch.numRows), [loadId]);
 */
export function encodeRows(
  batch: RecordBatch,
  plans: readonly ColumnPlan[],
  rows: Int32Array,
  trailer: readonly number[] = [],
): Uint8Array {
  const writers = plans.map((p) => {
    const data = batch.data.children[p.index]!;
    return p.dims.length ? arrayWriter(p, data) : scalarWriter(p, data);
  });
  const n = rows.length;
  const sizes = new Float64Array(n).fill(2 + 8 * trailer.length);
  for (const w of writers) w.addSizes(rows, sizes);
  const cur = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    cur[k] = total;
    total += sizes[k]!;
  }
  const u8 = new Uint8Array(total);
  const dv = new DataView(u8.buffer);
  const fields = plans.length + trailer.length;
  for (let k = 0; k < n; k++) {
    dv.setInt16(cur[k]!, fields);
    cur[k]! += 2;
  }
  for (const w of writers) w.write(rows, cur, u8, dv);
  for (const t of trailer)
    for (let k = 0; k < n; k++) {
      const p = cur[k]!;
      dv.setInt32(p, 4);
      dv.setInt32(p + 4, t);
      cur[k] = p + 8;
    }
  return u8;
}

/**
 * Row indices 0..n-1.
 *
 * @example
 * allRows(3) // Int32Array [0, 1, 2]
 */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
