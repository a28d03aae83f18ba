import type { Table, Vector } from 'apache-arrow';
import { takeRows as takeTableRows } from '../read/take.js';
import { DesiError } from '../../errors/index.js';
import type { CompareOp, Predicate, PredicateValue } from './predicate.js';

// Three-valued logic as in SQL, so a predicate selects the same rows from an Arrow table as from a database:
// 1 true, 0 false, 2 unknown (a null cell). Only rows that end up true are kept.
const T = 1;
const F = 0;
const U = 2;

/**
 * Evaluates a predicate on every row of an Arrow table: a Uint8Array with 1 for rows that match, 0 otherwise (rows
 * whose deciding cells are null do not match, as in SQL). Column names match exactly, else case-insensitively.
 *
 * @example
 * const keep = evaluatePredicate(goodRedshift(), redshifts); // Uint8Array(numRows)
 */
export function evaluatePredicate(p: Predicate, table: Table): Uint8Array {
  const tri = evalTri(p, table);
  for (let i = 0; i < tri.length; i++) tri[i] = tri[i] === T ? 1 : 0;
  return tri;
}

/**
 * The rows of `table` that match, as a new table with the same schema (values copied, types kept: int64 as bigint,
 * vector columns, strings, logicals).
 *
 * @example
 * const good = filterTable(readRedrockTable, allOf(goodRedshift(), where('SPECTYPE', '=', 'QSO')));
 */
export function filterTable(table: Table, p: Predicate): Table {
  const keep = evaluatePredicate(p, table);
  const rows: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) rows.push(i);
  return takeRows(table, rows);
}

/** A new table holding the given rows in the given order, same schema and metadata. @example takeRows(t, [0, 5, 7]) */
export function takeRows(table: Table, rows: readonly number[]): Table {
  return takeTableRows(table, rows);
}

function column(table: Table, name: string): Vector {
  const exact = table.getChild(name);
  if (exact) return exact;
  const f = table.schema.fields.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (f) return table.getChild(f.name)!;
  throw new DesiError(`no column '${name}'; the table has: ${table.schema.fields.map((x) => x.name).join(', ')}`, { scope: 'predicate' });
}

function evalTri(p: Predicate, table: Table): Uint8Array {
  const n = table.numRows;
  switch (p.kind) {
    case 'and':
    case 'or': {
      const acc = evalTri(p.parts[0]!, table);
      for (const part of p.parts.slice(1)) {
        const r = evalTri(part, table);
        for (let i = 0; i < n; i++) acc[i] = p.kind === 'and' ? and3(acc[i]!, r[i]!) : or3(acc[i]!, r[i]!);
      }
      return acc;
    }
    case 'not': {
      const r = evalTri(p.part, table);
      for (let i = 0; i < n; i++) r[i] = r[i] === U ? U : r[i] === T ? F : T;
      return r;
    }
    default:
      return evalLeaf(p, column(table, p.column), n);
  }
}

function and3(a: number, b: number): number {
  return a === F || b === F ? F : a === U || b === U ? U : T;
}

function or3(a: number, b: number): number {
  return a === T || b === T ? T : a === U || b === U ? U : F;
}

function evalLeaf(p: Exclude<Predicate, { kind: 'and' | 'or' | 'not' }>, col: Vector, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const nullable = col.nullCount > 0;
  // numeric columns read from their typed array (fast path); others cell by cell
  const values: ArrayLike<unknown> | undefined = !nullable && isPrimitive(col) ? (col.toArray() as ArrayLike<unknown>) : undefined;
  for (let i = 0; i < n; i++) {
    const v = values ? values[i] : (col.get(i) as unknown);
    if (v === null || v === undefined || (nullable && !col.isValid(i))) {
      out[i] = U;
      continue;
    }
    out[i] = test(p, v) ? T : F;
  }
  return out;
}

function isPrimitive(col: Vector): boolean {
  const id = String(col.type);
  return /^(Int|Uint|Float)\d+$/.test(id) || id === 'Bool';
}

function test(p: Exclude<Predicate, { kind: 'and' | 'or' | 'not' }>, v: unknown): boolean {
  switch (p.kind) {
    case 'cmp':
      return compare(v, p.op, p.value);
    case 'in':
      return p.values.some((x) => compare(v, '=', x));
    case 'bitsClear':
      return (toBig(v) & p.mask) === 0n;
    case 'bitsAny':
      return (toBig(v) & p.mask) !== 0n;
  }
}

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new DesiError(`bit test on a non-integer value ${String(v)}`, { scope: 'predicate' });
}

function compare(cell: unknown, op: CompareOp, value: PredicateValue): boolean {
  let a: number | bigint | string | boolean;
  let b: number | bigint | string | boolean = value;
  if (typeof cell === 'string') {
    a = cell.trimEnd();
    if (typeof b === 'string') b = b.trimEnd();
  } else if (typeof cell === 'bigint' || typeof b === 'bigint') {
    // exact integer comparison when both sides are integers; a fractional threshold compares as doubles
    const cb = typeof cell === 'bigint' ? cell : typeof cell === 'number' && Number.isInteger(cell) ? BigInt(cell) : undefined;
    const vb = typeof b === 'bigint' ? b : typeof b === 'number' && Number.isInteger(b) ? BigInt(b) : undefined;
    if (cb !== undefined && vb !== undefined) {
      a = cb;
      b = vb;
    } else {
      a = Number(cell);
      b = Number(b);
    }
  } else {
    a = cell as number | boolean;
  }
  if (typeof a !== typeof b) {
    throw new DesiError(`cannot compare a ${typeof a} cell with ${typeof b} ${String(value)}`, { scope: 'predicate' });
  }
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}
