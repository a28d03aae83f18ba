import {
  DEFAULT_JOBS,
  expandSources,
  ingest,
  ingestSet,
  ingestTotals,
  MAX_COPY_CONNECTIONS,
  SCHEMA_NAMES,
  type IngestFailure,
  type IngestReport,
  type IngestResult,
  type ProductSchema,
} from '../../store/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { resolve } from 'node:path';
import { ledgerFiles, withLedgerRun } from '../ledger-hook.js';
import type { Command } from './command.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The totals line: what the set came to, and how fast the loaded files went. */
function totalsLine(t: IngestReport['totals']): string {
  const quarantined = `${n(t.quarantinedFiles)} with quarantined rows (${n(t.rowsQuarantined)} rows)`;
  const rate = `${n(t.rowsLoaded + t.rowsQuarantined)} rows in ${t.seconds.toFixed(1)} s (${t.filesPerSecond.toFixed(1)} files/s, ${n(Math.round(t.rowsPerSecond))} rows/s)`;
  return `${n(t.files)} files: ${n(t.loaded)} loaded, ${n(t.replaced)} replaced, ${n(t.skipped)} skipped (already loaded), ${quarantined}, ${n(t.failed)} failed; ${rate}`;
}

function summary(report: IngestReport): string {
  const { files } = report;
  const rows = files.map((r) => [
    r.source,
    r.hdu,
    r.table,
    r.status,
    r.rows,
    r.loaded,
    r.quarantined,
    r.status === 'failed' ? '' : r.loadId,
    r.seconds.toFixed(2),
  ]);
  const lines = [textTable(['source', 'hdu', 'table', 'status', 'rows', 'loaded', 'quarantined', 'load', 'seconds'], rows)];
  for (const r of files) {
    if (r.status === 'unchanged') lines.push(`${r.source}: unchanged since load ${r.loadId} (same sha256); nothing written`);
    else if (r.status === 'failed') lines.push(`${r.source}: failed, nothing of it stored: ${r.error}`);
    else if (r.quarantined)
      lines.push(`${r.source}: ${r.quarantined} row(s) quarantined in skybook_quarantine (load ${r.loadId}); see their reasons there`);
  }
  if (files.length > 1) lines.push(totalsLine(report.totals));
  return lines.join('\n') + '\n';
}

/** `--jobs`, checked here so that a bad value is a usage error before any file is read. */
function jobsOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_JOBS;
  const jobs = Number(text);
  if (!/^\d+$/.test(text) || jobs < 1 || jobs > 64) throw UsageError.invalid('jobs', text, 'an integer 1..64');
  return jobs;
}

/**
 * `skybook ingest SOURCE... --into duckdb:PATH|postgres://URL --table NAME`: loads FITS tables, one transaction per
 * file, with validation, quarantine and the load ledger (see lib/store). SOURCE may be a quoted glob; thousands of
 * files load `--jobs` at a time under one progress bar. One file that fails is the command's error, as always; in a
 * set, each failed file is named on stderr, the others load, and the exit code is 1 at the end.
 *
 * @example
 * skybook ingest zpix-main-dark.fits --into duckdb:survey.duckdb --table zcat --schema zcatalog --json
 * skybook ingest 'dr1/**\/redrock-*.fits' --into postgres://lab/dr1 --table rr --schema redrock --jobs 8
 */
