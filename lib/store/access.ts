import { StoreError } from '../errors/index.js';
import type { EngineName, StreamOptions } from './store.js';

/**
 * What SQL a store lets through, fixed when it is opened (`openStore(url, { readOnly, allowFiles })`).
 *
 * @example
 * const access: StoreAccess = { readOnly: true, allowFiles: false }; // what skybook query opens by default
 */
export interface StoreAccess {
  /** One statement at a time, and only statements that read; the engine itself refuses writes too. */
  readOnly: boolean;
  /** SQL may read and write files (DuckDB's file functions, COPY TO, ATTACH; PostgreSQL's COPY and server-file functions). */
  allowFiles: boolean;
}

/** Rows per streamed batch unless asked otherwise: four DuckDB data chunks; a PostgreSQL FETCH of this many rows. */
export const DEFAULT_BATCH_ROWS = 8192;

/** How a refused statement is let through, for library users and `skybook query` users alike. */
const WRITE_HINT = '(--write in skybook query; readOnly: false in openStore)';
const FILES_HINT = '(--allow-files in skybook query; allowFiles: true in openStore)';

/**
 * The batch size a stream asks for, checked: a positive integer.
 *
 * @example
 * batchRowsOf({}) // 8192
 */
export function batchRowsOf(opts: StreamOptions | undefined): number {
  const n = opts?.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(n) || n < 1) throw new StoreError(`invalid batchRows: ${String(n)} (a positive integer)`);
  return n;
}

/**
 * Work a read-only store does not do: `what` says what it is and why it is not reading.
 *
 * @example
 * throw refusedWrite('duckdb', 'a load writes'); // "duckdb: refused: a load writes, and the store is read-only (--write ...)"
 */
export function refusedWrite(engine: EngineName, what: string): StoreError {
  return new StoreError(`refused: ${what}, and the store is read-only ${WRITE_HINT}`, { engine });
}

/**
 * A statement a read-only store does not run: `kind` is what it is (DROP, INSERT, COPY).
 *
 * @example
 * throw refusedStatement('duckdb', 'DROP'); // "duckdb: refused: DROP is not a reading statement, and the store is read-only (--write ...)"
 */
export function refusedStatement(engine: EngineName, kind: string): StoreError {
  return refusedWrite(engine, `${kind} is not a reading statement`);
}

/**
 * Several statements sent to a read-only store, which runs one at a time.
 *
 * @example
 * throw refusedScript('postgres', 2);
 */
export function refusedScript(engine: EngineName, count: number | undefined): StoreError {
  const what = count === undefined ? 'more than one statement' : `${count} statements`;
  return new StoreError(`refused: ${what}, and a read-only store runs one at a time ${WRITE_HINT}`, { engine });
}

/**
 * SQL that would read or write files where file access is off: `what` names it (COPY, pg_read_file, or the engine's
 * own words for the file it refused).
 *
 * @example
 * throw refusedFiles('postgres', 'pg_read_file reads or writes files on the server');
 */
export function refusedFiles(engine: EngineName, what: string, cause?: unknown): StoreError {
  return new StoreError(`refused: ${what}, and file access is off ${FILES_HINT}`, { engine }, 2, { cause });
}

/**
 * The engine's own refusal of a write on a read-only database or transaction, as bad input with the way to allow it.
 *
 * @example
 * throw readOnlyRefusal('postgres', 'cannot execute DELETE in a read-only transaction', e);
 */
export function readOnlyRefusal(engine: EngineName, message: string, cause: unknown): StoreError {
  return new StoreError(`refused: ${message.trim()} ${WRITE_HINT}`, { engine }, 2, { cause });
}
