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
  type RecordBatch,
  Table,
  TimestampMillisecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { StoreError } from '../errors/index.js';

/**
 * Query results as Arrow tables, from both engines' JS values. Integers stay exact (int64 as bigint), NUMERIC/DECIMAL as
 * exact decimal strings, arrays as Arrow lists (DuckDB fixed-size ARRAYs as FixedSizeList), timestamps as milliseconds.
 */

/**
 * Arrow type of a DuckDB column type.
 *
 * @example
 * arrowTypeOfDuck(reader.columnTypes()[0]) // Int64 for BIGINT
 */
export function arrowTypeOfDuck(t: DuckDBType): DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
      return new Int32();
    case DuckDBTypeId.BIGINT:
      return new Int64();
    case DuckDBTypeId.UTINYINT:
      return new Uint8();
    case DuckDBTypeId.USMALLINT:
      return new Uint16();
    case DuckDBTypeId.UINTEGER:
      return new Uint32();
    case DuckDBTypeId.UBIGINT:
      return new Uint64();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return new Float64();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.DATE:
      return new TimestampMillisecond();
    case DuckDBTypeId.LIST:
      return new List(new Field('item', arrowTypeOfDuck((t as unknown as { valueType: DuckDBType }).valueType), true));
    case DuckDBTypeId.ARRAY: {
      const a = t as unknown as { valueType: DuckDBType; length: number };
      return new FixedSizeList(a.length, new Field('item', arrowTypeOfDuck(a.valueType), true));
    }
    // HUGEINT (sum of BIGINT) keeps exact as int64 where it fits (converted below), else it would not be bigint-exact.
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return new Int64();
    default:
      return new Utf8();
  }
}

const PG_SCALAR: Record<number, () => DataType> = {
  16: () => new Bool(),
  20: () => new Int64(),
  21: () => new Int16(),
  23: () => new Int32(),
  26: () => new Int64(),
  700: () => new Float32(),
  701: () => new Float64(),
  1114: () => new TimestampMillisecond(),
  1184: () => new TimestampMillisecond(),
  1082: () => new TimestampMillisecond(),
};

/**
 * Element type OID of PostgreSQL's array type OIDs.
 *
 * @example
 * PG_ARRAY_ELEMENT[1022] // 701 (float8[] holds float8)
 */
export const PG_ARRAY_ELEMENT: Record<number, number> = {
  1000: 16,
  1016: 20,
  1005: 21,
  1007: 23,
  1021: 700,
  1022: 701,
  1009: 25,
  1015: 1043,
  1231: 1700,
  1115: 1114,
  1185: 1184,
};

/**
 * Arrow type of a PostgreSQL column, given its type OID and (for arrays) the nesting depth seen in the values.
 *
 * @example
 * arrowTypeOfPg(1022, 2) // List<List<Float64>>
 */
export function arrowTypeOfPg(oid: number, depth = 1): DataType {
  const element = PG_ARRAY_ELEMENT[oid];
  if (element !== undefined) {
    let t = arrowTypeOfPg(element);
    for (let d = 0; d < Math.max(1, depth); d++) t = new List(new Field('item', t, true));
    return t;
  }
  return (PG_SCALAR[oid] ?? (() => new Utf8()))();
}

/**
 * Depth of nested arrays in the first non-null value of a column (multi-dimensional PostgreSQL arrays).
 *
 * @example
 * arrayDepth([null, [[1, 2], [3, 4]]]) // 2
 */
export function arrayDepth(values: readonly unknown[]): number {
  const v = values.find((x) => x !== null && x !== undefined);
  let d = 0;
  for (let cur: unknown = v; Array.isArray(cur); cur = cur[0]) d++;
  return d;
}

function normalise(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (t instanceof Int64) return typeof v === 'bigint' ? v : BigInt(v as number | string);
  if (t instanceof Uint64) return typeof v === 'bigint' ? v : BigInt(v as number | string);
  if (t instanceof TimestampMillisecond) return v instanceof Date ? v.getTime() : new Date(v as string).getTime();
  if (t instanceof List || t instanceof FixedSizeList) return (v as unknown[]).map((x) => normalise(x, t.children[0]!.type));
  if (t instanceof Utf8)
    return typeof v === 'string'
      ? v
      : typeof v === 'object'
        ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))
        : String(v);
  if (t instanceof Float64 || t instanceof Float32) return typeof v === 'number' ? v : Number(v);
  return v;
}

const INT64_MIN = -(2n ** 63n),
  INT64_MAX = 2n ** 63n - 1n;

/**
 * The Arrow types a result's columns take, given their values: a HUGEINT column (typed Int64) whose values leave int64
 * becomes exact decimal strings (Utf8) instead.
 *
 * @example
 * resultTypes([new Int64()], [[2n ** 70n]]) // [Utf8]
 */
export function resultTypes(types: readonly DataType[], columns: readonly (readonly unknown[])[]): DataType[] {
  return types.map((t, i) =>
    t instanceof Int64 && (columns[i] ?? []).some((v) => typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX)) ? new Utf8() : t,
  );
}

/** Unique column names, as Arrow tables need them: a repeated name gets `_2`, `_3`, ... */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let k = 2; seen.has(key); k++) key = `${name}_${k}`;
    seen.add(key);
    return key;
  });
}

/**
 * Builds an Arrow table from column-major JS values and their Arrow types. A HUGEINT column whose values leave int64 is
 * given as exact decimal strings instead.
 *
 * @example
 * columnsToTable(['n'], [new Int64()], [[1n, 2n]]).getChild('n')?.get(1) // 2n
 */
export function columnsToTable(names: readonly string[], types: DataType[], columns: readonly (readonly unknown[])[]): Table {
  const fixed = resultTypes(types, columns);
  const vectors: Record<string, Vector> = {};
  uniqueNames(names).forEach((key, i) => {
    vectors[key] = vectorFromArray((columns[i] ?? []).map((v) => normalise(v, fixed[i]!)) as never, fixed[i] as never);
  });
  return new Table(vectors);
}

/**
 * One record batch of a streamed result, in types fixed by the stream's first batch ({@link resultTypes}): a later
 * int64 column value beyond int64 is refused (a StoreError naming the column) rather than wrapped.
 *
 * @example
 * columnsToBatch(['n'], [new Int64()], [[1n, 2n]]).numRows // 2
 */
export function columnsToBatch(
  names: readonly string[],
  types: readonly DataType[],
  columns: readonly (readonly unknown[])[],
): RecordBatch {
  const keys = uniqueNames(names);
  const vectors: Record<string, Vector> = {};
  keys.forEach((key, i) => {
    const t = types[i]!;
    const col = columns[i] ?? [];
    if (t instanceof Int64 && col.some((v) => typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX)))
      throw new StoreError(
        `a value beyond int64 after the first batch held none (cast the column to text or numeric: ${JSON.stringify(names[i])}::varchar)`,
        { column: names[i] },
      );
    vectors[key] = vectorFromArray(col.map((v) => normalise(v, t)) as never, t as never);
  });
  return new Table(vectors).batches[0]!; // one batch, empty or not (a table of vectors always has one)
}
