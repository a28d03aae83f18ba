import type { Predicate, PredicateValue } from './predicate.js';

/**
 * How placeholders and column names are written.
 *
 * @example
 * toSql(goodRedshift(), { placeholder: 'question', rename: (c) => c.toLowerCase() });
 */
export interface SqlOptions {
  /** `$1, $2 ...` (PostgreSQL, DuckDB; default) or `?` (DuckDB, SQLite). */
  placeholder?: 'dollar' | 'question';
  /** Number of the first `$n` placeholder, to append to a query that already has parameters (default 1). */
  firstParam?: number;
  /** Maps a FITS column name to the SQL column name (default: unchanged, e.g. `ZWARN`; use `(c) => c.toLowerCase()` for lower-case tables). */
  rename?: (column: string) => string;
}

/**
 * A WHERE fragment and its bound parameters, in placeholder order.
 *
 * @example
 * const { sql, params }: SqlFragment = toSql(primarySpectrum()); // '("ZCAT_PRIMARY" = $1)', [true]
 */
export interface SqlFragment {
  sql: string;
  params: PredicateValue[];
}

/** Quotes an SQL identifier ("A""B" for A"B). @example quoteIdent('ZWARN') // '"ZWARN"' */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Renders a predicate as an SQL WHERE fragment: column names quoted, every threshold a bound parameter (never
 * pasted into the text), so it can be dropped into `SELECT ... WHERE ${sql}` for DuckDB or PostgreSQL.
 *
 * @example
 * toSql(goodRedshift());
 * // { sql: '(("ZWARN" = $1) AND ("DELTACHI2" > $2) AND ("COADD_FIBERSTATUS" = $3))', params: [0, 25, 0] }
 */
export function toSql(p: Predicate, opts: SqlOptions = {}): SqlFragment {
  const params: PredicateValue[] = [];
  let next = opts.firstParam ?? 1;
  const rename = opts.rename ?? ((c: string) => c);
  const bind = (v: PredicateValue): string => {
    params.push(v);
    return opts.placeholder === 'question' ? '?' : `$${next++}`;
  };
  const col = (c: string): string => quoteIdent(rename(c));
  const render = (q: Predicate): string => {
    switch (q.kind) {
      case 'cmp':
        return `(${col(q.column)} ${q.op === '!=' ? '<>' : q.op} ${bind(q.value)})`;
      case 'in':
        return `(${col(q.column)} IN (${q.values.map(bind).join(', ')}))`;
      case 'bitsClear':
        return `((${col(q.column)} & ${bind(q.mask)}) = 0)`;
      case 'bitsAny':
        return `((${col(q.column)} & ${bind(q.mask)}) <> 0)`;
      case 'and':
      case 'or':
        return `(${q.parts.map(render).join(q.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${render(q.part)})`;
    }
  };
  return { sql: render(p), params };
}
