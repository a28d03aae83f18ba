import { createRequire } from 'node:module';
import { RecordBatchFileWriter, Table, tableToIPC, type RecordBatch, type Schema, type Vector } from 'apache-arrow';
import { UsageError } from '../../errors/index.js';
import { FitsFile } from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { int64Json } from '../output.js';
import { progressFor, refuseBinaryOnTerminal, writeStdoutBytes, writeStdoutText } from '../stdio.js';
import type { Command } from './command.js';

const FORMATS = ['ndjson', 'csv', 'arrow', 'parquet'] as const;
type Format = (typeof FORMATS)[number];

/** A cell as JSON-ready JS: int64 as numbers, or decimal strings beyond 2^53 (exact), vectors as arrays, complex as {re, im}. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return int64Json(v);
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'object' && Symbol.iterator in (v as object) && typeof (v as Vector).toArray === 'function')
    return [...(v as Iterable<unknown>)].map(plain);
  if (typeof v === 'object' && v !== null && 'toJSON' in v) return plain((v as { toJSON(): unknown }).toJSON());
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function csvCell(v: unknown): string {
  const p = plain(v);
  if (p === null) return '';
  const s = typeof p === 'object' ? JSON.stringify(p) : String(p);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function* textLines(batch: RecordBatch, format: 'ndjson' | 'csv'): Generator<string> {
  const cols = batch.schema.fields.map((f, i) => ({ name: f.name, v: batch.getChildAt(i)! }));
  for (let r = 0; r < batch.numRows; r++) {
    if (format === 'ndjson') {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c.name] = plain(c.v.get(r));
      yield JSON.stringify(o) + '\n';
    } else yield cols.map((c) => csvCell(c.v.get(r))).join(',') + '\n';
  }
}

/**
 * `skybook fits export FILE --hdu NAME|N [--format ndjson|csv|arrow|parquet] [-o OUT] [--columns A,B]`: one table HDU
 * as NDJSON (the default), CSV, an Arrow IPC file or Parquet, to `-o OUT` (written atomically) or to stdout (binary
 * formats only when stdout is not a terminal).
 *
 * @example
 * skybook fits export zall-pix-iron.fits --hdu ZCATALOG --columns TARGETID,Z,ZWARN > z.ndjson
 */
export const fitsExport: Command = {
  name: 'fits export',
  usage: 'skybook fits export FILE --hdu NAME|N [--format ndjson|csv|arrow|parquet] [-o OUT] [--columns A,B]',
  summary: 'a table HDU as NDJSON, CSV, Arrow IPC or Parquet (int64 exact; written atomically)',
  flags: [
    { flag: 'FILE', help: 'the FITS file: a path (.gz and .fz too), an http(s):// URL or s3://BUCKET/KEY' },
    { flag: '--hdu NAME|N', help: 'the table HDU (BINTABLE or ASCII TABLE), by EXTNAME or index (required)' },
    {
      flag: '--format F',
      help:
        'ndjson (default): one JSON object per row; int64 values are numbers, or decimal strings when beyond 2^53 ' +
        '(|v| > 9007199254740991, e.g. most TARGETIDs), so every digit survives; NaN and Infinity as strings. ' +
        'csv: a header line, int64 in full. arrow: an Arrow IPC file. parquet: a Parquet file. ' +
        'arrow and parquet go to stdout only when it is not a terminal',
    },
    { flag: '-o, --out OUT', help: 'write here (atomically: a partial file is removed on failure) instead of stdout' },
    { flag: '--columns A,B', help: 'only these columns, in this order (default: all)' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['file'], values: ['hdu', 'format', 'out', 'columns'], aliases: { o: 'out' } });
    const format = (args.values.format ?? 'ndjson') as Format;
    if (!FORMATS.includes(format)) throw UsageError.invalid('format', format, `one of ${FORMATS.join(', ')}`);
    if (args.values.hdu === undefined) throw new UsageError('missing --hdu NAME|N', { option: 'hdu' });
    const out = args.values.out;
    if ((format === 'arrow' || format === 'parquet') && !out) refuseBinaryOnTerminal(io, format);
    const columns = args.values.columns
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const fits = await FitsFile.open(args.positionals.file!);
    let sink: OutputFile | undefined;
    const progress = progressFor(io, out !== undefined);
    try {
      const hdu = fits.hdu(args.values.hdu);
      sink = out ? await OutputFile.open('-o', out) : undefined; // an unwritable -o fails before any row is read
      const bytes = (b: Uint8Array): Promise<void> => (sink ? sink.write(b) : writeStdoutBytes(io, b));
      const batches: AsyncIterable<RecordBatch> =
        hdu.type === 'BINTABLE'
          ? fits.readBatches(hdu.index, { columns, progress })
          : (async function* () {
              yield* (await fits.readTable(hdu.index, { columns })).batches;
            })();
      if (format === 'parquet') {
        const all: RecordBatch[] = [];
        let schema: Schema | undefined;
        for await (const b of batches) {
          all.push(b);
          schema ??= b.schema;
        }
        const require = createRequire(import.meta.url);
        const pq = require('parquet-wasm/node') as {
          Table: { fromIPCStream(b: Uint8Array): unknown };
          writeParquet(t: unknown): Uint8Array;
        };
        await bytes(pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(new Table(schema!, all), 'stream'))));
      } else if (format === 'arrow') {
        const writer = new RecordBatchFileWriter();
        let broken: unknown;
        const pipe = (async () => {
          for await (const chunk of writer) await bytes(chunk);
        })();
        pipe.catch((e: unknown) => {
          broken = e; // a reader gone (or a full disk) stops the reading at the next batch; awaited below
        });
        for await (const b of batches) {
          if (broken !== undefined) break;
          writer.write(b);
        }
        writer.finish();
        await pipe;
      } else {
        const write = (s: string) => (sink ? sink.write(s) : writeStdoutText(io, s));
        let header = format === 'csv';
        for await (const b of batches) {
          if (header) {
            await write(b.schema.fields.map((f) => csvCell(f.name)).join(',') + '\n');
            header = false;
          }
          let text = '';
          for (const line of textLines(b, format)) text += line;
          await write(text);
        }
      }
      await sink?.commit();
      return 0;
    } catch (e) {
      await sink?.abandon();
      throw e;
    } finally {
      progress.finish();
      await fits.close();
    }
  },
};
