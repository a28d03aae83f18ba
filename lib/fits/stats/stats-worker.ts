/**
 * Worker-thread entry of the two-thread statistics scan (`parallel-scan.ts`): opens the file again, scans the rows for
 * its share of the columns (`scanColumns`) and posts the accumulators back. Not imported by anything: `new Worker` runs
 * it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SkybookError } from '../../errors/index.js';
import type { Card } from '../header/card.js';
import { Header } from '../header/header.js';
import type { HduInfo } from '../hdu.js';
import { FileSource } from '../source/file-source.js';
import { scanColumns, type ColumnScan, type ScanPart } from './column-scan.js';

/** What the main thread sends: the file, the HDU without its Header object (cards instead), and this thread's part. */
export interface StatsWorkerInput {
  path: string;
  hdu: Omit<HduInfo, 'header'>;
  cards: Card[];
  part: ScanPart;
}

/** The worker's answer: the scan, or why it failed (a `SkybookError` is bad input, which the main thread reports itself). */
export type StatsWorkerOutput = { scan: ColumnScan } | { error: { message: string; badInput: boolean } };

const input = workerData as StatsWorkerInput;
let out: StatsWorkerOutput;
try {
  const src = await FileSource.open(input.path);
  try {
    const hdu: HduInfo = { ...input.hdu, header: new Header(input.cards, { file: input.path, hdu: input.hdu.index }) };
    out = { scan: await scanColumns(src, hdu, input.part) };
  } finally {
    await src.close();
  }
} catch (e) {
  out = { error: { message: e instanceof Error ? e.message : String(e), badInput: e instanceof SkybookError } };
}
parentPort!.postMessage(out);
