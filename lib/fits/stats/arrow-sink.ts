import type { Data } from 'apache-arrow';
import { makeColumnBuilder, type ColumnBuilder } from '../bintable/column-builder.js';
import type { ColumnDesc } from '../bintable/columns.js';
import type { HeapReader, RowChunk } from '../bintable/row-chunks.js';
import type { StatsAccumulator } from './accumulator.js';
import { addArrowData } from './arrow-stats.js';
import type { ColumnStatsSink } from './column-sinks.js';

/**
 * The statistics sink of a column whose cells live in the heap (P/Q), or of a zero-width one: its Arrow column is built
 * over the whole scan by `readTable`'s own builder and summarised once the heap is read. Kept apart from the
 * fixed-width sinks so that a scan without such columns never loads Apache Arrow (the worker thread starts faster).
 *
 * @example
 * const sink = arrowSink(col, nrows, acc, imag);
 */
export function arrowSink(col: ColumnDesc, nrows: number, acc: StatsAccumulator, imag: StatsAccumulator): ColumnStatsSink {
  return new ArrowSink(makeColumnBuilder(col, nrows), acc, imag);
}

class ArrowSink implements ColumnStatsSink {
  private row = 0;
  constructor(
    private readonly builder: ColumnBuilder,
    private readonly acc: StatsAccumulator,
    private readonly imag: StatsAccumulator,
  ) {}
  add(chunk: RowChunk): void {
    this.builder.add(chunk, this.row);
    this.row += chunk.rows;
  }
  async finish(heap: HeapReader, where: { file: string; hdu: number }): Promise<void> {
    const data: Data = await this.builder.finish(heap, where);
    addArrowData(this.acc, data, this.imag);
  }
}
