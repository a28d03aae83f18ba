import { DataType, type Data, type RecordBatch } from 'apache-arrow';
import { FitsError, type FitsLocation } from '../../errors/index.js';
import type { ColumnPlan } from './column-plan.js';
import { encodeLeaf, type StoredNull } from './encode-leaf.js';
import type { HeapStore } from './heap-store.js';
import { LEAF_INFO, markNulls, sourceOfData, type LeafSource } from './leaf.js';

const MAX_HEAP = 0x7fffffff;

/**
 * Transposes Arrow columns into big-endian BINTABLE rows: for each column, one tight loop writes its values at the
 * column's offset in every row of a reusable buffer. Strings are copied byte by byte (checked to be ASCII), lists go
 * to the heap with P descriptors in the row. Scratch buffers grow once and are reused.
 *
 * @example
 * const enc = new RowEncoder(plans, rowWidth, heap, { file: 'out.fits', hdu: 1 });
 * await enc.encode(batch, 0, batch.numRows, bytes, view, 0, rowsBefore);
 */
export class RowEncoder {
  private mask = new Uint8Array(1024);
  private heapBytes = new Uint8Array(0);
  private heapView = new DataView(this.heapBytes.buffer);

  constructor(
    private readonly plans: readonly ColumnPlan[],
    private readonly rowWidth: number,
    private readonly heap: HeapStore | undefined,
    private readonly where: FitsLocation,
  ) {}

  /**
   * Encodes rows `start .. start + count` of `batch` into rows `at ..` of `bytes`/`view`; `rowBase` is the table
   * row of the batch's first row (for error messages).
   */
  async encode(
    batch: RecordBatch,
    start: number,
    count: number,
    bytes: Uint8Array,
    view: DataView,
    at: number,
    rowBase: number,
  ): Promise<void> {
    for (const plan of this.plans) {
      const data = batch.data.children[plan.index]!;
      const base = at * this.rowWidth + plan.offset;
      if (plan.kind === 'fixed') this.fixed(plan, data, start, count, bytes, view, base, rowBase);
      else if (plan.kind === 'string') this.string(plan, data, start, count, bytes, base, rowBase);
      else await this.vla(plan, data, start, count, view, base, rowBase);
    }
  }

  private nullMask(size: number): Uint8Array {
    if (this.mask.length < size) this.mask = new Uint8Array(Math.max(size, this.mask.length * 2));
    const m = this.mask.subarray(0, size);
    m.fill(0);
    return m;
  }

  /** Null flags per leaf element for `rows` rows from `start`, merging every level's validity; undefined when none. */
  private elementNulls(plan: ColumnPlan, data: Data, start: number, rows: number, perRow: number): { leaf: Data; nulls?: Uint8Array } {
    const levels: Data[] = [data];
    let d = data;
    while (DataType.isFixedSizeList(d.type)) levels.push((d = d.children[0]!));
    const parts = plan.leaf === 'c64' || plan.leaf === 'c128' ? [d.children[0]!, d.children[1]!] : [];
    const any = [...levels, ...parts].some((x) => x.nullCount > 0);
    if (!any) return { leaf: d };
    const nulls = this.nullMask(rows * perRow);
    let mult = 1;
    let cover = perRow;
    for (const level of levels) {
      markNulls(level, start * mult, rows * mult, nulls, 0, cover);
      if (DataType.isFixedSizeList(level.type)) {
        mult *= level.type.listSize;
        cover /= level.type.listSize;
      }
    }
    for (const p of parts) markNulls(p, start * mult, rows * mult, nulls);
    return { leaf: d, nulls };
  }

  private fixed(
    plan: ColumnPlan,
    data: Data,
    start: number,
    rows: number,
    bytes: Uint8Array,
    view: DataView,
    base: number,
    rowBase: number,
  ): void {
    const { leaf, nulls } = this.elementNulls(plan, data, start, rows, plan.repeat);
    const src = sourceOfData(plan.leaf!, leaf);
    const first = start * plan.repeat;
    if (plan.checkTnull && plan.nullPattern) {
      const e = findStored(src, first, rows * plan.repeat, nulls, plan.nullPattern);
      if (e >= 0) throw this.tnullClash(plan, rowBase + start + Math.floor(e / plan.repeat));
    }
    encodeLeaf(src, first, rows, plan.repeat, view, bytes, base, this.rowWidth, nulls, plan.nullPattern);
  }

