import type { ColumnDesc } from '../bintable/columns.js';
import { decodeBits, decodeComplex, decodeLogical } from '../bintable/decode.js';
import { allocStored, storeDecode, tnullValidity, toPhysical, type StoredArray } from '../bintable/numeric.js';
import type { HeapReader, RowChunk } from '../bintable/row-chunks.js';
import { addTyped, bitmapValidity, type StatsAccumulator } from './accumulator.js';

/**
 * One column's statistics taken straight from row chunks of stored bytes: each chunk's cells are decoded into small
 * arrays reused from chunk to chunk and added to the column's accumulators, so no Arrow column is ever built. The
 * decoding (`decode.ts`, `numeric.ts`) and the accumulator loops are the ones `readTable` and `addArrowData` use, and
 * values reach the accumulators in row order, so the figures are those of the Arrow path to the last bit.
 */
export interface ColumnStatsSink {
  /** Adds the column's cells of `chunk` (at most the capacity the sink was made for). */
  add(chunk: RowChunk): void;
  /** Adds whatever could not be added chunk by chunk (variable-length arrays, read from the heap at the end). */
  finish(heap: HeapReader, where: { file: string; hdu: number }): Promise<void>;
}

/**
 * A sink for a fixed-width column `col` taking chunks of up to `capacity` rows; `acc` gets the values (the real parts of
 * complex ones), `imag` the imaginary parts. Undefined for heap (P/Q) and zero-width columns: see `arrow-sink.ts`.
 *
 * @example
 * const sink = fixedWidthSink(col, 512, acc, imag)!;
 * await forEachRowChunk(src, hdu, 0, nrows, (chunk) => sink.add(chunk));
 */
export function fixedWidthSink(
  col: ColumnDesc,
  capacity: number,
  acc: StatsAccumulator,
  imag: StatsAccumulator,
): ColumnStatsSink | undefined {
  if (col.vla || col.count === 0) return undefined;
  const n = capacity * col.count;
  switch (col.physical) {
    case 'string':
      return { add: (chunk) => acc.addOther(chunk.rows * col.count), finish: async () => {} };
    case 'bool':
      return new LogicalSink(col, n, acc);
    case 'bit':
      return new BitSink(col, n, acc);
    case 'complex64':
    case 'complex128':
      return new ComplexSink(col, n, acc, imag);
    default:
      return new NumericSink(col, n, acc);
  }
}

class NumericSink implements ColumnStatsSink {
  private readonly raw: StoredArray;
  /** For plain floats and 64-bit integers without TNULL: the accumulator reads the stored bytes itself. */
  private readonly direct?: (chunk: RowChunk) => void;
  constructor(
    private readonly col: ColumnDesc,
    capacity: number,
    private readonly acc: StatsAccumulator,
  ) {
    this.raw = allocStored(col.tform.code, capacity);
    // a chunk of no rows still tells the accumulator what kind of values the column holds (a sum of 0, not null)
    addTyped(acc, toPhysical(this.raw.subarray(0, 0), col), 0, 0);
    const { code } = col.tform;
    if (col.tnull !== undefined) return;
    if ((code === 'E' && col.physical === 'float32') || (code === 'D' && col.physical === 'float64')) {
      const bytes = code === 'E' ? 4 : 8;
      this.direct = (c) => acc.addFloatCells(c.view, col.offset, c.rowBytes, c.rows, col.count, bytes);
    } else if (code === 'K' && (col.physical === 'int64' || col.physical === 'uint64')) {
      const unsigned = col.physical === 'uint64';
      this.direct = (c) => acc.addInt64Cells(c.view, col.offset, c.rowBytes, c.rows, col.count, unsigned);
    }
  }
  add(chunk: RowChunk): void {
    if (this.direct) return this.direct(chunk);
    const { col } = this;
    const n = chunk.rows * col.count;
    const raw = this.raw.subarray(0, n);
    storeDecode(col.tform.code, chunk, col.offset, col.count, raw, 0);
    const nulls = col.tnull === undefined ? undefined : tnullValidity(raw, col.tnull);
    if (nulls) this.acc.nullCount += nulls.nulls;
    addTyped(this.acc, toPhysical(raw, col), 0, n, nulls && bitmapValidity(nulls.bitmap));
  }
  async finish(): Promise<void> {}
}

class LogicalSink implements ColumnStatsSink {
  private readonly values: Uint8Array;
  private readonly validity: Uint8Array;
  constructor(
    private readonly col: ColumnDesc,
    capacity: number,
    private readonly acc: StatsAccumulator,
  ) {
    this.values = new Uint8Array((capacity + 7) >> 3);
    this.validity = new Uint8Array((capacity + 7) >> 3);
    acc.addBools(this.values, 0, 0);
  }
  add(chunk: RowChunk): void {
    const n = chunk.rows * this.col.count;
    const bytes = (n + 7) >> 3;
    this.values.fill(0, 0, bytes);
    this.validity.fill(0, 0, bytes);
    const nulls = decodeLogical(chunk.bytes, this.col.offset, chunk.rowBytes, chunk.rows, this.col.count, this.values, this.validity, 0);
    this.acc.nullCount += nulls;
    this.acc.addBools(this.values, 0, n, nulls ? bitmapValidity(this.validity) : undefined);
  }
  async finish(): Promise<void> {}
}

class BitSink implements ColumnStatsSink {
  private readonly values: Uint8Array;
  constructor(
    private readonly col: ColumnDesc,
    capacity: number,
    private readonly acc: StatsAccumulator,
  ) {
    this.values = new Uint8Array((capacity + 7) >> 3);
    acc.addBools(this.values, 0, 0);
  }
  add(chunk: RowChunk): void {
    const n = chunk.rows * this.col.count;
    this.values.fill(0, 0, (n + 7) >> 3);
    decodeBits(chunk.bytes, this.col.offset, chunk.rowBytes, chunk.rows, this.col.count, this.values, 0);
    this.acc.addBools(this.values, 0, n);
  }
  async finish(): Promise<void> {}
}

class ComplexSink implements ColumnStatsSink {
  private readonly re: Float32Array | Float64Array;
  private readonly im: Float32Array | Float64Array;
  private readonly bytes: 4 | 8;
  constructor(
    private readonly col: ColumnDesc,
    capacity: number,
    private readonly acc: StatsAccumulator,
    private readonly imag: StatsAccumulator,
  ) {
    this.bytes = col.physical === 'complex64' ? 4 : 8;
    this.re = this.bytes === 4 ? new Float32Array(capacity) : new Float64Array(capacity);
    this.im = this.bytes === 4 ? new Float32Array(capacity) : new Float64Array(capacity);
    acc.addFloats(this.re, 0, 0);
    imag.addFloats(this.im, 0, 0);
  }
  add(chunk: RowChunk): void {
    const n = chunk.rows * this.col.count;
    decodeComplex(chunk.view, this.col.offset, chunk.rowBytes, chunk.rows, this.col.count, this.bytes, this.re, this.im, 0);
    this.acc.addFloats(this.re, 0, n);
    this.imag.addFloats(this.im, 0, n);
  }
  async finish(): Promise<void> {}
}
