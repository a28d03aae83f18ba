import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Null,
  Struct,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type DataType,
} from 'apache-arrow';
import type { ColumnDesc, Physical } from './columns.js';

/** The Arrow type of one element of a column (before TDIM/repeat wrapping). */
export function elementType(p: Physical): DataType {
  switch (p) {
    case 'bool':
    case 'bit':
      return new Bool();
    case 'uint8':
      return new Uint8();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'uint16':
      return new Uint16();
    case 'int32':
      return new Int32();
    case 'uint32':
      return new Uint32();
    case 'int64':
      return new Int64();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
    case 'scaled':
      return new Float64();
    case 'complex64':
      return new Struct([new Field('re', new Float32(), false), new Field('im', new Float32(), false)]);
    case 'complex128':
      return new Struct([new Field('re', new Float64(), false), new Field('im', new Float64(), false)]);
    case 'string':
      return new Utf8();
  }
}

/** Wraps an element type in one FixedSizeList per cell axis, NAXIS1 innermost (numpy's row_shape reversed). */
export function cellType(element: DataType, dims: number[]): DataType {
  let t = element;
  for (const d of dims) t = new FixedSizeList(d, new Field('item', t, true));
  return t;
}

/** The Arrow type a column reads as. */
export function columnType(col: ColumnDesc): DataType {
  if (col.vla) return col.vla.physical === 'string' ? new Utf8() : new List(new Field('item', elementType(col.vla.physical), true));
  if (col.count === 0) return new Null();
  return cellType(elementType(col.physical), col.dims);
}

/** The FITS keywords a column came from, kept as Arrow field metadata so a writer can restore them. */
export function columnMetadata(col: ColumnDesc): Map<string, string> {
  const m = new Map<string, string>([['fits.TFORM', col.tformText.trim()]]);
  if (col.unit) m.set('fits.TUNIT', col.unit);
  if (col.disp) m.set('fits.TDISP', col.disp);
  if (col.tdimText) m.set('fits.TDIM', col.tdimText);
  if (col.tnull !== undefined) m.set('fits.TNULL', col.tnull.toString());
  if (col.physical === 'scaled' || (col.vla && col.vla.physical === 'scaled')) {
    m.set('fits.TSCAL', String(col.scale));
    m.set('fits.TZERO', String(col.zero));
  }
  return m;
}