export const ingestCommand: Command = {
  name: 'ingest',
  usage:
    'skybook ingest SOURCE... --into duckdb:PATH|postgres://URL --table NAME [--hdu NAME] [--schema zcatalog|redrock|fibermap] [--replace] [--jobs N] [--connections N] [--partition-by COLUMN] [--json]',
  summary: 'load FITS tables into DuckDB or PostgreSQL (validated, quarantined, idempotent, thousands of files at once)',
  flags: [
    {
      flag: 'SOURCE...',
      help: "local FITS files (.gz too) or quoted globs ('dr1/**/redrock-*.fits', sorted), one transaction each; a file loaded before and unchanged is skipped",
    },
    { flag: '--into URL', help: 'duckdb:PATH (made if missing), duckdb::memory: or postgres://USER@HOST:PORT/DB (required)' },
    { flag: '--table NAME', help: "the table to load into, made from the HDU's columns if missing (required)" },
    { flag: '--hdu NAME|N', help: "the table HDU to load, by EXTNAME or index (default: the --schema's HDU, else the first BINTABLE)" },
    {
      flag: '--schema NAME',
      help: 'validate against a DESI product: zcatalog, redrock or fibermap (rows that fail go to skybook_quarantine)',
    },
    { flag: '--replace', help: 'reload a file whose contents changed since its last load (default: refuse, exit 2)' },
    {
      flag: '--jobs N',
      help: `files loaded at once into PostgreSQL, on N connections (default ${DEFAULT_JOBS}, 1..64); DuckDB (one writer) loads one at a time`,
    },
    {
      flag: '--connections N',
      help: 'PostgreSQL: COPY a file of >= 200,000 rows over N connections, visible in one commit (default 1; fastest with --partition-by load)',
    },
    {
      flag: '--partition-by COLUMN',
      help: 'PostgreSQL: make a new table partitioned: healpix (12 ranges + default), load (one per load), or 16 hashes of an integer column',
    },
    {
      flag: '--json',
      help: 'print {"files": [one object per file: status, rows, loaded, quarantined, load id, seconds], "totals": {...}}',
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['source'],
      variadic: true,
      values: ['into', 'table', 'hdu', 'schema', 'jobs', 'connections', 'partition-by'],
      switches: ['replace', 'json'],
    });
    const into = args.values.into;
    const table = args.values.table;
    if (!into) throw new UsageError('missing --into duckdb:PATH|postgres://URL', { option: 'into' });
    if (!table) throw new UsageError('missing --table NAME', { option: 'table' });
    const schema = args.values.schema;
    if (schema !== undefined && !SCHEMA_NAMES.includes(schema as ProductSchema['name'])) {
      throw UsageError.invalid('schema', schema, `one of ${SCHEMA_NAMES.join(', ')}`);
    }
    const jobs = jobsOf(args.values.jobs);
    const connections = args.values.connections === undefined ? undefined : Number(args.values.connections);
    if (connections !== undefined && !(Number.isInteger(connections) && connections >= 1 && connections <= MAX_COPY_CONNECTIONS))
      throw UsageError.invalid('connections', args.values.connections!, `an integer from 1 to ${MAX_COPY_CONNECTIONS}`);
    const partitionBy = args.values['partition-by'];
    if (partitionBy !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(partitionBy))
      throw UsageError.invalid('partition-by', partitionBy, 'a column name');
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    const opts = {
      into,
      table,
      hdu: args.values.hdu,
      schema: schema as ProductSchema['name'] | undefined,
      replace: args.switches.has('replace'),
      progress,
      jobs,
      connections,
      partitionBy,
    };
    let report: IngestReport;
    try {
      const given = [args.positionals.source!, ...args.rest];
      const sources = await expandSources(given);
      // the run ledger keeps the arguments as given (a glob, not its thousands of files: those are the run's inputs)
      report = await withLedgerRun(
        { kind: 'ingest', name: table, params: { into, table, hdu: args.values.hdu ?? null, schema: schema ?? null, sources: given } },
        // one file keeps its one error (and exit code); a set reports each failed file and goes on
        async () => (sources.length === 1 ? reportOf(await ingest(sources, opts)) : ingestSet(sources, opts)),
        (done) => {
          const ok = done.files.filter((r): r is IngestResult => r.status !== 'failed');
          const failed = done.files.filter((r): r is IngestFailure => r.status === 'failed');
          return {
            status: failed.length ? 'failed' : 'completed',
            ...(failed.length ? { error: failed.map((f) => f.error).join('\n') } : {}),
            inputs: ledgerFiles(ok.map((r) => ({ path: resolve(r.source), sha256: r.sha256, size: r.size }))),
            rows: BigInt(done.totals.rowsLoaded),
            quarantined: BigInt(done.totals.rowsQuarantined),
          };
        },
      );
    } finally {
      progress.finish();
    }
    io.stdout(json ? toJson(report, 2) + '\n' : summary(report));
    const failed = report.files.filter((r): r is IngestFailure => r.status === 'failed');
    for (const f of failed) io.stderr(`skybook ingest: ${f.error}\n`);
    return failed.length ? 1 : 0;
  },
};

/** One file's result as a report of one. */
function reportOf(results: IngestResult[]): IngestReport {
  return { files: results, totals: ingestTotals(results, results[0]!.seconds) };
}
