import { tableToIPC, Table, type RecordBatch, type Vector } from 'apache-arrow';
import { openStore } from '../../store/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { textTable, toJson } from '../output.js';
import { refuseBinaryOnTerminal, writeStdoutBytes, writeStdoutText } from '../stdio.js';
import type { Command } from './command.js';

const FORMATS = ['table', 'csv', 'ndjson', 'arrow'] as const;
type Format = (typeof FORMATS)[number];

/** Rows the aligned table shows at most: its column widths need every row it shows, so it reads no more than these. */
const TABLE_ROWS = 1000;

/** A result cell as JSON-ready JS: list cells as arrays (int64 stays bigint for toJson to write exactly). */
function cellOf(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && typeof (v as Vector).toArray === 'function') return Array.from(v as Iterable<unknown>, cellOf);
  return v;
}

/** A cell as text for the table and CSV formats. */
function cellText(v: unknown): string {
  const c = cellOf(v);
  if (c === null) return '';
  return typeof c === 'object' ? toJson(c) : String(c);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows of a batch, `from` to `to`, as arrays of cells. */
function rowsOf(b: RecordBatch, from = 0, to = b.numRows): unknown[][] {
  const cols = b.schema.fields.map((_, i) => b.getChildAt(i)!);
  const rows: unknown[][] = [];
  for (let r = from; r < to; r++) rows.push(cols.map((c) => c.get(r)));
  return rows;
}

/** A batch as CSV or NDJSON lines. */
function linesOf(b: RecordBatch, format: 'csv' | 'ndjson'): string {
  const names = b.schema.fields.map((f) => f.name);
  let text = '';
  for (const row of rowsOf(b)) {
    text +=
      format === 'ndjson'
        ? toJson(Object.fromEntries(names.map((n, i) => [n, cellOf(row[i])])), undefined, 'exact-numbers') + '\n'
        : row.map((c) => csvField(cellText(c))).join(',') + '\n';
  }
  return text;
}

/**
 * The bytes of an Arrow IPC stream, batch by batch: the schema message before the first batch, each batch's own
 * message, and the end-of-stream marker after the last (from `tableToIPC` of one batch: a stream is its schema message,
 * 8 + metadata bytes long with no body, then the batch, then 8 bytes of end marker).
 */
class IpcStream {
  private started = false;

  part(b: RecordBatch): Uint8Array {
    const bytes = tableToIPC(new Table([b]), 'stream');
    const body = bytes.subarray(0, bytes.length - 8);
    if (this.started) return body.subarray(8 + new DataView(bytes.buffer, bytes.byteOffset).getInt32(4, true));
    this.started = true;
    return body;
  }

  static readonly END = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
}

/**
 * `skybook query --db URL "SQL"`: runs SQL against a store and prints the result as an aligned table, CSV, NDJSON
 * (int64 as numbers, as strings beyond 2^53) or an Arrow IPC stream (to -o OUT, or to a stdout that is not a
 * terminal). Read-only unless `--write`: one statement that reads; file access off unless `--allow-files`. Results
 * stream batch by batch (flat memory; the first row comes at once; a reader that stops early, `| head`, stops the
 * query); the table shows the first 1000 rows. A DuckDB file must exist: this command never makes one.
 *
 * @example
 * skybook query --db duckdb:survey.duckdb "select spectype, count(*) n from zcat group by 1" --format csv
 */
export const queryCommand: Command = {
  name: 'query',
  usage: 'skybook query --db duckdb:PATH|postgres://URL "SQL" [--format table|csv|ndjson|arrow] [-o OUT] [--write] [--allow-files]',
  summary: 'run SQL against a store (read-only unless --write); print a table, CSV, NDJSON or Arrow',
  flags: [
    {
      flag: 'SQL',
      help:
        "one SQL statement that reads (several, or one that writes, need --write); a mistake in it exits 2 with the engine's " +
        'message and its LINE and caret lines',
    },
    {
      flag: '--db URL',
      help: 'duckdb:PATH (an existing DuckDB file: a missing one is refused, never made), duckdb::memory:, or postgres://USER@HOST:PORT/DB (required)',
    },
    {
      flag: '--format F',
      help:
        `table (default): aligned columns, at most the first ${TABLE_ROWS} rows (it reads no more: use csv, ndjson or arrow ` +
        'for every row). csv: int64 in full. ndjson: one JSON object per row, int64 as numbers, or decimal strings beyond ' +
        '2^53 (|v| > 9007199254740991). arrow: an Arrow IPC stream, to -o OUT or to a stdout that is not a terminal. ' +
        'csv, ndjson and arrow stream: memory stays flat and the first rows come at once',
    },
    { flag: '-o, --out OUT', help: 'write the result here (atomically: a partial file is removed on failure) instead of stdout' },
    {
      flag: '--write',
      help:
        'let the SQL write (DuckDB opens the file read-write; PostgreSQL runs it in a read-write transaction). Without it ' +
        'the database is opened read-only and a statement that writes (DROP, INSERT, CREATE, ...) is refused, exit 2. ' +
        'With it several statements may be given, separated by ;: they run in order in one transaction, and the last ' +
        "one's rows are printed (DuckDB: a script may not BEGIN or COMMIT itself)",
    },
    {
      flag: '--allow-files',
      help:
        'let the SQL read and write files (off by default, also with --write). DuckDB: read_text, read_csv, read_parquet, COPY ... TO, ' +
        "ATTACH, INSTALL. PostgreSQL: COPY, DO and the server's file functions (pg_read_file, lo_import, ...), which " +
        'the role must be allowed too',
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['sql'],
      values: ['db', 'format', 'out'],
      switches: ['write', 'allow-files'],
      aliases: { o: 'out' },
    });
    const db = args.values.db;
    if (!db) throw new UsageError('missing --db duckdb:PATH|postgres://URL', { option: 'db' });
    const format = (args.values.format ?? 'table') as Format;
    if (!FORMATS.includes(format)) throw UsageError.invalid('format', format, `one of ${FORMATS.join(', ')}`);
    const out = args.values.out;
    if (format === 'arrow' && out === undefined) refuseBinaryOnTerminal(io, format); // before any work
    const write = args.switches.has('write');
    // a reading command by default: a mistyped path makes no empty database, and the SQL reads, one statement, no files
    const store = await openStore(db, { create: false, readOnly: !write, allowFiles: args.switches.has('allow-files') });
    let sink: OutputFile | undefined;
    try {
      sink = out !== undefined ? await OutputFile.open('-o', out) : undefined; // an unwritable -o fails before the query runs
      const text = (s: string) => (sink ? sink.write(s) : writeStdoutText(io, s));
      const bytes = (b: Uint8Array) => (sink ? sink.write(b) : writeStdoutBytes(io, b));
      const batches = store.stream(args.positionals.sql!);
      if (format === 'table') await text(await tableText(batches));
      else if (format === 'arrow') {
        const ipc = new IpcStream();
        for await (const b of batches) await bytes(ipc.part(b));
        await bytes(IpcStream.END);
      } else {
        let header = format === 'csv';
        for await (const b of batches) {
          if (header) {
            await text(b.schema.fields.map((f) => csvField(f.name)).join(',') + '\n');
            header = false;
          }
          if (b.numRows > 0) await text(linesOf(b, format));
        }
      }
      await sink?.commit();
      return 0;
    } catch (e) {
      await sink?.abandon();
      throw e;
    } finally {
      await store.close();
    }
  },
};

/** The aligned table of the first {@link TABLE_ROWS} rows; reading stops there (the rest of the query is not run). */
async function tableText(batches: AsyncIterable<RecordBatch>): Promise<string> {
  let names: string[] = [];
  const rows: string[][] = [];
  let more = false;
  for await (const b of batches) {
    names = b.schema.fields.map((f) => f.name);
    const take = Math.min(b.numRows, TABLE_ROWS - rows.length);
    for (const row of rowsOf(b, 0, take)) rows.push(row.map(cellText));
    if (take < b.numRows) {
      more = true;
      break;
    }
  }
  const count = more
    ? `(the first ${TABLE_ROWS} rows; more not read: --format csv, ndjson or arrow prints every row)`
    : `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  return names.length ? `${textTable(names, rows)}\n${count}\n` : `${count}\n`; // a statement without columns (PostgreSQL's DROP)
}
