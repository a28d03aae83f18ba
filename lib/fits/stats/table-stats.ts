import { Type, type DataType, type Table } from 'apache-arrow';
import { columnType } from '../bintable/arrow-types.js';
import { describeColumns } from '../bintable/columns.js';
import { makeHeapReader, rowChunks, rowsPerChunk } from '../bintable/read-table.js';
import { checksumVerdict, FitsChecksum, hasChecksumCards, sumData, type ChecksumVerdict } from '../checksum.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { scanPieceBytes } from '../source/read-range.js';
import { StatsAccumulator } from './accumulator.js';
import { addArrowData } from './arrow-stats.js';
import { makeStatsSink } from './column-sinks.js';
import type { ColumnStats } from './hdu-stats.js';

/** The `table` part of one HDU's statistics. */
export interface TableStats { rows: number; columns: ColumnStats[] }

/** What a column is called and read as, for its line in the statistics. */
interface ColumnHead { name: string; tform: string; type: DataType }

/** The element type under any FixedSizeList/List cell wrappers. */
function leafType(t: DataType): DataType {
  while (t.typeId === Type.FixedSizeList || t.typeId === Type.List) t = t.children[0]!.type;
  return t;
}

function columnLines(heads: ColumnHead[], accs: StatsAccumulator[], imags: StatsAccumulator[]): ColumnStats[] {
  return heads.map((h, i) => {
    const complex = leafType(h.type).typeId === Type.Struct;
    const s = accs[i]!.summary();
    const sum = complex ? [Number(s.sum ?? 0), Number(imags[i]!.summary().sum ?? 0)] as [number, number] : s.sum;
    return { name: h.name, tform: h.tform, type: String(h.type), count: s.count, nullCount: s.nullCount, nanCount: s.nanCount,
      min: complex ? null : s.min, max: complex ? null : s.max, sum, countTrue: s.countTrue };
  });
}

/**
 * Statistics of every column of a BINTABLE and its CHECKSUM/DATASUM verdicts, in one pass over the stored rows: each
 * cache-sized chunk of rows is added to the data sum and to every column's accumulators (see `column-sinks.ts`) while
 * it is in cache; strings are counted, never decoded, and no Arrow column is built. Only the bytes after the rows (heap,
 * padding) are read again for the sum, and the heap once more for variable-length columns.
 *
 * @example
 * const { table, verdict } = await bintableStats(fits.source, fits.hdus[1]);
 */
export async function bintableStats(src: ByteSource, hdu: HduInfo, onProgress?: (done: number, total: number) => void): Promise<{ table: TableStats; verdict: ChecksumVerdict }> {
  const where = { file: src.name, hdu: hdu.index };
  const cols = describeColumns(hdu.header);
  const rows = hdu.header.int('NAXIS2');
  const rowBytes = hdu.header.int('NAXIS1');
  const chunkBytes = scanPieceBytes(src);
  const capacity = Math.min(rows, rowsPerChunk(Math.max(1, rowBytes), chunkBytes));
  const accs = cols.map(() => new StatsAccumulator());
  const imags = cols.map(() => new StatsAccumulator());
  const sinks = cols.map((c, i) => makeStatsSink(c, capacity, rows, accs[i]!, imags[i]!));
  const sum = hasChecksumCards(hdu) ? new FitsChecksum() : undefined;
  let done = 0;
  for await (const { chunk } of rowChunks(src, hdu, 0, rows, chunkBytes)) {
    sum?.update(chunk.bytes);
    for (const s of sinks) s.add(chunk);
    done += chunk.rows;
    onProgress?.(done, rows);
  }
  const heap = makeHeapReader(src, hdu);
  for (const s of sinks) await s.finish(heap, where);
  const verdict: ChecksumVerdict = sum
    ? await checksumVerdict(src, hdu, (await sumData(src, hdu, sum, hdu.dataOffset + rows * rowBytes)).value)
    : { checksum: 'absent', datasum: 'absent' };
  const heads = cols.map((c) => ({ name: c.name, tform: c.tformText.trim(), type: columnType(c) }));
  return { table: { rows, columns: columnLines(heads, accs, imags) }, verdict };
}

/**
 * Statistics of every column of a table already read into Arrow (ASCII tables).
 *
 * @example
 * const stats = arrowTableStats(await fits.readTable(2), 2);
 */
export function arrowTableStats(table: Table, rows: number): TableStats {
  const fields = table.schema.fields;
  const accs = fields.map(() => new StatsAccumulator());
  const imags = fields.map(() => new StatsAccumulator());
  for (const batch of table.batches) batch.data.children.forEach((child, i) => addArrowData(accs[i]!, child, imags[i]!));
  const heads = fields.map((f) => ({ name: f.name, tform: f.metadata.get('fits.TFORM') ?? '', type: f.type }));
  return { rows, columns: columnLines(heads, accs, imags) };
}
