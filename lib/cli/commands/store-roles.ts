import { DEFAULT_ANALYST, DEFAULT_LOADER, ensureStoreRoles, type StoreRolesResult } from '../../store/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

function report(r: StoreRolesResult): string {
  const head = `database ${r.database}, schema ${r.schema}: ${r.analyst} reads, ${r.loader} loads (set up by ${r.admin})`;
  const body = r.changes.length
    ? ['changed:', ...r.changes.map((c) => `  - ${c}`)]
    : ['nothing to change: the roles and their rights were already as skybook store roles sets them'];
  const warn = r.warnings.map((w) => `warning: ${w}`);
  return [head, ...body, ...warn].join('\n') + '\n';
}

/**
 * `skybook store roles --db postgres://URL [--schema S] [--analyst NAME] [--loader NAME] [--json]`: makes or brings up
 * to date a read-only analyst role and a loader role for one schema (lib/store `ensureStoreRoles`, docs/roles.md).
 *
 * @example
 * skybook store roles --db postgres://postgres@db/lab --schema dr1 --json
 */
export const storeRoles: Command = {
  name: 'store roles',
  usage: 'skybook store roles --db postgres://URL [--schema S] [--analyst NAME] [--loader NAME] [--json]',
  summary: 'make a read-only analyst role and a loader role for a PostgreSQL schema (idempotent: a re-run changes nothing)',
  flags: [
    { flag: '--db URL', help: 'postgres://USER@HOST:PORT/DB, connecting as a superuser (required; DuckDB has no roles)' },
    { flag: '--schema S', help: 'the schema they read and load, made when missing (default public)' },
    { flag: '--analyst NAME', help: `the read-only role: SELECT on the schema's tables, now and later (default ${DEFAULT_ANALYST})` },
    {
      flag: '--loader NAME',
      help: `the role skybook ingest connects as: creates and appends, --replace, no DROP, TRUNCATE, UPDATE or DELETE (default ${DEFAULT_LOADER})`,
    },
    { flag: '--json', help: 'print {"database", "schema", "analyst", "loader", "admin", "changes", "warnings"}' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['db', 'schema', 'analyst', 'loader'], switches: ['json'] });
    const db = args.values.db;
    if (!db) throw new UsageError('missing --db postgres://URL', { option: 'db' });
    const r = await ensureStoreRoles(db, { schema: args.values.schema, analyst: args.values.analyst, loader: args.values.loader });
    io.stdout(args.switches.has('json') ? toJson(r, 2) + '\n' : report(r));
    return 0;
  },
};