  private string(plan: ColumnPlan, data: Data, start: number, rows: number, bytes: Uint8Array, base: number, rowBase: number): void {
    const offsets = data.valueOffsets as Int32Array;
    const chars = data.values as Uint8Array;
    const width = plan.repeat;
    const checkNulls = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let r = 0; r < rows; r++) {
      const p = base + r * this.rowWidth;
      const s = offsets[start + r]!;
      let len = offsets[start + r + 1]! - s;
      if (checkNulls) {
        const b = data.offset + start + r;
        if (((checkNulls[b >> 3]! >> (b & 7)) & 1) === 0) len = 0;
      }
      if (len > width)
        throw new FitsError(`string of ${len} bytes is longer than the column width ${width}`, {
          ...this.where,
          column: plan.name,
          row: rowBase + start + r,
        });
      for (let k = 0; k < len; k++) {
        const c = chars[s + k]!;
        if (c >= 0x80) {
          throw new FitsError('non-ASCII text: FITS strings hold ASCII only', {
            ...this.where,
            column: plan.name,
            row: rowBase + start + r,
          });
        }
        bytes[p + k] = c;
      }
      bytes.fill(0, p + len, p + width);
    }
  }

  private async vla(
    plan: ColumnPlan,
    data: Data,
    start: number,
    rows: number,
    view: DataView,
    base: number,
    rowBase: number,
  ): Promise<void> {
    const offsets = data.valueOffsets as Int32Array;
    const child = data.children[0]!;
    const size = LEAF_INFO[plan.leaf!].size;
    const s0 = offsets[start]!;
    const count = offsets[start + rows]! - s0;
    const need = count * size;
    const heapBase = this.heap!.size;
    if (heapBase + need > MAX_HEAP)
      throw new FitsError('the heap of variable-length arrays exceeds 2 GiB, the limit of P descriptors', {
        ...this.where,
        column: plan.name,
      });
    if (this.heapBytes.length < need) {
      this.heapBytes = new Uint8Array(Math.max(need, this.heapBytes.length * 2));
      this.heapView = new DataView(this.heapBytes.buffer);
    }
    const { leaf, nulls } = this.elementNulls(plan, child, s0, count, 1);
    const src = sourceOfData(plan.leaf!, leaf);
    if (plan.checkTnull && plan.nullPattern) {
      const e = findStored(src, s0, count, nulls, plan.nullPattern);
      if (e >= 0) throw this.tnullClash(plan, rowBase + start + rowOfElement(offsets, start, rows, s0 + e));
    }
    encodeLeaf(src, s0, count, 1, this.heapView, this.heapBytes, 0, size, nulls, plan.nullPattern);
    const valid = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let r = 0; r < rows; r++) {
      let len = offsets[start + r + 1]! - offsets[start + r]!;
      if (valid) {
        const b = data.offset + start + r;
        if (((valid[b >> 3]! >> (b & 7)) & 1) === 0) len = 0;
      }
      if (len > plan.vlaMax) plan.vlaMax = len;
      const p = base + r * this.rowWidth;
      view.setInt32(p, len);
      view.setInt32(p + 4, len ? heapBase + (offsets[start + r]! - s0) * size : 0);
    }
    await this.heap!.append(this.heapBytes.subarray(0, need));
  }

  private tnullClash(plan: ColumnPlan, row: number): FitsError {
    return new FitsError(`a valid value equals TNULL ${plan.tnull} and would read back as null: choose another fits.TNULL`, {
      ...this.where,
      column: plan.name,
      row,
    });
  }
}

function rowOfElement(offsets: Int32Array, start: number, rows: number, element: number): number {
  let r = 0;
  while (r < rows - 1 && offsets[start + r + 1]! <= element) r++;
  return r;
}

/** Index (from 0) of the first valid element whose stored value equals `pattern`, or -1. */
function findStored(src: LeafSource, first: number, count: number, nulls: Uint8Array | undefined, pattern: StoredNull): number {
  const size = LEAF_INFO[src.leaf].size;
  const flip = LEAF_INFO[src.leaf].zero !== undefined;
  if (size <= 2) {
    const mask = size === 1 ? 0xff : 0xffff;
    const f = flip ? (size === 1 ? 0x80 : 0x8000) : 0;
    const want = pattern.lo & mask;
    const v = src.values as Int16Array;
    for (let e = 0; e < count; e++) if (((v[first + e]! ^ f) & mask) === want && !nulls?.[e]) return e;
    return -1;
  }
  const w = src.words!;
  const f = flip ? 0x80000000 : 0;
  if (size === 4) {
    const want = pattern.lo >>> 0;
    for (let e = 0; e < count; e++) if ((w[first + e]! ^ f) >>> 0 === want && !nulls?.[e]) return e;
    return -1;
  }
  const hi = pattern.hi >>> 0;
  const lo = pattern.lo >>> 0;
  for (let e = 0; e < count; e++) {
    const i = (first + e) * 2;
    if (w[i] === lo && (w[i + 1]! ^ f) >>> 0 === hi && !nulls?.[e]) return e;
  }
  return -1;
}
