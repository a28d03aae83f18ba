import { SkybookError, StoreError } from '../errors/index.js';
import type { EngineName } from './store.js';

/** DuckDB's error kinds that mean the statement itself is wrong (its SQL, its names, its values), not the database. */
const DUCK_STATEMENT = /^(Parser|Catalog|Binder|Conversion|Invalid Input|Not implemented|Constraint) Error\b/;
/** PostgreSQL SQLSTATE classes of the same: 42 syntax error or access rule violation, 22 data exception, 0A not supported, 23 integrity. */
const PG_STATEMENT = /^(42|22|0A|23)/;
/** Where DuckDB's message turns into its context lines: a blank line, then `LINE n: ...` and the caret. */
const DUCK_CONTEXT = /\n\s*\n(?=LINE \d+:)/;
/** How much of a long statement line the caret context shows, as psql trims it. */
const CONTEXT_WIDTH = 100;

/**
 * A database's own error as a StoreError naming the engine: exit code 2 when the statement is wrong (bad SQL, an unknown
 * table, a value of the wrong type: the user's input for `skybook query`), 1 when the database failed the work. The
 * message is the engine's first lines; `detail` holds the statement line it points at and a caret under the place,
 * as psql and DuckDB print them (DuckDB's own, PostgreSQL's built from the error's `position` in `statement`, less
 * `offset` when the text sent had `offset` characters of skybook's own before the statement). A SkybookError passes
 * through unchanged.
 *
 * @example
 * try { await conn.run(text); } catch (e) { throw databaseError('duckdb', e); } // "duckdb: Parser Error: syntax error at ..."
 */
export function databaseError(engine: EngineName, e: unknown, statement?: string, offset = 0): SkybookError {
  if (e instanceof SkybookError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const sqlstate = (e as { code?: unknown }).code;
  const isStatement = engine === 'duckdb' ? DUCK_STATEMENT.test(message) : typeof sqlstate === 'string' && PG_STATEMENT.test(sqlstate);
  let problem = message;
  let detail: string | undefined;
  if (engine === 'duckdb') {
    const cut = message.search(DUCK_CONTEXT);
    if (cut >= 0) {
      problem = message.slice(0, cut);
      detail = message
        .slice(cut)
        .replace(/^\s*\n/, '')
        .trimEnd();
    }
  } else {
    const position = Number((e as { position?: unknown }).position) - offset;
    if (statement !== undefined && Number.isInteger(position) && position > 0) detail = caretContext(statement, position);
  }
  return new StoreError(problem.trim().replace(/\s*\n\s*/g, ' '), { engine }, isStatement ? 2 : 1, { cause: e, detail });
}

/**
 * The line of `statement` holding character `position` (1-based, as PostgreSQL counts) and a caret under it, as psql
 * prints them: `LINE 2:   from nope` / `             ^`. A line longer than 100 characters is cut around the place.
 *
 * @example
 * caretContext('selec 1', 1); // 'LINE 1: selec 1\n        ^'
 */
export function caretContext(statement: string, position: number): string {
  const chars = Array.from(statement); // PostgreSQL counts characters, not UTF-16 units
  const at = Math.min(position - 1, chars.length);
  let start = at;
  while (start > 0 && chars[start - 1] !== '\n') start--;
  let end = at;
  while (end < chars.length && chars[end] !== '\n') end++;
  const lineNo = chars.slice(0, start).filter((c) => c === '\n').length + 1;
  let line = chars.slice(start, end).map((c) => (c === '\t' || c === '\r' ? ' ' : c));
  let column = at - start;
  if (line.length > CONTEXT_WIDTH) {
    const from = Math.max(0, Math.min(column - CONTEXT_WIDTH / 2, line.length - CONTEXT_WIDTH));
    const cut = line.slice(from, from + CONTEXT_WIDTH);
    const head = from > 0 ? ['.', '.', '.'] : [];
    const tail = from + CONTEXT_WIDTH < line.length ? ['.', '.', '.'] : [];
    column = column - from + head.length;
    line = [...head, ...cut, ...tail];
  }
  const prefix = `LINE ${lineNo}: `;
  return `${prefix}${line.join('').trimEnd()}\n${' '.repeat(prefix.length + column)}^`;
}
