import { makeData, type Data, type DataType } from 'apache-arrow';
import { FitsError } from '../../errors/index.js';
import { cellType, columnType, elementType } from './arrow-types.js';
import type { ColumnDesc } from './columns.js';
import { decodeBits, decodeComplex, decodeLogical, decodeStrings } from './decode.js';
import { allocStored, storeDecode, tnullValidity, toPhysical, type StoredArray } from './numeric.js';
import type { HeapReader, RowChunk } from './row-chunks.js';

/** Collects one column's cells from successive row chunks and turns them into one Arrow Data. */
export interface ColumnBuilder {
  readonly col: ColumnDesc;
  /** Decodes the column's cells of `chunk` into output rows starting at `row`. */
  add(chunk: RowChunk, row: number): void;
  finish(heap: HeapReader, where: { file: string; hdu: number }): Promise<Data>;
}

export function makeColumnBuilder(col: ColumnDesc, nrows: number, skipStrings = false): ColumnBuilder {
  if (col.vla) return new VarLengthBuilder(col, nrows);
  if (col.count === 0) return new EmptyBuilder(col, nrows);
  switch (col.physical) {
    case 'string':
      return skipStrings ? new UndecodedStringBuilder(col, nrows) : new StringBuilder(col, nrows);
    case 'bool':
      return new LogicalBuilder(col, nrows);
    case 'bit':
      return new BitBuilder(col, nrows);
    case 'complex64':
    case 'complex128':
      return new ComplexBuilder(col, nrows);
    default:
      return new NumericBuilder(col, nrows);
  }
}

/** Wraps flat element data in FixedSizeLists for the cell shape (NAXIS1 innermost). */
function wrapCells(col: ColumnDesc, nrows: number, element: Data): Data {
  let data = element;
  let length = element.length;
  let type: DataType = element.type;
  for (const d of col.dims) {
    type = cellType(type, [d]);
    length = d === 0 ? nrows : length / d;
    data = makeData({ type: type as never, length, nullCount: 0, child: data } as never);
  }
  return data;
}

function numericData(col: ColumnDesc, raw: StoredArray, physical = col.physical): Data {
  const nulls = col.tnull !== undefined ? tnullValidity(raw, col.tnull) : undefined;
  const values = toPhysical(raw, col, physical);
  return makeData({
    type: elementType(physical) as never,
    length: values.length,
    nullCount: nulls?.nulls ?? 0,
    data: values as never,
    nullBitmap: nulls?.bitmap,
  } as never);
}

/** Complex elements as Arrow struct{re, im} data over two part arrays. */
function complexData(physical: ColumnDesc['physical'], re: Float32Array | Float64Array, im: Float32Array | Float64Array): Data {
  const type = elementType(physical) as never as { children: { type: DataType }[] };
  const part = (a: Float32Array | Float64Array) =>
    makeData({ type: type.children[0]!.type as never, length: a.length, data: a as never } as never);
  return makeData({ type: type as never, length: re.length, nullCount: 0, children: [part(re), part(im)] } as never);
}

class NumericBuilder implements ColumnBuilder {
  private readonly raw: StoredArray;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    this.raw = allocStored(col.tform.code, nrows * col.count);
  }
  add(chunk: RowChunk, row: number): void {
    storeDecode(this.col.tform.code, chunk, this.col.offset, this.col.count, this.raw, row * this.col.count);
  }
  async finish(): Promise<Data> {
    return wrapCells(this.col, this.nrows, numericData(this.col, this.raw));
  }
}

class ComplexBuilder implements ColumnBuilder {
  private readonly re: Float32Array | Float64Array;
  private readonly im: Float32Array | Float64Array;
  private readonly bytes: 4 | 8;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    const n = nrows * col.count;
    this.bytes = col.physical === 'complex64' ? 4 : 8;
    this.re = this.bytes === 4 ? new Float32Array(n) : new Float64Array(n);
    this.im = this.bytes === 4 ? new Float32Array(n) : new Float64Array(n);
  }
  add(chunk: RowChunk, row: number): void {
    decodeComplex(
      chunk.view,
      this.col.offset,
      chunk.rowBytes,
      chunk.rows,
      this.col.count,
      this.bytes,
      this.re,
      this.im,
      row * this.col.count,
    );
  }
  async finish(): Promise<Data> {
    return wrapCells(this.col, this.nrows, complexData(this.col.physical, this.re, this.im));
  }
}

