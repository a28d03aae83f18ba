import { Type, type Field } from 'apache-arrow';
import { PipelineError, type PipelineLocation } from '../../errors/index.js';
import { sql, tableId, tableName, type Store, type TableRef } from '../../store/index.js';

/**
 * What a column holds, as far as the checks care: floats can be NaN, numbers can be ranged and sampled, anything else
 * (text, booleans, dates) only counted and compared to allowed values; lists are refused.
 *
 * @example
 * const k: ColumnKind = 'float';
 */
export type ColumnKind = 'float' | 'number' | 'other' | 'list';

/**
 * A column's stored name and kind.
 *
 * @example
 * const c: StoredColumn = { name: 'z', kind: 'float' };
 */
export interface StoredColumn {
  name: string;
  kind: ColumnKind;
}

/**
 * The columns of a table by their stored names, found case-insensitively (ingest stores FITS's `Z` as `z`): the exact
 * name first, else the one column whose name matches ignoring case.
 *
 * @example
 * const cols = await tableColumns(store, 'zcat', where); cols.find('Z'); // { name: 'z', kind: 'float' }
 */
export class TableColumns {
  constructor(
    readonly table: TableRef,
    readonly columns: readonly StoredColumn[],
  ) {}

  /** The column named `name`, or a PipelineError (exit code 2) naming it, the table and the columns there are. */
  find(name: string, where: PipelineLocation): StoredColumn {
    const exact = this.columns.find((c) => c.name === name);
    if (exact) return exact;
    const folded = this.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    if (folded.length === 1) return folded[0]!;
    const list = this.columns.map((c) => c.name).join(', ');
    throw new PipelineError(
      folded.length
        ? `column ${name} matches ${folded.map((c) => c.name).join(' and ')}; write it as stored`
        : `no column ${name} (it has ${list})`,
      { ...where, column: name },
    );
  }
}

/**
 * Checks that a table (or view) exists and lists its columns; a missing table is a PipelineError (exit code 2) naming
 * it and where the checks file asked for it. `name` is `table` or `schema.table`; an unqualified name is looked for
 * where unqualified SQL finds it (DuckDB's current schema, PostgreSQL's search_path).
 *
 * @example
 * const cols = await tableColumns(store, 'dr1.zcat', { file: 'CHECKS.yaml', line: 3, col: 12 });
 */
export async function tableColumns(store: Store, name: string, where: PipelineLocation): Promise<TableColumns> {
  const ref = tableName(name);
  const inSchema = ref.schema
    ? sql`table_schema = ${ref.schema}`
    : store.engine === 'postgres'
      ? sql`table_schema = any(current_schemas(false))`
      : sql`table_schema = current_schema()`;
  const found = await store.query(
    sql`select count(*) as n from information_schema.tables where lower(table_name) = ${ref.name} and ${inSchema}`,
  );
  if (Number(found.get(0)!.toJSON().n) === 0) throw new PipelineError(`no table ${name} in ${store.url}`, { ...where, table: name });
  const empty = await store.query(sql`select * from ${tableId(ref)} where 1 = 0`);
  return new TableColumns(
    ref,
    empty.schema.fields.map((f) => ({ name: f.name, kind: kindOf(f) })),
  );
}

/**
 * The kind of an Arrow field as the engines return it.
 *
 * @example
 * kindOf(new Field('z', new Float64())); // 'float'
 */
export function kindOf(f: Field): ColumnKind {
  switch (f.type.typeId) {
    case Type.Float:
      return 'float';
    case Type.Int:
    case Type.Decimal:
      return 'number';
    case Type.List:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map:
      return 'list';
    default:
      return 'other';
  }
}
