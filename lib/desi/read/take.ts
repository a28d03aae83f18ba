import { DataType, makeData, RecordBatch, Struct, Table, vectorFromArray, type Data, type Vector } from 'apache-arrow';
import { InternalError } from '../../errors/index.js';

type Numbers =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * Rows `rows` (indices into `t`, in the order given) of an Arrow table as a new one-batch table with the same schema,
 * field metadata included. Numbers (int64 included, bit for bit), strings and logicals, with or without nulls, are
 * gathered straight from their buffers (1,000 of 5,000 FIBERMAP rows, 71 columns: 17-41 ms value by value -> ~1 ms);
 * so are vectors (fixed-size lists) of those; any other column (nested types, several chunks) is rebuilt value by value.
 *
 * @example
 * takeRows(table, Int32Array.of(3, 0)); // row 3, then row 0
 */
export function takeRows(t: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const children = t.schema.fields.map((field) => {
    const v = t.getChild(field.name)!;
    const type = field.type as DataType;
    const fast = v.data.length === 1 ? takeData(v.data[0]!, rows) : undefined;
    return (
      fast ??
      single(
        vectorFromArray(
          Array.from({ length: n }, (_, i) => plain(v.get(rows[i]!))),
          type,
        ),
        field.name,
      )
    );
  });
  const struct = makeData({ type: new Struct(t.schema.fields), length: n, nullCount: 0, children });
  return new Table([new RecordBatch(t.schema, struct)]);
}

/** The rows of one unsliced column chunk, from its buffers; undefined for types this does not cover. */
function takeData(d: Data, rows: ArrayLike<number>): Data | undefined {
  if (d.offset !== 0) return undefined;
  const n = rows.length;
  const type = d.type as DataType;
  const valid = d.nullCount > 0 ? takeBits(d.nullBitmap!, rows) : undefined;
  const nulls = valid ? { nullCount: n - countBits(valid, n), nullBitmap: valid } : { nullCount: 0 };
  if (DataType.isInt(type) || DataType.isFloat(type)) {
    const src = d.values as Numbers;
    const out = new (src.constructor as { new (n: number): Numbers })(n);
    copyElements(src, out, rows);
    return makeData({ type, length: n, ...nulls, data: out } as never) as Data;
  }
  if (DataType.isUtf8(type)) {
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const outOffsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) outOffsets[i + 1] = outOffsets[i]! + offsets[rows[i]! + 1]! - offsets[rows[i]!]!;
    const outBytes = new Uint8Array(outOffsets[n]!);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      // strings are short: a byte loop beats a subarray per value
      for (let p = offsets[r]!, q = outOffsets[i]!, end = offsets[r + 1]!; p < end; p++, q++) outBytes[q] = bytes[p]!;
    }
    return makeData({ type, length: n, ...nulls, valueOffsets: outOffsets, data: outBytes } as never) as Data;
  }
  if (DataType.isBool(type)) return makeData({ type, length: n, ...nulls, data: takeBits(d.values as Uint8Array, rows) } as never) as Data;
  if (DataType.isFixedSizeList(type)) {
    // vector cells: the same rows of the flat child, `listSize` values each
    const size = type.listSize;
    const at = new Int32Array(n * size);
    for (let i = 0; i < n; i++) for (let k = 0; k < size; k++) at[i * size + k] = rows[i]! * size + k;
    const child = d.children[0] ? takeData(d.children[0], at) : undefined;
    return child && (makeData({ type, length: n, ...nulls, child } as never) as Data);
  }
  return undefined;
}

/** Copies elements `rows` of `src` into `out` through same-width integer views, so int64 and NaN payloads keep every bit. */
function copyElements(src: Numbers, out: Numbers, rows: ArrayLike<number>): void {
  const n = rows.length;
  const width = src.BYTES_PER_ELEMENT;
  if (width === 8) {
    const s = new Uint32Array(src.buffer as ArrayBuffer, src.byteOffset, src.length * 2);
    const o = new Uint32Array(out.buffer as ArrayBuffer, out.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      const r = rows[i]! * 2;
      o[2 * i] = s[r]!;
      o[2 * i + 1] = s[r + 1]!;
    }
    return;
  }
  const View = width === 4 ? Uint32Array : width === 2 ? Uint16Array : Uint8Array;
  const s = new View(src.buffer as ArrayBuffer, src.byteOffset, src.length);
  const o = new View(out.buffer as ArrayBuffer, out.byteOffset, n);
  for (let i = 0; i < n; i++) o[i] = s[rows[i]!]!;
}

/** Bits `rows` of an LSB-first bitmap, as a new bitmap. */
function takeBits(bits: Uint8Array, rows: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array((rows.length + 7) >> 3);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if ((bits[r >> 3]! >> (r & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

function countBits(bits: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k += (bits[i >> 3]! >> (i & 7)) & 1;
  return k;
}

/** A cell as vectorFromArray takes it: nested vectors (list cells) as arrays. */
function plain(x: unknown): unknown {
  return x !== null && typeof x === 'object' && 'toArray' in x ? Array.from((x as Vector).toArray() as ArrayLike<unknown>, plain) : x;
}

function single(v: Vector, name: string): Data {
  if (v.data.length !== 1) throw new InternalError(`came back in ${v.data.length} chunks`, { scope: 'takeRows', column: name });
  return v.data[0]!;
}
