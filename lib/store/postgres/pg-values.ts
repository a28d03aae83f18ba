import pg from 'pg';
import { PG_ARRAY_ELEMENT } from '../result-arrow.js';
import type { SqlValue } from '../sql.js';

const textArray = pg.types.getTypeParser(1009 as never) as (s: string) => unknown;

/**
 * Type parsers that keep int64 and NUMERIC exact: int8 as bigint, numeric as its decimal text, arrays alike.
 *
 * @example
 * await client.query({ text, rowMode: 'array', types: TYPES });
 */
export const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (s: string) => BigInt(s);
    if (oid === 1700) return (s: string) => s;
    const element = PG_ARRAY_ELEMENT[oid];
    if (element === 20) return (s: string) => deepMap(textArray(s), (x) => BigInt(x));
    if (element === 1700) return (s: string) => textArray(s);
    return pg.types.getTypeParser(oid as never, format as never);
  },
};

function deepMap(v: unknown, f: (s: string) => unknown): unknown {
  if (v === null) return null;
  return Array.isArray(v) ? v.map((x) => deepMap(x, f)) : f(v as string);
}

/**
 * A value as pg binds it: bigint as decimal text (exact), typed bytes as Buffer.
 *
 * @example
 * await client.query(text, values.map(bindValue));
 */
export function bindValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'bigint' ? x.toString() : x));
  return v;
}
