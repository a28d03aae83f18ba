import { createRequire } from 'node:module';
import { RecordBatchFileWriter, type Table, tableToIPC } from 'apache-arrow';
import { type CloudyOutput, readOutFile, readSaveFile, SAVE_KINDS, type SaveKind, type SaveTable, saveKindOf } from '../../cloudy/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

const KINDS = ['out', ...SAVE_KINDS, 'save'] as const;
type Kind = (typeof KINDS)[number];
const FORMATS = ['parquet', 'arrow'] as const;

/** A table's rows as plain objects for JSON (non-finite numbers as strings: JSON has no NaN). */
function rowsOf(t: Table): Record<string, unknown>[] {
  return t.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && !Number.isFinite(v)) o[k] = String(v);
    return o;
  });
}

function outSummary(o: CloudyOutput) {
  return {
    kind: 'out',
    version: o.version,
    title: o.title ?? null,
    zones: o.zones ?? null,
    iterations: o.iterations ?? null,
    stops: o.stops,
    cautions: o.cautions,
    warnings: o.warnings,
    surprises: o.surprises,
    ended: o.ended,
    exitedOk: o.exitedOk,
    failure: o.failure ?? null,
    execSeconds: o.execSeconds ?? null,
    commands: o.commands,
    lines: o.lines.numRows,
    ionColumns: o.columns.numRows,
  };
}

function saveSummary(s: SaveTable) {
  return { kind: s.kind, blocks: s.blocks, layout: s.layout ?? null, columns: s.columns };
}

/**
 * `skybook cloudy parse FILE [--kind K] [--json | --format parquet|arrow -o OUT]`: a Cloudy main output or save file
 * read into a table (the line table of a `.out`), summarised, printed as JSON, or written as Parquet / Arrow.
 *
 * @example
 * skybook cloudy parse hii_sphere.out --json | jq '.stops'
 * skybook cloudy parse grid.ovr --format parquet -o grid-overview.parquet
 */
export const cloudyParse: Command = {
  name: 'cloudy parse',
  usage:
    'skybook cloudy parse FILE [--kind out|ovr|ems|lin|con|grd|h2col|save] [--table lines|columns] [--json | --format parquet|arrow -o OUT]',
  summary: 'a Cloudy output (.out) or save file into a table: summary, JSON, Parquet or Arrow (C10 and C17+ layouts)',
  flags: [
    { flag: 'FILE', help: 'a file Cloudy wrote: the main output (.out) or a save file (.ovr, .ems, .lin, .con, .grd, .h2col, ...)' },
    {
      flag: '--kind K',
      help: 'what FILE is, when its extension does not say: out (main output), ovr (save overview), ems (save lines, emissivity), lin (save lines, array), con (save continuum), grd (save grid), h2col (save H2 column density), save (any other tab-separated save file)',
    },
    {
      flag: '--table lines|columns',
      help: 'for a .out: the emission-line table (default) or the ionic column densities (ELEMENT, ION with 1 the neutral atom, LOG_COLUMN)',
    },
    {
      flag: '--json',
      help: 'print what the file says (for .out: version, stops, cautions, warnings, zones, iterations, exit) and its rows as JSON',
    },
    { flag: '--format parquet|arrow', help: 'write the table (for .out: the one --table picks) to -o OUT' },
    { flag: '-o, --out OUT', help: 'the Parquet or Arrow file to write (atomically), with --format' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['file'],
      values: ['kind', 'format', 'out', 'table'],
      switches: ['json'],
      aliases: { o: 'out' },
    });
    const file = args.positionals.file!;
    const v = args.values;
    const kind = (v.kind ?? (/\.out$/i.test(file) ? 'out' : saveKindOf(file))) as Kind;
    if (!KINDS.includes(kind)) throw UsageError.invalid('kind', v.kind!, `one of ${KINDS.join(', ')}`);
    const format = v.format as (typeof FORMATS)[number] | undefined;
    if (format !== undefined && !FORMATS.includes(format)) throw UsageError.invalid('format', format, FORMATS.join(' or '));
    if (format && !v.out) throw new UsageError(`--format ${format} needs -o OUT`, { option: 'out' });
    if (v.out && !format) throw new UsageError('-o OUT needs --format parquet|arrow', { option: 'format' });
    const which = v.table ?? 'lines';
    if (which !== 'lines' && which !== 'columns') throw UsageError.invalid('table', which, 'lines or columns');
    if (v.table !== undefined && kind !== 'out') throw new UsageError('--table picks a table of a .out (--kind out)', { option: 'table' });
    const json = args.switches.has('json');
    if (json && format) throw new UsageError('--json prints to stdout; --format writes -o OUT: give one', { option: 'json' });
    const sink = v.out ? await OutputFile.open('-o', v.out) : undefined; // an unwritable -o fails before parsing
    try {
      let table: Table;
      let summary: Record<string, unknown>;
      if (kind === 'out') {
        const o = await readOutFile(file);
        table = which === 'columns' ? o.columns : o.lines;
        summary = outSummary(o);
      } else {
        const s = await readSaveFile(file, { kind: kind as SaveKind });
        table = s.table;
        summary = saveSummary(s);
      }
      if (sink) {
        if (format === 'parquet') {
          const pq = createRequire(import.meta.url)('parquet-wasm/node') as {
            Table: { fromIPCStream(b: Uint8Array): unknown };
            writeParquet(t: unknown): Uint8Array;
          };
          await sink.write(pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream'))));
        } else await sink.write(RecordBatchFileWriter.writeAll(table).toUint8Array(true));
        await sink.commit();
      }
      if (json) io.stdout(toJson({ file, ...summary, rows: rowsOf(table) }, 2) + '\n');
      else io.stdout(describe(file, summary, table, v.out));
      return 0;
    } catch (e) {
      await sink?.abandon();
      throw e;
    }
  },
};

function describe(file: string, s: Record<string, unknown>, t: Table, out: string | undefined): string {
  const written = out ? `; written to ${out}` : '';
  if (s.kind === 'out') {
    const stops = (s.stops as { iteration: number; reason: string }[]).map((x) => `iteration ${x.iteration}: ${x.reason}`);
    return (
      `${file}: Cloudy ${s.version}${s.title ? ` "${s.title}"` : ''}: ${s.zones ?? '?'} zones, ${s.iterations ?? '?'} iterations, ` +
      `${(s.cautions as string[]).length} cautions, ${(s.warnings as string[]).length} warnings; ` +
      `${s.exitedOk ? 'exited OK' : `did not exit OK${s.failure ? ` (${s.failure})` : ''}`}\n` +
      (stops.length ? `stopped: ${stops.join('; ')}\n` : '') +
      `${s.lines} emission lines, ${s.ionColumns} ionic column densities${written}\n`
    );
  }
  return `${file}: ${s.kind}, ${t.numRows} rows in ${s.blocks} block(s), ${(s.columns as string[]).length} columns${s.layout === 'log10' ? ' (C10 log10 overview, read as linear values)' : ''}${written}\n`;
}
