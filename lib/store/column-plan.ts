import { type DataType, Type, type Field, type Schema } from 'apache-arrow';
import { StoreError, type StoreLocation } from '../errors/index.js';

/**
 * A scalar element kind both engines store; arrays are cells of these.
 *
 * @example
 * const k: ElementKind = 'uint64';
 */
export type ElementKind =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'string';

/**
 * How one Arrow column is stored. Unsigned integers widen to the next signed type in PostgreSQL (it has none); uint64
 * becomes NUMERIC(20,0) there (exact; values beyond int64 kept) and UBIGINT in DuckDB. FixedSizeList cells (vectors, TDIM
 * cells) become PostgreSQL arrays with their dimensions and DuckDB fixed-size ARRAY types; variable-length lists become
 * PostgreSQL arrays and DuckDB LISTs.
 *
 * @example
 * planColumns(batch.schema).map((c) => `${c.name} ${c.pgType}`) // ['targetid bigint', 'coeff double precision[]', ...]
 */
export interface ColumnPlan {
  /** Name in the database: the Arrow name lower-cased (FITS names are upper case; unquoted SQL folds to lower case). */
  name: string;
  /** Index of the column in the Arrow schema. */
  index: number;
  /** Name in the Arrow schema / FITS file. */
  source: string;
  element: ElementKind;
  /** Cell shape outermost first (FixedSizeList nesting); [] for scalars; [-1] for a variable-length list. */
  dims: number[];
  pgType: string;
  duckType: string;
}

const PG_ELEMENT: Record<ElementKind, string> = {
  bool: 'boolean',
  int8: 'smallint',
  uint8: 'smallint',
  int16: 'smallint',
  uint16: 'integer',
  int32: 'integer',
  uint32: 'bigint',
  int64: 'bigint',
  uint64: 'numeric(20,0)',
  float32: 'real',
  float64: 'double precision',
  string: 'text',
};

const DUCK_ELEMENT: Record<ElementKind, string> = {
  bool: 'BOOLEAN',
  int8: 'TINYINT',
  uint8: 'UTINYINT',
  int16: 'SMALLINT',
  uint16: 'USMALLINT',
  int32: 'INTEGER',
  uint32: 'UINTEGER',
  int64: 'BIGINT',
  uint64: 'UBIGINT',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  string: 'VARCHAR',
};

/**
 * The element kind of a scalar Arrow type, or undefined for one we do not store.
 *
 * @example
 * elementKind(new Uint64()) // 'uint64'
 */
export function elementKind(t: DataType): ElementKind | undefined {
  switch (t.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      return `${isSigned ? '' : 'u'}int${bitWidth}` as ElementKind;
    }
    case Type.Float: {
      const precision = (t as unknown as { precision: number }).precision;
      return precision === 2 ? 'float64' : precision === 1 ? 'float32' : undefined;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    default:
      return undefined;
  }
}

/** Walks FixedSizeList / List wrappers down to the element type. */
function unwrap(t: DataType): { element: DataType; dims: number[] } {
  const dims: number[] = [];
  let cur = t;
  for (;;) {
    if (cur.typeId === Type.FixedSizeList) {
      dims.push((cur as unknown as { listSize: number }).listSize);
      cur = (cur as unknown as { children: Field[] }).children[0]!.type;
    } else if (cur.typeId === Type.List && dims.length === 0) {
      dims.push(-1);
      cur = (cur as unknown as { children: Field[] }).children[0]!.type;
      if (cur.typeId === Type.List || cur.typeId === Type.FixedSizeList) return { element: cur, dims: [-2] };
    } else return { element: cur, dims };
  }
}

/**
 * Plans the stored columns of an Arrow schema. Zero-width columns (Arrow Null) are skipped, as FITS readers give no values
 * for them; complex and other types we cannot store exactly are refused, naming the column.
 *
 * @example
 * const plan = planColumns(table.schema, { file: 'zall.fits', hdu: 'ZCATALOG' });
 */
export function planColumns(schema: Schema, where: StoreLocation = {}): ColumnPlan[] {
  const plans: ColumnPlan[] = [];
  const seen = new Set<string>();
  schema.fields.forEach((f, index) => {
    if (f.type.typeId === Type.Null) return;
    const { element, dims } = unwrap(f.type);
    const kind = elementKind(element);
    if (!kind || dims[0] === -2) throw new StoreError(`cannot store Arrow type ${String(f.type)}`, { ...where, column: f.name });
    const name = f.name.toLowerCase();
    if (seen.has(name)) throw new StoreError(`two columns named ${name} once lower-cased`, { ...where, column: f.name });
    seen.add(name);
    const pgType = PG_ELEMENT[kind] + (dims.length ? '[]'.repeat(Math.max(1, dims.filter((d) => d !== -1).length || 1)) : '');
    const duckType =
      DUCK_ELEMENT[kind] +
      [...dims]
        .reverse()
        .map((d) => (d === -1 ? '[]' : `[${d}]`))
        .join('');
    plans.push({ name, index, source: f.name, element: kind, dims, pgType, duckType });
  });
  if (plans.length === 0) throw new StoreError('no storable columns', where);
  return plans;
}
