import type { Progress } from '../../core/index.js';
import { describeColumns } from '../bintable/columns.js';
import { forEachRowChunk, makeHeapReader, rowsPerChunk } from '../bintable/row-chunks.js';
import { FitsChecksum } from '../checksum.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { scanPieceBytes } from '../source/read-range.js';
import { StatsAccumulator } from './accumulator.js';
import { fixedWidthSink } from './column-sinks.js';

/** What a scan of some columns found: accumulators for those columns (others undefined), and the sum of the rows' bytes. */
export interface ColumnScan {
  accs: (StatsAccumulator | undefined)[];
  imags: (StatsAccumulator | undefined)[];
  /** The checksum of the table's row bytes (not the heap or padding after them), when asked for. */
  rowSum?: FitsChecksum;
  /** Threads that scanned the rows (2 when the columns were split with a worker). */
  threads: number;
}

/** Which part of a table's statistics one thread computes. */
export interface ScanPart {
  /** Column indexes (0-based, in TFIELDS order). */
  columns: number[];
  /** Whether this part also sums the row bytes for CHECKSUM/DATASUM. */
  sum: boolean;
}

/**
 * One pass over all rows of a BINTABLE for some of its columns: every cache-sized chunk of rows goes to the row-byte
 * checksum (when asked) and to each chosen column's sink while it is in cache. Each column sees its values in row order,
 * so splitting the columns between threads gives the same figures as one thread doing them all.
 *
 * @example
 * const { accs, rowSum } = await scanColumns(src, hdu, { columns: [0, 1, 2], sum: true });
 */
export async function scanColumns(src: ByteSource, hdu: HduInfo, part: ScanPart, progress?: Progress): Promise<ColumnScan> {
  const where = { file: src.name, hdu: hdu.index };
  const cols = describeColumns(hdu.header);
  const rows = hdu.header.int('NAXIS2');
  const chunkBytes = scanPieceBytes(src);
  const capacity = Math.min(rows, rowsPerChunk(Math.max(1, hdu.header.int('NAXIS1')), chunkBytes));
  const accs: (StatsAccumulator | undefined)[] = cols.map(() => undefined);
  const imags: (StatsAccumulator | undefined)[] = cols.map(() => undefined);
  const sinks = await Promise.all(
    part.columns.map(async (i) => {
      const acc = (accs[i] = new StatsAccumulator());
      const imag = (imags[i] = new StatsAccumulator());
      // heap columns build an Arrow column: load Arrow only for them
      return fixedWidthSink(cols[i]!, capacity, acc, imag) ?? (await import('./arrow-sink.js')).arrowSink(cols[i]!, rows, acc, imag);
    }),
  );
  const rowSum = part.sum ? new FitsChecksum() : undefined;
  await forEachRowChunk(
    src,
    hdu,
    0,
    rows,
    (chunk) => {
      rowSum?.update(chunk.bytes);
      for (const s of sinks) s.add(chunk);
      progress?.advance(chunk.rows);
    },
    chunkBytes,
  );
  const heap = makeHeapReader(src, hdu);
  for (const s of sinks) await s.finish(heap, where);
  return rowSum ? { accs, imags, rowSum, threads: 1 } : { accs, imags, threads: 1 };
}
