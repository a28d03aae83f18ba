import type { Table } from 'apache-arrow';
import type { Progress } from '../../core/index.js';
import { describeColumns } from '../bintable/columns.js';
import { columnTypeName, isComplexColumn } from '../bintable/type-names.js';
import { checksumVerdict, hasChecksumCards, sumData, type ChecksumVerdict } from '../checksum.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { StatsAccumulator } from './accumulator.js';
import { scanAllColumns } from './parallel-scan.js';
import type { ColumnStats } from './hdu-stats.js';

/** The `table` part of one HDU's statistics. */
export interface TableStats {
  rows: number;
  columns: ColumnStats[];
}

/** What a column is called and read as (the Arrow type's name), for its line in the statistics. */
interface ColumnHead {
  name: string;
  tform: string;
  type: string;
  complex: boolean;
}

function columnLines(heads: ColumnHead[], accs: StatsAccumulator[], imags: StatsAccumulator[]): ColumnStats[] {
  return heads.map((h, i) => {
    const complex = h.complex;
    const s = accs[i]!.summary();
    const sum = complex ? ([Number(s.sum ?? 0), Number(imags[i]!.summary().sum ?? 0)] as [number, number]) : s.sum;
    return {
      name: h.name,
      tform: h.tform,
      type: h.type,
      count: s.count,
      nullCount: s.nullCount,
      nanCount: s.nanCount,
      min: complex ? null : s.min,
      max: complex ? null : s.max,
      sum,
      countTrue: s.countTrue,
    };
  });
}

/**
 * Statistics of every column of a BINTABLE and its CHECKSUM/DATASUM verdicts, from one pass over the stored rows per
 * thread (see `column-scan.ts`; big local tables split their columns over two threads, `parallel-scan.ts`): each
 * cache-sized chunk of rows is added to the data sum and to the column accumulators while it is in cache; strings are
 * counted, never decoded, and no Arrow column is built. Only the bytes after the rows (heap, padding) are read again
 * for the sum.
 *
 * @example
 * const { table, verdict } = await bintableStats(fits.source, fits.hdus[1]);
 */
export async function bintableStats(
  src: ByteSource,
  hdu: HduInfo,
  progress?: Progress,
): Promise<{ table: TableStats; verdict: ChecksumVerdict }> {
  const cols = describeColumns(hdu.header);
  const rows = hdu.header.int('NAXIS2');
  const sum = hasChecksumCards(hdu);
  const { accs, imags, rowSum } = await scanAllColumns(src, hdu, cols, sum, progress);
  const verdict: ChecksumVerdict = rowSum
    ? await checksumVerdict(src, hdu, (await sumData(src, hdu, rowSum, hdu.dataOffset + rows * hdu.header.int('NAXIS1'))).value)
    : { checksum: 'absent', datasum: 'absent' };
  const heads = cols.map((c) => ({ name: c.name, tform: c.tformText.trim(), type: columnTypeName(c), complex: isComplexColumn(c) }));
  return { table: { rows, columns: columnLines(heads, accs as StatsAccumulator[], imags as StatsAccumulator[]) }, verdict };
}

/**
 * Statistics of every column of a table already read into Arrow (ASCII tables).
 *
 * @example
 * const stats = arrowTableStats(await fits.readTable(2), 2);
 */
export async function arrowTableStats(table: Table, rows: number): Promise<TableStats> {
  // Loaded here: only tables read through Arrow (ASCII tables) need it.
  const { Type } = await import('apache-arrow');
  const { addArrowData } = await import('./arrow-stats.js');
  const fields = table.schema.fields;
  const accs = fields.map(() => new StatsAccumulator());
  const imags = fields.map(() => new StatsAccumulator());
  for (const batch of table.batches) batch.data.children.forEach((child, i) => addArrowData(accs[i]!, child, imags[i]!));
  const leafTypeId = (t: Table['schema']['fields'][number]['type']): number => {
    while (t.typeId === Type.FixedSizeList || t.typeId === Type.List) t = t.children[0]!.type;
    return t.typeId;
  };
  const heads = fields.map((f) => ({
    name: f.name,
    tform: f.metadata.get('fits.TFORM') ?? '',
    type: String(f.type),
    complex: leafTypeId(f.type) === Type.Struct,
  }));
  return { rows, columns: columnLines(heads, accs, imags) };
}
