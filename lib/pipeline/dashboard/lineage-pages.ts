import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunRow } from '../../store/index.js';
import { lineageOf, lineageText, RunHistory } from '../lineage/index.js';
import { replaceFile, rowFolder } from '../metrics/index.js';

/**
 * Where the dashboard keeps the lineage of an output file: `lineage/` beside the page, one text file per output named
 * by a hash of its absolute path (so the name is stable and safe whatever the path holds).
 *
 * @example
 * lineageHref('/proj/report/types.csv') // 'lineage/3f5a0c1d9e2b7a64.txt'
 */
export function lineageHref(absolutePath: string): string {
  return `lineage/${createHash('sha256').update(absolutePath).digest('hex').slice(0, 16)}.txt`;
}

/** The outputs a lineage page is written for: every output of a completed run, by absolute path, once each. */
export function lineageTargets(runs: readonly RunRow[], root: string): string[] {
  const seen = new Set<string>();
  for (const r of runs) if (r.status === 'completed') for (const o of r.outputs) seen.add(resolve(rowFolder(r, root), o.path));
  return [...seen].sort();
}

/**
 * Writes `outDir/lineage/*.txt`: for each output of a completed run, what `skybook lineage FILE` prints (the runs that
 * made it and every input, recursively, with the hashes recorded then and what changed since), so the dashboard's
 * "lineage" links work offline. Returns how many were written.
 *
 * @example
 * await writeLineagePages(await ledger.runs(), '/proj', '/proj/site'); // 12
 */
export async function writeLineagePages(runs: readonly RunRow[], root: string, outDir: string): Promise<number> {
  const targets = lineageTargets(runs, root);
  if (!targets.length) return 0;
  await mkdir(join(outDir, 'lineage'), { recursive: true });
  const history = await RunHistory.fromRows(runs, root);
  for (const path of targets) {
    const text = `skybook lineage ${path}\n\n${lineageText(await lineageOf(history, path))}\n`;
    await replaceFile(join(outDir, lineageHref(path)), text);
  }
  return targets.length;
}
