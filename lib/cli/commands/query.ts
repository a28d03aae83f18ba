import { tableToIPC, type Table, type Vector } from 'apache-arrow';
import { openStore } from '../../store/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { writeOutput } from '../output-file.js';
import { textTable, toJson } from '../output.js';
import { refuseBinaryOnTerminal, writeStdoutBytes } from '../stdio.js';
import type { Command } from './command.js';

const FORMATS = ['table', 'csv', 'ndjson', 'arrow'] as const;
type Format = (typeof FORMATS)[number];

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

function render(t: Table, format: Exclude<Format, 'arrow'>): string {
  const names = t.schema.fields.map((f) => f.name);
  const cols = names.map((_, i) => t.getChildAt(i)!);
  const rows: unknown[][] = [];
  for (let r = 0; r < t.numRows; r++) rows.push(cols.map((c) => c.get(r)));
  if (format === 'ndjson')
    return rows
      .map((row) => toJson(Object.fromEntries(names.map((n, i) => [n, cellOf(row[i])])), undefined, 'exact-numbers') + '\n')
      .join('');
  if (format === 'csv')
    return [names, ...rows.map((row) => row.map(cellText))].map((r) => r.map((s) => csvField(String(s))).join(',')).join('\n') + '\n';
  return (
    textTable(
      names,
      rows.map((row) => row.map(cellText)),
    ) + `\n(${t.numRows} row${t.numRows === 1 ? '' : 's'})\n`
  );
}

/**
 * `skybook query --db URL "SQL"`: runs one SQL statement against a store and prints the result as an aligned table, CSV,
 * NDJSON (int64 as numbers, as strings beyond 2^53) or an Arrow IPC stream (to -o OUT, or to a stdout that is not a
 * terminal). A DuckDB file must exist: this command never makes one.
 *
 * @example
 * skybook query --db duckdb:survey.duckdb "select spectype, count(*) n from zcat group by 1" --format csv
 */
export const queryCommand: Command = {
  name: 'query',
  usage: 'skybook query --db duckdb:PATH|postgres://URL "SQL" [--format table|csv|ndjson|arrow] [-o OUT]',
  summary: 'run SQL against a store; print a table, CSV, NDJSON or Arrow',
  flags: [
    { flag: 'SQL', help: "one SQL statement; a mistake in it exits 2 with the engine's message and its LINE and caret lines" },
    {
      flag: '--db URL',
      help: 'duckdb:PATH (an existing DuckDB file: a missing one is refused, never made), duckdb::memory:, or postgres://USER@HOST:PORT/DB (required)',
    },
    {
      flag: '--format F',
      help:
        'table (default): aligned columns and a row count. csv: int64 in full. ndjson: one JSON object per row, int64 as ' +
        'numbers, or decimal strings beyond 2^53 (|v| > 9007199254740991). arrow: an Arrow IPC stream, to -o OUT or to ' +
        'a stdout that is not a terminal',
    },
    { flag: '-o, --out OUT', help: 'write the result here (atomically) instead of stdout' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['sql'], values: ['db', 'format', 'out'], aliases: { o: 'out' } });
    const db = args.values.db;
    if (!db) throw new UsageError('missing --db duckdb:PATH|postgres://URL', { option: 'db' });
    const format = (args.values.format ?? 'table') as Format;
    if (!FORMATS.includes(format)) throw UsageError.invalid('format', format, `one of ${FORMATS.join(', ')}`);
    if (format === 'arrow' && args.values.out === undefined) refuseBinaryOnTerminal(io, format); // before any work
    const store = await openStore(db, { create: false }); // a reading command: a mistyped path makes no empty database
    let table: Table;
    try {
      table = await store.query(args.positionals.sql!);
    } finally {
      await store.close();
    }
    const result = format === 'arrow' ? tableToIPC(table, 'stream') : render(table, format);
    const out = args.values.out;
    if (out !== undefined) await writeOutput('-o', out, result);
    else if (typeof result === 'string') io.stdout(result);
    else await writeStdoutBytes(io, result);
    return 0;
  },
};
