import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_LEDGER_FILE, LEDGER_ENV, RunLedger } from '../../store/index.js';

/**
 * The ledger that knows about `file`: `--ledger URL` when given, else `SKYBOOK_LEDGER`, else the nearest
 * `.skybook/ledger.duckdb` in the file's folder or above it (a pipeline's ledger sits beside its pipeline file, and a
 * file it made may lie folders below), else the working directory's (`RunLedger.resolve`).
 *
 * @example
 * ledgerNear('proj/out/deep/report.html').url; // 'duckdb:/abs/proj/.skybook/ledger.duckdb' when that file exists
 */
export function ledgerNear(file: string, flag?: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): RunLedger {
  if (flag || env[LEDGER_ENV]) return RunLedger.resolve(flag, cwd, env);
  for (let dir = dirname(resolve(cwd, file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, DEFAULT_LEDGER_FILE))) return new RunLedger(`duckdb:${join(dir, DEFAULT_LEDGER_FILE)}`);
    if (dirname(dir) === dir) return RunLedger.resolve(undefined, cwd, env);
  }
}
