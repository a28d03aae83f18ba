import type pg from 'pg';
import type { DataType, RecordBatch } from 'apache-arrow';
import { SkybookError, StoreError } from '../../errors/index.js';
import { batchRowsOf, readOnlyRefusal, refusedFiles, refusedScript, refusedStatement, type StoreAccess } from '../access.js';
import { databaseError } from '../database-error.js';
import { arrayDepth, arrowTypeOfPg, columnsToBatch } from '../result-arrow.js';
import type { SqlQuery, SqlValue } from '../sql.js';
import type { StreamOptions } from '../store.js';
import { scanSql } from './sql-scan.js';
import { bindValue, TYPES } from './pg-values.js';

/**
 * PostgreSQL commands that do more than read, refused on a read-only store before they are sent (the read-only
 * transaction would refuse most of them too; COPY TO a file and DO would not). A first word not listed goes to the
 * server, which reads it or says what is wrong with it.
 */
const NOT_READING = new Set(
  (
    'abort alter analyze begin call checkpoint close cluster comment commit copy create deallocate declare delete discard do drop ' +
    'end execute fetch grant import insert listen load lock merge move notify prepare reassign refresh reindex release reset ' +
    'revoke rollback savepoint security set start truncate unlisten update vacuum'
  ).split(' '),
);
/** First words of statements that return rows a cursor can walk through. */
const CURSOR_FIRST = new Set(['select', 'values', 'table', 'with']);
/** Words that make a query-shaped statement write (a data-modifying WITH, SELECT INTO): run to its end, not through a cursor. */
const WRITING_WORDS = ['insert', 'update', 'delete', 'merge', 'into'];

let cursors = 0;

/** The Arrow batch of `rows` under `fields`, in the types the stream's first batch fixed (set on first use). */
class BatchBuilder {
  private types: DataType[] | undefined;
  private depths: number[] | undefined;

  batch(fields: readonly pg.FieldDef[], rows: readonly unknown[][]): RecordBatch {
    const columns = fields.map((_, i) => rows.map((r) => r[i]));
    const depths = columns.map((c) => arrayDepth(c));
    if (!this.types) {
      this.depths = depths;
      this.types = fields.map((f, i) => arrowTypeOfPg(f.dataTypeID, depths[i]));
    }
    depths.forEach((d, i) => {
      const first = this.depths![i]!;
      if (d > 0 && first > 0 && d !== first)
        throw new StoreError(`arrays of ${d} dimensions after ${first} in the first batch (a stream's first batch fixes its types)`, {
          engine: 'postgres',
          column: fields[i]!.name,
        });
    });
    return columnsToBatch(
      fields.map((f) => f.name),
      this.types,
      columns,
    );
  }

  /** `rows` as batches of `size` rows; one empty batch when there are none. */
  *batches(fields: readonly pg.FieldDef[], rows: readonly unknown[][], size: number): Generator<RecordBatch> {
    if (rows.length === 0) yield this.batch(fields, rows);
    for (let at = 0; at < rows.length; at += size) yield this.batch(fields, rows.slice(at, at + size));
  }
}

/** Checks a statement against the store's access before it is sent; returns how to run it. */
function plan(text: string, access: StoreAccess): { script: boolean; cursor: boolean } {
  const scan = scanSql(text);
  if (scan.statements === 0) throw new StoreError('no SQL statement to run', { engine: 'postgres' });
  if (scan.statements > 1 && access.readOnly) throw refusedScript('postgres', scan.statements);
  if (access.readOnly && NOT_READING.has(scan.first)) throw refusedStatement('postgres', scan.first.toUpperCase());
  if (!access.allowFiles) {
    if (scan.first === 'copy') throw refusedFiles('postgres', 'COPY reads and writes files and programs on the server');
    if (scan.first === 'do') throw refusedFiles('postgres', 'DO runs code that can read and write files on the server');
    if (scan.fileFunction) throw refusedFiles('postgres', `${scan.fileFunction} reads files on the server, or runs SQL given as text`);
  }
  const writes = WRITING_WORDS.some((w) => scan.words.has(w));
  return { script: scan.statements > 1, cursor: CURSOR_FIRST.has(scan.first) && !writes };
}

