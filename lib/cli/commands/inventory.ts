import { UsageError } from '../../errors/index.js';
import { inventory, type InventoryResult } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { toJson, warningsOf } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

function summary(r: InventoryResult): string {
  const lines = [
    `${r.table}: scan ${r.scan}: ${r.scanned} file(s) scanned, ${r.unchanged} unchanged (not read), ${r.read} read, ` +
      `${r.removed} removed, ${r.failed} failed; ${r.rows} HDU row(s) written in ${r.seconds.toFixed(2)} s`,
  ];
  for (const p of r.removedPaths) lines.push(`removed: ${p} (no longer in the input; its rows are deleted)`);
  for (const f of r.failures) lines.push(`failed: ${f.error}`);
  if (r.checksumBad) lines.push(`${r.checksumBad} HDU(s) fail CHECKSUM/DATASUM verification (see the checksum and datasum columns)`);
  return lines.join('\n') + '\n';
}

/**
 * `skybook inventory DIR|URL-LIST --into URL`: one row per HDU of every FITS file under a folder or in a list, headers
 * only, rescans reading only what changed (see lib/store/inventory and docs/inventory.md). Exit 1 when a file could not
 * be read or an HDU fails verification (the rows are still written, the error in each failed file's row).
 *
 * @example
 * skybook inventory /dr1/spectro/redux/iron/healpix --into duckdb:dr1.duckdb --jobs 16 --json
 */
export const inventoryCommand: Command = {
  name: 'inventory',
  usage: 'skybook inventory DIR|URL-LIST --into duckdb:PATH|postgres://URL [--table NAME] [--checksum] [--jobs N] [--json]',
  summary: 'one row per HDU of thousands of FITS files (headers only, in parallel); rescans read only changed files',
  flags: [
    {
      flag: 'DIR|URL-LIST',
      help: 'a folder, walked for *.fits, *.fits.gz, *.fits.fz; or a text file of paths, http(s):// and s3:// URLs, one a line',
    },
    { flag: '--into URL', help: 'duckdb:PATH (made if missing) or postgres://USER@HOST:PORT/DB (required)' },
    { flag: '--table NAME', help: 'the inventory table, made if missing (default inventory)' },
    { flag: '--checksum', help: "also verify each HDU's CHECKSUM/DATASUM, as fits verify does (reads the data, not only headers)" },
    { flag: '--jobs N', help: 'files read at once, 1 to 256 (default 8)' },
    { flag: '--json', help: 'print the summary as one JSON object (scanned, unchanged, read, removed, failed, rows, failures)' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['input'], values: ['into', 'table', 'jobs'], switches: ['checksum', 'json'] });
    const into = args.values.into;
    if (!into) throw new UsageError('missing --into duckdb:PATH|postgres://URL', { option: 'into' });
    const jobsText = args.values.jobs;
    if (jobsText !== undefined && !/^\d+$/.test(jobsText)) throw UsageError.invalid('jobs', jobsText, 'a whole number from 1 to 256');
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    let r: InventoryResult;
    try {
      r = await inventory(args.positionals.input!, {
        into,
        table: args.values.table,
        checksum: args.switches.has('checksum'),
        jobs: jobsText === undefined ? undefined : Number(jobsText),
        progress,
      });
    } finally {
      progress.finish();
    }
    io.stdout(json ? toJson({ ...r, ...warningsOf(io) }, 2) + '\n' : summary(r));
    return r.failed || r.checksumBad ? 1 : 0;
  },
};
