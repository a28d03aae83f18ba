import type { Table } from 'apache-arrow';
import { VoidsError, type VoidsLocation } from '../errors/index.js';

/**
 * Where a table came from, for messages: the file and HDU (VAST writes lower-case column names, DESIVAST upper-case;
 * both are found).
 *
 * @example
 * const where: TableSource = { file: 'voids.fits', hdu: 'HOLES' };
 */
export type TableSource = Pick<VoidsLocation, 'file' | 'hdu'>;

/** The schema name of column `name` in any case, or undefined. */
export function columnName(table: Table, name: string): string | undefined {
  const want = name.toLowerCase();
  return table.schema.fields.find((f) => f.name.toLowerCase() === want)?.name;
}

/** The schema name of a column that must be there; a VoidsError naming file, HDU and column when it is not. */
function requireColumn(table: Table, name: string, where: TableSource): string {
  const found = columnName(table, name);
  if (found === undefined)
    throw new VoidsError(`no ${name} column (the table has ${table.schema.fields.map((f) => f.name).join(', ') || 'no columns'})`, {
      ...where,
      column: name,
    });
  return found;
}

/** The raw values of a column (a typed array for numeric columns); nulls read as the array's zero or NaN. */
function values(table: Table, name: string, where: TableSource): ArrayLike<number | bigint> {
  const found = requireColumn(table, name, where);
  const v = table.getChild(found)!;
  const out = v.toArray() as unknown;
  if (!(ArrayBuffer.isView(out) || Array.isArray(out)))
    throw new VoidsError(`column type ${String(v.type)} is not numeric`, { ...where, column: found });
  return out as ArrayLike<number | bigint>;
}

/**
 * A numeric column as float64 (any numeric type converted; null cells become NaN).
 *
 * @example
 * const radius = float64Column(holes, 'radius', { file, hdu: 'HOLES' });
 */
export function float64Column(table: Table, name: string, where: TableSource = {}): Float64Array {
  const found = requireColumn(table, name, where);
  const raw = values(table, name, where);
  const out = Float64Array.from(raw as ArrayLike<number>, Number);
  const v = table.getChild(found)!;
  if (v.nullCount > 0) for (let i = 0; i < out.length; i++) if (!v.isValid(i)) out[i] = Number.NaN;
  return out;
}

/**
 * An integer column as int32: every value must be a whole number within int32 (void and zone ids), else a VoidsError
 * naming the column and row.
 *
 * @example
 * const voidId = int32Column(holes, 'void', { file, hdu: 'HOLES' });
 */
export function int32Column(table: Table, name: string, where: TableSource = {}): Int32Array {
  const found = requireColumn(table, name, where);
  const raw = values(table, name, where);
  const v = table.getChild(found)!;
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = Number(raw[i]!);
    if (!v.isValid(i) || !Number.isInteger(x) || x < -2147483648 || x > 2147483647)
      throw new VoidsError(`${v.isValid(i) ? String(raw[i]) : 'null'} is not a whole number in int32 range`, {
        ...where,
        column: found,
        row: i,
      });
    out[i] = x;
  }
  return out;
}

/**
 * An integer column as int64 (BigInt64Array, exact: TARGETIDs). Integer columns of any width are widened; a float
 * column is refused, naming it, since it cannot hold 64-bit identifiers exactly.
 *
 * @example
 * const target = bigint64Column(galzone, 'target', { file, hdu: 'GALZONE' });
 */
export function bigint64Column(table: Table, name: string, where: TableSource = {}): BigInt64Array {
  const found = requireColumn(table, name, where);
  const raw = values(table, name, where);
  if (raw instanceof BigInt64Array) return raw;
  if (raw instanceof BigUint64Array) return BigInt64Array.from(raw, (x) => BigInt.asIntN(64, x));
  if (raw instanceof Float32Array || raw instanceof Float64Array)
    throw new VoidsError('is a float column; 64-bit identifiers must be stored as integers', { ...where, column: found });
  return BigInt64Array.from(raw as ArrayLike<number>, (x) => BigInt(x));
}
