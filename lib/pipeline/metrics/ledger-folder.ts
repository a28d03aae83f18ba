import { dirname, resolve } from 'node:path';
import { DEFAULT_LEDGER_FILE, type RunRow } from '../../store/index.js';

/**
 * The project folder a ledger's relative paths (stage deps and outs, QA reports, manifests) are written from: the folder
 * holding `.skybook/` for a default DuckDB ledger (`duckdb:<dir>/.skybook/ledger.duckdb`), else `cwd` (a PostgreSQL
 * ledger, or a DuckDB file elsewhere, has no folder of its own).
 *
 * @example
 * ledgerFolder('duckdb:/work/proj/.skybook/ledger.duckdb'); // '/work/proj'
 * ledgerFolder('postgres://db/lab', '/work/proj'); // '/work/proj'
 */
export function ledgerFolder(url: string, cwd: string = process.cwd()): string {
  if (url.startsWith('duckdb:')) {
    const file = resolve(cwd, url.slice('duckdb:'.length));
    const suffix = `/${DEFAULT_LEDGER_FILE}`;
    if (file.endsWith(suffix)) return dirname(dirname(file));
  }
  return resolve(cwd);
}

/**
 * The folder a ledger row's relative paths (inputs, outputs, manifest) are relative to: the row's own `workdir` where the
 * ledger records one, else `root` (the ledger's project folder, {@link ledgerFolder}) for rows written before it did.
 *
 * @example
 * rowFolder(row, ledgerFolder(ledger.url)); // '/work/proj'
 */
export function rowFolder(row: RunRow, root: string): string {
  // Read loosely: rows of ledgers written before `workdir` was recorded have none.
  const workdir = (row as unknown as { workdir?: unknown }).workdir;
  return typeof workdir === 'string' && workdir ? workdir : root;
}