class LogicalBuilder implements ColumnBuilder {
  private readonly values: Uint8Array;
  private readonly validity: Uint8Array;
  private nulls = 0;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    const n = nrows * col.count;
    this.values = new Uint8Array((n + 7) >> 3);
    this.validity = new Uint8Array((n + 7) >> 3);
  }
  add(chunk: RowChunk, row: number): void {
    this.nulls += decodeLogical(
      chunk.bytes,
      this.col.offset,
      chunk.rowBytes,
      chunk.rows,
      this.col.count,
      this.values,
      this.validity,
      row * this.col.count,
    );
  }
  async finish(): Promise<Data> {
    const n = this.nrows * this.col.count;
    const data = makeData({
      type: elementType('bool') as never,
      length: n,
      nullCount: this.nulls,
      data: this.values,
      nullBitmap: this.nulls ? this.validity : undefined,
    } as never);
    return wrapCells(this.col, this.nrows, data);
  }
}

class BitBuilder implements ColumnBuilder {
  private readonly values: Uint8Array;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    this.values = new Uint8Array((nrows * col.count + 7) >> 3);
  }
  add(chunk: RowChunk, row: number): void {
    decodeBits(chunk.bytes, this.col.offset, chunk.rowBytes, chunk.rows, this.col.count, this.values, row * this.col.count);
  }
  async finish(): Promise<Data> {
    const data = makeData({
      type: elementType('bit') as never,
      length: this.nrows * this.col.count,
      nullCount: 0,
      data: this.values,
    } as never);
    return wrapCells(this.col, this.nrows, data);
  }
}

class StringBuilder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private readonly data: Uint8Array;
  private end = 0;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    const n = nrows * col.count;
    if (n * col.stringWidth > 2 ** 31 - 1)
      throw new FitsError('string column larger than 2 GiB: read it in row ranges', { column: col.name });
    this.offsets = new Int32Array(n + 1);
    this.data = new Uint8Array(n * col.stringWidth);
  }
  add(chunk: RowChunk, row: number): void {
    // Rows arrive in order, so appending keeps offsets monotone.
    this.end = decodeStrings(
      chunk.bytes,
      this.col.offset,
      chunk.rowBytes,
      chunk.rows,
      this.col.count,
      this.col.stringWidth,
      this.offsets,
      this.data,
      row * this.col.count,
      this.end,
    );
  }
  async finish(): Promise<Data> {
    const n = this.nrows * this.col.count;
    const data = makeData({
      type: elementType('string') as never,
      length: n,
      nullCount: 0,
      valueOffsets: this.offsets,
      data: this.data.subarray(0, this.end),
    } as never);
    return wrapCells(this.col, this.nrows, data);
  }
}

/** Strings counted, not decoded: every cell reads as ''. */
class UndecodedStringBuilder implements ColumnBuilder {
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {}
  add(): void {}
  async finish(): Promise<Data> {
    const n = this.nrows * this.col.count;
    const data = makeData({
      type: elementType('string') as never,
      length: n,
      nullCount: 0,
      valueOffsets: new Int32Array(n + 1),
      data: new Uint8Array(0),
    } as never);
    return wrapCells(this.col, this.nrows, data);
  }
}

class EmptyBuilder implements ColumnBuilder {
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {}
  add(): void {}
  async finish(): Promise<Data> {
    return makeData({ type: columnType(this.col) as never, length: this.nrows, nullCount: this.nrows } as never);
  }
}

