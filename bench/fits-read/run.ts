import { createReadStream, existsSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossCheck, type AnchorColumn, type OurColumn } from './cross-check.js';
import { ensureTable } from './make-table.js';
import { formatReport, type Figures, type Goal, type Row } from './report.js';
import { series, type Series } from './series.js';

/**
 * The FITS read benchmark: `skybook fits stats` (the CLI, as a user runs it) against astropy's `Table.read` plus
 * per-column sums of the same file, in one run; plus in-process readTable timings (all columns, one column) with peak
 * RSS, and a cross-check of every column's sum between the two tools.
 *
 * Usage: node dist/bench/fits-read/run.js [--rows N] [--seed S] [--repeat N] [--fresh] [--json] [--file PATH]
 */
interface Options {
  rows: number;
  seed: number;
  repeat: number;
  fresh: boolean;
  json: boolean;
  file?: string;
}

const GOALS = { ratio: 0.4, oneColumnSeconds: 0.2, rssOverFile: 1.5 };
const PYTHON = '/usr/bin/python3';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = join(ROOT, 'dist');

function parseOptions(argv: string[]): Options {
  const o: Options = { rows: 5_000_000, seed: 42, repeat: 3, fresh: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (name: string) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`invalid ${name}: ${argv[i]}`);
      return v;
    };
    if (a === '--rows') o.rows = num(a);
    else if (a === '--seed') o.seed = num(a);
    else if (a === '--repeat') o.repeat = num(a);
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--json') o.json = true;
    else if (a === '--file') o.file = argv[++i];
    else throw new Error(`invalid option: ${a} (usage: run.js [--rows N] [--seed S] [--repeat N] [--fresh] [--json] [--file PATH])`);
  }
  return o;
}

/** Reads the whole file once so both tools start from the page cache. */
function warmPageCache(path: string): Promise<void> {
  return new Promise((res, rej) => {
    createReadStream(path, { highWaterMark: 8 << 20 })
      .on('data', () => {})
      .on('end', () => res())
      .on('error', rej);
  });
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(line + '\n');
  const cli = join(DIST, 'lib/cli/main.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const table = o.file
    ? { path: o.file, size: statSync(o.file).size, rows: 0, writeSeconds: null }
    : await ensureTable({ dir: join(ROOT, 'bench/out'), rows: o.rows, seed: o.seed, fresh: o.fresh });
  log(
    `file ${table.path} (${(table.size / 1e9).toFixed(3)} GB${table.writeSeconds === null ? ', reused' : `, written in ${table.writeSeconds.toFixed(1)} s`})`,
  );
  await warmPageCache(table.path);

  const node = process.execPath;
  const measure = join(DIST, 'bench/fits-read/measure.js');
  const hook = join(DIST, 'bench/fits-read/rss-hook.js');
  const anchor = join(ROOT, 'bench/fits-read/astropy_read.py');
  const s: Record<string, Series> = {};
  const run = async (key: string, cmd: string, args: string[]) => (s[key] = await series(key, cmd, args, o.repeat, log));
  await run('cli', node, ['--import', hook, cli, 'fits', 'stats', table.path, '--json']);
  await run('astropy', PYTHON, [anchor, table.path]);
  await run('stats', node, [measure, 'stats', table.path]);
  await run('full', node, [measure, 'full', table.path]);
  await run('column', node, [measure, 'column', table.path, 'Z']);
  await run('verify', node, [measure, 'verify', table.path]);
  await run('io', node, [measure, 'io', table.path]);
  await run('astropyColumn', PYTHON, [anchor, table.path, '--column', 'Z']);

  const ours = JSON.parse(s.cli!.best.stdout) as { hdus: { table: { rows: number; columns: OurColumn[] } | null }[] };
  const theirs = JSON.parse(s.astropy!.best.stdout.trim().split('\n').at(-1)!) as {
    astropy: string;
    numpy: string;
    rows: number;
    readSeconds: number;
    columns: Record<string, AnchorColumn>;
  };
  const ourTable = ours.hdus[1]?.table;
  const mismatches = crossCheck(ourTable?.columns ?? [], theirs.columns);
  if (ourTable && ourTable.rows !== theirs.rows)
    mismatches.push({ column: '(table)', what: 'rows', ours: String(ourTable.rows), astropy: String(theirs.rows) });
  const astropyReadBest = theirs.readSeconds;

  const row = (tool: Row['tool'], what: string, x: Series, seconds = x.best.seconds ?? x.best.wallSeconds): Row => {
    const r: Row = { tool, what, seconds, times: x.times };
    if (x.maxRssBytes !== undefined) r.maxRssBytes = x.maxRssBytes;
    return r;
  };
  const rows: Row[] = [
    row('skybook', 'fits stats --json (CLI, wall clock)', s.cli!, s.cli!.best.wallSeconds),
    row('astropy', 'Table.read + per-column sums', s.astropy!),
    { tool: 'astropy', what: '  of which Table.read (same run)', seconds: astropyReadBest, times: [] },
    row('skybook', "fitsStats in-process (= the CLI's work)", s.stats!),
    row('skybook', 'CHECKSUM/DATASUM alone (fits verify)', s.verify!),
    row('skybook', 'readTable, all 25 columns', s.full!),
    row('skybook', 'readTable, one column (Z)', s.column!),
    row('astropy', 'one column (Z), memmap + copy', s.astropyColumn!),
    row('skybook', 'raw I/O: table bytes, 128 KiB preads, 1 thread', s.io!),
  ];
  const cliSeconds = s.cli!.best.wallSeconds;
  const astropySeconds = s.astropy!.best.seconds!;
  const ratios = {
    'skybook fits stats CLI / astropy Table.read+sums': cliSeconds / astropySeconds,
    'skybook fitsStats in-process / astropy Table.read+sums': s.stats!.best.seconds! / astropySeconds,
    'skybook readTable all columns / astropy Table.read': s.full!.best.seconds! / astropyReadBest,
  };
  const goal = (name: string, value: number, limit: number): Goal => ({ goal: name, value, limit, pass: value <= limit });
  const goals = [
    goal('time: skybook fits stats / astropy (x)', cliSeconds / astropySeconds, GOALS.ratio),
    goal(`one column of ${(theirs.rows / 1e6).toFixed(1)}M rows (s)`, s.column!.best.seconds!, GOALS.oneColumnSeconds),
    goal('peak RSS of the full read / file size (x)', (s.full!.maxRssBytes ?? NaN) / table.size, GOALS.rssOverFile),
  ];
  const figures: Figures = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? '?',
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      astropy: theirs.astropy,
      numpy: theirs.numpy,
    },
    file: {
      path: table.path.startsWith(ROOT) ? table.path.slice(ROOT.length + 1) : table.path,
      rows: theirs.rows,
      bytes: table.size,
      writeSeconds: table.writeSeconds,
    },
    repeat: o.repeat,
    rows,
    ratios,
    goals,
    crossCheck: { columns: Object.keys(theirs.columns).length, mismatches },
  };
  process.stdout.write(o.json ? JSON.stringify(figures, null, 2) + '\n' : formatReport(figures));
  if (mismatches.length) process.exitCode = 1;
}

await main();