/** PostgreSQL's error as a StoreError: a write refused by the read-only transaction says how to allow it. */
function failed(e: unknown, statement: string, offset: number): SkybookError {
  if (e instanceof SkybookError) return e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === '25006') return readOnlyRefusal('postgres', message, e);
  if (code === '42601' && /multiple commands/.test(message)) return refusedScript('postgres', undefined);
  return databaseError('postgres', e, statement, offset);
}

/**
 * Runs one statement (or, on a writable store, a script) on `client` and yields its rows as Arrow record batches.
 * A query (SELECT, VALUES, TABLE, a WITH that only reads) goes through a cursor, `FETCH batchRows` at a time, inside a
 * transaction (`BEGIN READ ONLY` on a read-only store, unless `inTransaction`: the caller's transaction holds it); it
 * commits when the rows are all read and rolls back when the reader stops early. Anything else runs to its end first,
 * through the extended protocol (the server refuses a second statement there), or, for a writable store's script, the
 * simple protocol (one implicit transaction). Read-only access refuses commands that write, and several statements;
 * with file access off, COPY, DO and the server-file functions (see sql-scan.ts) are refused before they are sent.
 *
 * @example
 * for await (const b of pgStream(client, 'select * from zcat', { readOnly: true, allowFiles: false }, {}, false)) n += b.numRows;
 */
export async function* pgStream(
  client: pg.PoolClient,
  q: SqlQuery | string,
  access: StoreAccess,
  opts: StreamOptions | undefined,
  inTransaction: boolean,
): AsyncGenerator<RecordBatch> {
  const batchRows = batchRowsOf(opts);
  const { text, values } = typeof q === 'string' ? { text: q, values: [] as SqlValue[] } : q;
  const { script, cursor } = plan(text, access);
  const builder = new BatchBuilder();
  const send = (config: object) => client.query(config as pg.QueryConfig) as Promise<unknown>;
  const query = (sent: string, bound: readonly SqlValue[] = [], offset = 0) =>
    send({ text: sent, values: bound.map(bindValue), rowMode: 'array', types: TYPES, queryMode: 'extended' }).catch((e: unknown) => {
      throw failed(e, text, offset);
    }) as Promise<pg.QueryResult<unknown[]>>;

  if (script) {
    if (values.length) throw new StoreError('bound parameters need a single statement; this SQL holds several', { engine: 'postgres' });
    // the simple protocol: PostgreSQL runs the statements in one implicit transaction and returns each one's result
    const all = (await send({ text, rowMode: 'array', types: TYPES }).catch((e: unknown) => {
      throw failed(e, text, 0);
    })) as pg.QueryResult<unknown[]> | pg.QueryResult<unknown[]>[];
    const last = Array.isArray(all) ? all[all.length - 1]! : all;
    yield* builder.batches(last.fields ?? [], last.rows ?? [], batchRows);
    return;
  }

  const own = !inTransaction && (cursor || access.readOnly);
  const name = `skybook_stream_${++cursors}`;
  let open = false;
  let finished = false;
  if (own) await query(access.readOnly ? 'begin read only' : 'begin');
  try {
    if (cursor) {
      const declare = `declare ${name} no scroll cursor for `;
      await query(declare + text, values, declare.length);
      open = true;
      for (let first = true; ; first = false) {
        const res = await query(`fetch forward ${batchRows} from ${name}`);
        if (res.rows.length > 0 || first) yield builder.batch(res.fields, res.rows);
        if (res.rows.length < batchRows) break;
      }
      await query(`close ${name}`);
      open = false;
    } else {
      const res = await query(text, values);
      yield* builder.batches(res.fields ?? [], res.rows ?? [], batchRows);
    }
    if (own) await query('commit');
    finished = true;
  } finally {
    if (!finished) {
      if (own) await client.query('rollback').catch(() => {});
      else if (open) await client.query(`close ${name}`).catch(() => {});
    }
  }
}
