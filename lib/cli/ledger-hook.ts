import { relative } from 'node:path';
import { type FileRecord, LEDGER_ENV, RunLedger, type RunEnd, type RunStart } from '../store/index.js';

/** The pipeline stage a command runs under, when a pipeline started it (its ledger row becomes the parent). */
export const PARENT_RUN_ENV = 'SKYBOOK_PARENT_RUN';

/**
 * Records a command's run in the run ledger when one is named (SKYBOOK_LEDGER, which `skybook pipeline run` sets for
 * its stages): a `running` row before the work, its end after, `failed` with the error when it throws. Without a
 * ledger the work just runs: a plain `skybook run` makes no `.skybook/` folder in the user's project.
 *
 * @example
 * const code = await withLedgerRun({ kind: 'ingest', name: 'zcat' }, () => load(), (r) => ({ status: 'completed', rows: r.rows }));
 */
export async function withLedgerRun<T>(
  start: Omit<RunStart, 'parent'>,
  work: () => Promise<T>,
  endOf: (result: T) => RunEnd,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  if (!env[LEDGER_ENV]) return work();
  const ledger = new RunLedger(env[LEDGER_ENV]!);
  try {
    const id = await ledger.begin({ ...start, parent: env[PARENT_RUN_ENV] || undefined });
    let result: T;
    try {
      result = await work();
    } catch (e) {
      await ledger.end(id, { status: 'failed', error: (e as Error).message });
      throw e;
    }
    await ledger.end(id, endOf(result));
    return result;
  } finally {
    await ledger.close();
  }
}

/**
 * Files as the ledger keeps them: paths relative to the working directory (the row's `workdir`).
 *
 * @example
 * ledgerFiles([{ path: '/work/p/data/a.fits', sha256: '…', size: 1 }]) // [{ path: 'data/a.fits', ... }] in /work/p
 */
export function ledgerFiles(files: readonly FileRecord[], cwd: string = process.cwd()): FileRecord[] {
  return files.map((f) => ({ path: relative(cwd, f.path) || f.path, sha256: f.sha256, size: f.size }));
}
