import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PipelineError } from '../../errors/index.js';
import type { RunLedger } from '../../store/index.js';
import { ledgerFolder, qaReports, replaceFile } from '../metrics/index.js';
import { dashboardPage } from './dashboard-page.js';
import { writeLineagePages } from './lineage-pages.js';

/** What `writeDashboard` wrote. */
export interface DashboardSummary {
  /** The page: `OUT/index.html`. */
  page: string;
  runs: number;
  failed: number;
  plots: number;
  qaReports: number;
  /** Lineage pages written under `OUT/lineage/`, one per output of a completed run. */
  lineagePages: number;
}

/**
 * Writes the dashboard of a ledger as `outDir/index.html` (made whole, then renamed into place), links relative to
 * `outDir`, the ledger's relative paths read from `root` (by default the project folder of the ledger).
 *
 * @example
 * await writeDashboard(RunLedger.resolve(undefined), 'site'); // { page: '/proj/site/index.html', runs: 12, failed: 1, plots: 4, qaReports: 2 }
 */
export async function writeDashboard(
  ledger: RunLedger,
  outDir: string,
  root: string = ledgerFolder(ledger.url),
): Promise<DashboardSummary> {
  const out = resolve(outDir);
  const runs = await ledger.runs();
  const reports = await qaReports(runs, root);
  const page = await dashboardPage({ runs, reports, ledger: ledger.url, root, outDir: out });
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file stands where a folder is needed'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (e as Error).message;
    throw new PipelineError(`cannot make the site folder: ${why}`, { file: out }, 2, { cause: e });
  }
  const lineagePages = await writeLineagePages(runs, root, out);
  const path = join(out, 'index.html');
  await replaceFile(path, page.html);
  return {
    page: path,
    runs: runs.length,
    failed: runs.filter((r) => r.status === 'failed' || r.status === 'interrupted').length,
    plots: page.plots,
    qaReports: reports.size,
    lineagePages,
  };
}
