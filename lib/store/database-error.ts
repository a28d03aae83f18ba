import { SkybookError, StoreError } from '../errors/index.js';
import type { EngineName } from './store.js';

/** DuckDB's error kinds that mean the statement itself is wrong (its SQL, its names, its values), not the database. */
const DUCK_STATEMENT = /^(Parser|Catalog|Binder|Conversion|Invalid Input|Not implemented|Constraint) Error\b/;
/** PostgreSQL SQLSTATE classes of the same: 42 syntax error or access rule violation, 22 data exception, 0A not supported, 23 integrity. */
const PG_STATEMENT = /^(42|22|0A|23)/;

/**
 * A database's own error as a StoreError naming the engine: exit code 2 when the statement is wrong (bad SQL, an unknown
 * table, a value of the wrong type: the user's input for `skybook query`), 1 when the database failed the work. A
 * SkybookError passes through unchanged.
 *
 * @example
 * try { await conn.run(text); } catch (e) { throw databaseError('duckdb', e); } // "duckdb: Parser Error: syntax error at ..."
 */
export function databaseError(engine: EngineName, e: unknown): SkybookError {
  if (e instanceof SkybookError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const sqlstate = (e as { code?: unknown }).code;
  const statement = engine === 'duckdb' ? DUCK_STATEMENT.test(message) : typeof sqlstate === 'string' && PG_STATEMENT.test(sqlstate);
  return new StoreError(message, { engine }, statement ? 2 : 1, { cause: e });
}