/** P/Q columns: descriptors from the rows, elements from the heap once all rows are in. */
class VarLengthBuilder implements ColumnBuilder {
  private readonly counts: Float64Array;
  private readonly offsets: Float64Array;
  constructor(
    readonly col: ColumnDesc,
    private readonly nrows: number,
  ) {
    this.counts = new Float64Array(nrows);
    this.offsets = new Float64Array(nrows);
  }
  add(chunk: RowChunk, row: number): void {
    const { view, rows, rowBytes } = chunk;
    const q = this.col.tform.code === 'Q';
    if (this.col.tform.repeat === 0) return;
    for (let r = 0, p = this.col.offset; r < rows; r++, p += rowBytes) {
      if (q) {
        this.counts[row + r] = view.getUint32(p) * 4294967296 + view.getUint32(p + 4);
        this.offsets[row + r] = view.getUint32(p + 8) * 4294967296 + view.getUint32(p + 12);
      } else {
        this.counts[row + r] = view.getUint32(p);
        this.offsets[row + r] = view.getUint32(p + 4);
      }
    }
  }
  async finish(heapReader: HeapReader, where: { file: string; hdu: number }): Promise<Data> {
    const vla = this.col.vla!;
    const heap = await heapReader();
    const elementBytes = vla.physical === 'bit' ? 0 : vla.elementBytes;
    let total = 0;
    for (let r = 0; r < this.nrows; r++) {
      const c = this.counts[r]!;
      const bytes = vla.physical === 'bit' ? Math.ceil(c / 8) : c * elementBytes;
      if (c > 0 && this.offsets[r]! + bytes > heap.length) {
        throw new FitsError(
          `heap pointer past the end of the heap (offset ${this.offsets[r]} + ${bytes} bytes > heap size ${heap.length})`,
          { ...where, column: this.col.name || `#${this.col.number}`, row: r },
        );
      }
      total += c;
    }
    if (total > 2 ** 31 - 1)
      throw new FitsError('variable-length column with more than 2^31 elements', { ...where, column: this.col.name });
    const listOffsets = new Int32Array(this.nrows + 1);
    for (let r = 0; r < this.nrows; r++) listOffsets[r + 1] = listOffsets[r]! + this.counts[r]!;
    const view = new DataView(heap.buffer, heap.byteOffset, heap.byteLength);
    const type = columnType(this.col);
    if (vla.physical === 'string') {
      const data = new Uint8Array(total);
      const offs = new Int32Array(this.nrows + 1);
      let end = 0;
      for (let r = 0; r < this.nrows; r++) {
        const c = this.counts[r]!;
        if (c > 0) end = decodeStrings(heap, this.offsets[r]!, 0, 1, 1, c, offs, data, r, end);
        else offs[r + 1] = end;
      }
      return makeData({ type: type as never, length: this.nrows, nullCount: 0, valueOffsets: offs, data: data.subarray(0, end) } as never);
    }
    const child = this.decodeElements(heap, view, total, where);
    return makeData({ type: type as never, length: this.nrows, nullCount: 0, valueOffsets: listOffsets, child } as never);
  }

  private decodeElements(heap: Uint8Array, view: DataView, total: number, where: { file: string; hdu: number }): Data {
    const vla = this.col.vla!;
    const code = this.col.tform.elementCode!;
    const chunkOf = (): RowChunk => ({ bytes: heap, view, rows: 1, rowBytes: 0 });
    if (vla.physical === 'bool' || vla.physical === 'bit') {
      const values = new Uint8Array((total + 7) >> 3);
      const validity = new Uint8Array((total + 7) >> 3);
      let nulls = 0;
      let at = 0;
      for (let r = 0; r < this.nrows; r++) {
        const c = this.counts[r]!;
        if (c === 0) continue;
        if (vla.physical === 'bit') decodeBits(heap, this.offsets[r]!, 0, 1, c, values, at);
        else nulls += decodeLogical(heap, this.offsets[r]!, 0, 1, c, values, validity, at);
        at += c;
      }
      return makeData({
        type: elementType('bool') as never,
        length: total,
        nullCount: vla.physical === 'bit' ? 0 : nulls,
        data: values,
        nullBitmap: nulls && vla.physical !== 'bit' ? validity : undefined,
      } as never);
    }
    if (vla.physical === 'complex64' || vla.physical === 'complex128') {
      const bytes = vla.physical === 'complex64' ? 4 : 8;
      const re = bytes === 4 ? new Float32Array(total) : new Float64Array(total);
      const im = bytes === 4 ? new Float32Array(total) : new Float64Array(total);
      let at = 0;
      for (let r = 0; r < this.nrows; r++) {
        const c = this.counts[r]!;
        if (c > 0) decodeComplex(view, this.offsets[r]!, 0, 1, c, bytes, re, im, at);
        at += c;
      }
      return complexData(vla.physical, re, im);
    }
    const raw = allocStored(code, total);
    let at = 0;
    for (let r = 0; r < this.nrows; r++) {
      const c = this.counts[r]!;
      if (c > 0) storeDecode(code, chunkOf(), this.offsets[r]!, c, raw, at);
      at += c;
    }
    void where;
    return numericData(this.col, raw, vla.physical);
  }
}
