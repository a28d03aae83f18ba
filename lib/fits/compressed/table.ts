import { FitsError, type FitsLocation } from '../../errors/index.js';
import { parseTform, CODE_BYTES, type Tform } from '../bintable/tform.js';
import type { Header } from '../header/header.js';
import { columnNames } from './params.js';

/** One column of the tile table: where it sits in a row and its format (from `TileTable.column`). */
export interface TileColumn {
  name: string;
  offset: number;
  tform: Tform;
  /** Bytes of one element (of the heap array for P/Q columns). */
  elementBytes: number;
}

/**
 * The binary table behind a compressed image, held as bytes: one row per tile, descriptors pointing into the heap.
 * Every read is bounds-checked and a bad descriptor names the column and row.
 *
 * @example
 * const t = new TileTable(dataBytes, hdu.header, { file: src.name, hdu: 1 });
 * const bytes = t.heapBytes(t.column('COMPRESSED_DATA')!, 0);
 */
export class TileTable {
  readonly nrows: number;
  private readonly rowBytes: number;
  private readonly view: DataView;
  private readonly heapStart: number;
  private readonly columns = new Map<string, TileColumn>();

  constructor(
    private readonly data: Uint8Array,
    header: Header,
    private readonly where: FitsLocation,
  ) {
    this.rowBytes = header.int('NAXIS1');
    this.nrows = header.int('NAXIS2');
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const tableBytes = this.rowBytes * this.nrows;
    this.heapStart = header.int('THEAP', tableBytes);
    if (this.heapStart < tableBytes)
      throw header.error('THEAP', `heap offset ${this.heapStart} lies inside the table (${tableBytes} bytes)`);
    if (tableBytes > data.length) throw new FitsError(`the table needs ${tableBytes} bytes, the data holds ${data.length}`, where);
    let offset = 0;
    columnNames(header).forEach((name, i) => {
      const text = header.string(`TFORM${i + 1}`);
      const tform = parseTform(text);
      if (typeof tform === 'string') throw header.error(`TFORM${i + 1}`, `'${text}': ${tform}`);
      const code = tform.elementCode ?? tform.code;
      const elementBytes = code === 'X' || code === 'P' || code === 'Q' ? 1 : CODE_BYTES[code];
      if (!this.columns.has(name)) this.columns.set(name, { name, offset, tform, elementBytes });
      offset += tform.width;
    });
    if (offset !== this.rowBytes) throw header.error('NAXIS1', `the columns take ${offset} bytes per row, NAXIS1 says ${this.rowBytes}`);
  }

  column(name: string): TileColumn | undefined {
    return this.columns.get(name);
  }

  /** Where the heap starts in the HDU's data (bytes). */
  get heapOffset(): number {
    return this.heapStart;
  }

  /** The heap array of a P/Q column in row `row` (0-based), as bytes; empty when its count is 0. */
  heapBytes(col: TileColumn, row: number): Uint8Array {
    const { start, length } = this.heapSpan(col, row);
    return this.data.subarray(start, start + length);
  }

  /**
   * Where the heap array of a P/Q column in row `row` (0-based) lies in the HDU's data: `length` bytes from `start`
   * (both 0 when its count is 0). A descriptor outside the heap is an error naming the column and row.
   */
  heapSpan(col: TileColumn, row: number): { start: number; length: number } {
    const at = row * this.rowBytes + col.offset;
    let count: number;
    let offset: number;
    if (col.tform.code === 'P') {
      count = this.view.getInt32(at);
      offset = this.view.getInt32(at + 4);
    } else if (col.tform.code === 'Q') {
      count = Number(this.view.getBigInt64(at));
      offset = Number(this.view.getBigInt64(at + 8));
    } else {
      throw this.error(col, row, `expected a variable-length array column (P or Q), found TFORM '${col.tform.code}'`);
    }
    if (count === 0) return { start: 0, length: 0 };
    const length = count * col.elementBytes;
    if (count < 0 || offset < 0 || !Number.isSafeInteger(length) || this.heapStart + offset + length > this.data.length) {
      throw this.error(col, row, `descriptor (${count} elements at heap offset ${offset}) points outside the heap`);
    }
    return { start: this.heapStart + offset, length };
  }

  /** A scalar numeric column (ZSCALE, ZZERO, ZBLANK) in row `row`. */
  scalar(col: TileColumn, row: number): number {
    const at = row * this.rowBytes + col.offset;
    switch (col.tform.code) {
      case 'D':
        return this.view.getFloat64(at);
      case 'E':
        return this.view.getFloat32(at);
      case 'J':
        return this.view.getInt32(at);
      case 'I':
        return this.view.getInt16(at);
      case 'B':
        return this.view.getUint8(at);
      case 'K':
        return Number(this.view.getBigInt64(at));
      default:
        throw this.error(col, row, `expected a numeric column, found TFORM '${col.tform.code}'`);
    }
  }

  error(col: TileColumn | string, row: number, problem: string): FitsError {
    return new FitsError(problem, { ...this.where, column: typeof col === 'string' ? col : col.name, row: row + 1 });
  }
}
