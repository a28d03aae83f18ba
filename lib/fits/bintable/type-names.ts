import type { ColumnDesc, Physical } from './columns.js';

const ELEMENT_NAMES: Record<Physical, string> = {
  bool: 'Bool',
  bit: 'Bool',
  uint8: 'Uint8',
  int8: 'Int8',
  int16: 'Int16',
  uint16: 'Uint16',
  int32: 'Int32',
  uint32: 'Uint32',
  int64: 'Int64',
  uint64: 'Uint64',
  float32: 'Float32',
  float64: 'Float64',
  scaled: 'Float64',
  complex64: 'Struct<{re:Float32, im:Float32}>',
  complex128: 'Struct<{re:Float64, im:Float64}>',
  string: 'Utf8',
};

/**
 * The name of the Arrow type a column reads as (`String(columnType(col))`, e.g. `FixedSizeList[10]<Float64>`), without
 * loading apache-arrow: `fits stats` prints it for every column and otherwise needs no Arrow (0.15-0.2 s to load).
 * test/fits/type-names.test.ts checks it against Arrow's own names.
 *
 * @example
 * columnTypeName(describeColumns(header)[0]!); // 'Int64'
 */
export function columnTypeName(col: ColumnDesc): string {
  if (col.vla) return col.vla.physical === 'string' ? 'Utf8' : `List<${ELEMENT_NAMES[col.vla.physical]}>`;
  if (col.count === 0) return 'Null';
  let name = ELEMENT_NAMES[col.physical];
  for (const d of col.dims) name = `FixedSizeList[${d}]<${name}>`;
  return name;
}

/** Whether a column's elements are complex (statistics then sum real and imaginary parts apart). */
export function isComplexColumn(col: ColumnDesc): boolean {
  const p = col.vla ? col.vla.physical : col.physical;
  return p === 'complex64' || p === 'complex128';
}
