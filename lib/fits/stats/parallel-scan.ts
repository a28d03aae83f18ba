import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Progress, warn } from '../../core/index.js';
import type { ColumnDesc } from '../bintable/columns.js';
import { FitsChecksum } from '../checksum.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { FileSource } from '../source/file-source.js';
import { worthASecondThread } from '../source/second-thread.js';
import { StatsAccumulator } from './accumulator.js';
import { scanColumns, type ColumnScan, type ScanPart } from './column-scan.js';
import type { StatsWorkerInput, StatsWorkerOutput } from './stats-worker.js';

const WORKER = new URL('./stats-worker.js', import.meta.url);

/**
 * Rough cost of one column per row, in ns on one core, measured column by column on the 25-column zcatalog bench table
 * (bench/fits-read, 2026-11-26): plain floats and 64-bit integers are summed straight from the stored bytes; other
 * integers are decoded first, unsigned and scaled ones converted too; strings are only counted. The checksum
 * (WebAssembly) costs about 0.32 per 32-bit word.
 */
function columnCost(c: ColumnDesc): number {
  if (c.vla) return 20;
  const perElement: Record<string, number> = {
    string: 0,
    bool: 12,
    bit: 12,
    float32: 7,
    float64: 5,
    scaled: 15,
    complex64: 10,
    complex128: 10,
    int64: 11,
    uint64: 12,
    int32: 11,
    int16: 11,
    uint8: 11,
    int8: 15,
    uint16: 18,
    uint32: 18,
  };
  return 0.5 + c.count * (perElement[c.physical] ?? 11);
}

/** The main thread's head start, in the same units per row: the worker first boots (~50 ms) and opens the file. */
const WORKER_START_COST = 8;

/**
 * Splits the columns (and the checksum, a job of its own) into two parts of about equal cost: the largest job first,
 * each into the lighter part.
 */
export function splitColumns(cols: ColumnDesc[], sum: boolean, rowBytes: number): [ScanPart, ScanPart] {
  const jobs = cols.map((c, i) => ({ column: i, cost: columnCost(c) }));
  if (sum) jobs.push({ column: -1, cost: (rowBytes / 4) * 0.32 });
  jobs.sort((a, b) => b.cost - a.cost || a.column - b.column);
  const parts: [ScanPart, ScanPart] = [
    { columns: [], sum: false },
    { columns: [], sum: false },
  ];
  const load = [0, WORKER_START_COST]; // parts[1] goes to the worker
  for (const j of jobs) {
    const k = load[0]! <= load[1]! ? 0 : 1;
    load[k]! += j.cost;
    if (j.column < 0) parts[k]!.sum = true;
    else parts[k]!.columns.push(j.column);
  }
  for (const p of parts) p.columns.sort((a, b) => a - b);
  return parts;
}

/**
 * Runs one part in a worker thread. Resolves undefined when the worker could not do it, and the caller then does it
 * itself: bad input (a `SkybookError` there) is then reported with its full context from this thread; anything else
 * (the worker script missing or crashing) is also reported as a warning, since it costs the second thread.
 */
function scanInWorker(src: FileSource, hdu: HduInfo, part: ScanPart): { result: Promise<ColumnScan | undefined>; stop: () => void } {
  const { header, ...rest } = hdu;
  const input: StatsWorkerInput = { path: src.name, hdu: rest, cards: [...header.cards], part };
  const worker = new Worker(WORKER, { workerData: input });
  let settled = false;
  const result = new Promise<ColumnScan | undefined>((resolve) => {
    const settle = (scan: ColumnScan | undefined, warning?: string) => {
      if (settled) return;
      settled = true;
      if (warning) warn(`${src.name}: HDU ${hdu.index}: the statistics helper thread failed (${warning}); finishing on one thread`);
      resolve(scan);
    };
    worker.once('message', (m: StatsWorkerOutput) => {
      if ('scan' in m) settle(revive(m.scan));
      else settle(undefined, m.error.badInput ? undefined : m.error.message);
    });
    worker.once('error', (e) => settle(undefined, e.message));
    worker.once('exit', (code) => settle(undefined, `exit code ${code}`));
  });
  const stop = () => {
    settled = true;
    void worker.terminate();
  };
  return { result, stop };
}

/** Accumulators arrive as plain objects: give them their classes back. */
function revive(m: ColumnScan): ColumnScan {
  const acc = (a: StatsAccumulator | undefined) => (a ? Object.assign(new StatsAccumulator(), a) : undefined);
  const out: ColumnScan = { accs: m.accs.map(acc), imags: m.imags.map(acc), threads: m.threads };
  if (m.rowSum) out.rowSum = Object.assign(new FitsChecksum(), m.rowSum);
  return out;
}

/**
 * The statistics scan of every column (and the row-byte checksum when `sum`): on a local table of at least 64 MiB the
 * columns are split between this thread and one worker thread, each reading the rows on its own (a second read from
 * the page cache costs far less than the decoding it spares); otherwise one scan here. Same figures either way.
 *
 * @example
 * const { accs, rowSum } = await scanAllColumns(src, hdu, describeColumns(hdu.header), true);
 */
export async function scanAllColumns(
  src: ByteSource,
  hdu: HduInfo,
  cols: ColumnDesc[],
  sum: boolean,
  progress?: Progress,
): Promise<ColumnScan> {
  const rowBytes = hdu.header.int('NAXIS1');
  const all: ScanPart = { columns: cols.map((_, i) => i), sum };
  const bytes = rowBytes * hdu.header.int('NAXIS2');
  if (!(src instanceof FileSource) || !worthASecondThread(bytes) || cols.length + (sum ? 1 : 0) < 2 || !existsSync(fileURLToPath(WORKER))) {
    return scanColumns(src, hdu, all, progress);
  }
  const [mine, theirs] = splitColumns(cols, sum, rowBytes);
  const worker = scanInWorker(src, hdu, theirs);
  let here: ColumnScan;
  try {
    here = await scanColumns(src, hdu, mine, progress);
  } catch (e) {
    worker.stop();
    throw e;
  }
  const helped = await worker.result;
  const there = helped ?? (await scanColumns(src, hdu, theirs));
  if (helped) here.threads = 2;
  for (const i of theirs.columns) {
    here.accs[i] = there.accs[i];
    here.imags[i] = there.imags[i];
  }
  if (theirs.sum) here.rowSum = there.rowSum!;
  return here;
}
