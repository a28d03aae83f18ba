import { ingest, MAX_COPY_CONNECTIONS, SCHEMA_NAMES, type IngestResult, type ProductSchema } from '../../store/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { resolve } from 'node:path';
import { ledgerFiles, withLedgerRun } from '../ledger-hook.js';
import type { Command } from './command.js';

function summary(results: IngestResult[]): string {
  const rows = results.map((r) => [r.source, r.hdu, r.table, r.status, r.rows, r.loaded, r.quarantined, r.loadId, r.seconds.toFixed(2)]);
  const lines = [textTable(['source', 'hdu', 'table', 'status', 'rows', 'loaded', 'quarantined', 'load', 'seconds'], rows)];
  for (const r of results) {
    if (r.status === 'unchanged') lines.push(`${r.source}: unchanged since load ${r.loadId} (same sha256); nothing written`);
    else if (r.quarantined)
      lines.push(`${r.source}: ${r.quarantined} row(s) quarantined in skybook_quarantine (load ${r.loadId}); see their reasons there`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `skybook ingest SOURCE... --into duckdb:PATH|postgres://URL --table NAME`: loads FITS tables, one transaction per
 * file, with validation, quarantine and the load ledger (see lib/store).
 *
 * @example
 * skybook ingest zpix-main-dark.fits --into duckdb:survey.duckdb --table zcat --schema zcatalog --json
 */
export const ingestCommand: Command = {
  name: 'ingest',
  usage:
    'skybook ingest SOURCE... --into duckdb:PATH|postgres://URL --table NAME [--hdu NAME] [--schema zcatalog|redrock|fibermap] [--replace] [--connections N] [--partition-by COLUMN] [--json]',
  summary: 'load FITS tables into DuckDB or PostgreSQL (validated, quarantined, idempotent)',
  flags: [
    { flag: 'SOURCE...', help: 'local FITS files (.gz too), one transaction each; a file loaded before and unchanged is skipped' },
    { flag: '--into URL', help: 'duckdb:PATH (made if missing), duckdb::memory: or postgres://USER@HOST:PORT/DB (required)' },
    { flag: '--table NAME', help: "the table to load into, made from the HDU's columns if missing (required)" },
    { flag: '--hdu NAME|N', help: "the table HDU to load, by EXTNAME or index (default: the --schema's HDU, else the first BINTABLE)" },
    {
      flag: '--schema NAME',
      help: 'validate against a DESI product: zcatalog, redrock or fibermap (rows that fail go to skybook_quarantine)',
    },
    { flag: '--replace', help: 'reload a file whose contents changed since its last load (default: refuse, exit 2)' },
    {
      flag: '--connections N',
      help: 'PostgreSQL: COPY a file of >= 200,000 rows over N connections, visible in one commit (default 1; fastest with --partition-by load)',
    },
    {
      flag: '--partition-by COLUMN',
      help: 'PostgreSQL: make a new table partitioned: healpix (12 ranges + default), load (one per load), or 16 hashes of an integer column',
    },
    { flag: '--json', help: 'print one JSON object per file (status, rows, loaded, quarantined, load id, seconds)' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['source'],
      variadic: true,
      values: ['into', 'table', 'hdu', 'schema', 'connections', 'partition-by'],
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
    const connections = args.values.connections === undefined ? undefined : Number(args.values.connections);
    if (connections !== undefined && !(Number.isInteger(connections) && connections >= 1 && connections <= MAX_COPY_CONNECTIONS))
      throw UsageError.invalid('connections', args.values.connections!, `an integer from 1 to ${MAX_COPY_CONNECTIONS}`);
    const partitionBy = args.values['partition-by'];
    if (partitionBy !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(partitionBy))
      throw UsageError.invalid('partition-by', partitionBy, 'a column name');
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    let results: IngestResult[];
    try {
      const sources = [args.positionals.source!, ...args.rest];
      results = await withLedgerRun(
        { kind: 'ingest', name: table, params: { into, table, hdu: args.values.hdu ?? null, schema: schema ?? null, sources } },
        () =>
          ingest(sources, {
            into,
            table,
            hdu: args.values.hdu,
            schema: schema as ProductSchema['name'] | undefined,
            replace: args.switches.has('replace'),
            progress,
            connections,
            partitionBy,
          }),
        (done) => ({
          status: 'completed',
          inputs: ledgerFiles(done.map((r) => ({ path: resolve(r.source), sha256: r.sha256, size: r.size }))),
          rows: BigInt(done.reduce((n, r) => n + r.loaded, 0)),
          quarantined: BigInt(done.reduce((n, r) => n + r.quarantined, 0)),
        }),
      );
    } finally {
      progress.finish();
    }
    io.stdout(json ? toJson(results, 2) + '\n' : summary(results));
    return 0;
  },
};
