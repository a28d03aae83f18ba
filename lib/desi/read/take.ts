import { DataType, makeData, RecordBatch, Struct, Table, vectorFromArray, type Data, type Vector } from 'apache-arrow';

type Gatherable = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/**
 * Rows `rows` (indices into `t`, in the order given) of an Arrow table as a new one-batch table with the same schema,
 * field metadata included. Flat numeric columns without nulls are gathered from their typed arrays; any other
 * column (strings, logicals, vectors, nulls) is rebuilt value by value.
 *
 * @example
 * takeRows(table, Int32Array.of(3, 0)); // row 3, then row 0
 */
export function takeRows(t: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const children = t.schema.fields.map((field) => {
    const v = t.getChild(field.name)!;
    const type = field.type as DataType;
    if ((DataType.isInt(type) || DataType.isFloat(type)) && v.nullCount === 0) {
      const src = v.toArray() as Gatherable;
      const out = new (src.constructor as { new (n: number): Gatherable })(n);
      for (let i = 0; i < n; i++) out[i] = src[rows[i]!]!;
      return makeData({ type, length: n, nullCount: 0, data: out } as never) as Data;
    }
    return single(vectorFromArray(Array.from({ length: n }, (_, i) => v.get(rows[i]!)), type), field.name);
  });
  const struct = makeData({ type: new Struct(t.schema.fields), length: n, nullCount: 0, children });
  return new Table([new RecordBatch(t.schema, struct)]);
}

function single(v: Vector, name: string): Data {
  if (v.data.length !== 1) throw new Error(`takeRows: column ${name} came back in ${v.data.length} chunks`);
  return v.data[0]!;
}
