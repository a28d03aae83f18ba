import {
  Bool,
  type Data,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Uint8,
  Utf8,
  type DataType,
} from 'apache-arrow';
import type { ColumnSpec } from '../desi/index.js';
import { InternalError } from '../errors/index.js';

/**
 * Values of one column: a typed array (vectors flattened row-major), strings, or booleans.
 *
 * @example
 * const v: ColumnValues = new Float64Array([0.1, 2.3]);
 */
export type ColumnValues =
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Uint8Array
  | Float32Array
  | Float64Array
  | readonly string[]
  | readonly boolean[];

/**
 * Values by column name; names the table lacks are ignored, columns without values are zero / empty / false.
 *
 * @example
 * const src: ColumnSource = { TARGETID: ids, SPECTYPE: ['QSO', 'GALAXY'] };
 */
export type ColumnSource = Record<string, ColumnValues | undefined>;

interface Layout {
  code: string;
  repeat: number;
}

function layoutOf(spec: ColumnSpec): Layout {
  const m = /^(\d*)([A-Z])$/.exec(spec.tform);
  if (!m) throw new InternalError(`unsupported TFORM ${spec.tform}`, { column: spec.name });
  return { code: m[2]!, repeat: m[1] ? Number(m[1]) : 1 };
}

function numeric<T extends Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array>(
  Ctor: { new (n: number): T; from(a: ArrayLike<number>): T },
  v: ColumnValues | undefined,
  len: number,
  name: string,
): T {
  if (v === undefined) return new Ctor(len);
  if (v instanceof Ctor) return checkLength(v, len, name);
  if (v instanceof BigInt64Array) return checkLength(Ctor.from(Array.from(v, Number)), len, name);
  return checkLength(Ctor.from(v as ArrayLike<number>), len, name);
}

function checkLength<T extends { length: number }>(v: T, len: number, name: string): T {
  if (v.length !== len) throw new InternalError(`${v.length} values for ${len} cells`, { column: name });
  return v;
}

function columnData(spec: ColumnSpec, n: number, v: ColumnValues | undefined): { type: DataType; data: Data } {
  const { code, repeat } = layoutOf(spec);
  const name = spec.name;
  if (code === 'A') {
    const strings = (v as readonly string[] | undefined) ?? new Array<string>(n).fill('');
    checkLength(strings, n, name);
    const offsets = new Int32Array(n + 1);
    const bytes = Buffer.from(strings.join(''), 'latin1');
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + strings[i]!.length;
    return { type: new Utf8(), data: makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: new Uint8Array(bytes) }) };
  }
  if (code === 'L') {
    const bools = (v as readonly boolean[] | undefined) ?? new Array<boolean>(n).fill(false);
    checkLength(bools, n, name);
    const bits = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (bools[i]) bits[i >> 3]! |= 1 << (i & 7);
    return { type: new Bool(), data: makeData({ type: new Bool(), length: n, data: bits }) };
  }
  const len = n * repeat;
  let leaf: Data;
  let type: DataType;
  switch (code) {
    case 'K': {
      const arr =
        v === undefined
          ? new BigInt64Array(len)
          : v instanceof BigInt64Array
            ? v
            : BigInt64Array.from(Array.from(v as ArrayLike<number>, (x) => BigInt(x)));
      checkLength(arr, len, name);
      type = new Int64();
      leaf = makeData({ type: new Int64(), length: len, data: arr });
      break;
    }
    case 'J':
      type = new Int32();
      leaf = makeData({ type: new Int32(), length: len, data: numeric(Int32Array, v, len, name) });
      break;
    case 'I':
      type = new Int16();
      leaf = makeData({ type: new Int16(), length: len, data: numeric(Int16Array, v, len, name) });
      break;
    case 'B':
      type = new Uint8();
      leaf = makeData({ type: new Uint8(), length: len, data: numeric(Uint8Array, v, len, name) });
      break;
    case 'E':
      type = new Float32();
      leaf = makeData({ type: new Float32(), length: len, data: numeric(Float32Array, v, len, name) });
      break;
    case 'D':
      type = new Float64();
      leaf = makeData({ type: new Float64(), length: len, data: numeric(Float64Array, v, len, name) });
      break;
    default:
      throw new InternalError(`unsupported TFORM ${spec.tform}`, { column: name });
  }
  if (repeat === 1) return { type, data: leaf };
  const list = new FixedSizeList(repeat, new Field('item', type, false));
  return { type: list, data: makeData({ type: list, length: n, child: leaf }) };
}

/**
 * A record batch with exactly the columns of `specs` (DESI data-model order and TFORMs; callers drop optional columns their file type lacks),
 * filled from `values` by name. Fields are non-nullable (DESI tables carry no TNULL) and carry `fits.TUNIT` and,
 * for strings, `fits.TFORM` so the FITS writer reproduces the data model's widths.
 *
 * @example
 * const batch = batchFromSpecs(REDSHIFTS_COLUMNS, 2, { TARGETID: ids, Z: new Float64Array([0.1, 2.3]) });
 */
export function batchFromSpecs(specs: readonly ColumnSpec[], n: number, values: ColumnSource): RecordBatch {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const spec of specs) {
    const { type, data } = columnData(spec, n, values[spec.name]);
    const meta = new Map<string, string>();
    if (spec.unit) meta.set('fits.TUNIT', spec.unit);
    if (spec.tform.endsWith('A')) meta.set('fits.TFORM', spec.tform);
    fields.push(new Field(spec.name, type, false, meta));
    children.push(data);
  }
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
}
