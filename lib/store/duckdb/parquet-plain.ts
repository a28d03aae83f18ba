// A Parquet writer of our own, for staging rows that DuckDB then reads with its parallel, order-preserving read_parquet.
// Why not parquet-wasm: it copies the rows through Arrow IPC into wasm and encodes them there on the JS thread (measured
// 1.4x-4.7x slower than the data-chunk path in bench/ingest); this file instead writes UNCOMPRESSED pages, PLAIN-encoded
// (strings DELTA_LENGTH_BYTE_ARRAY), whose value bytes are mostly Arrow's own buffers (zero-copy views handed to
// writev), with no dictionary and no statistics, so encoding costs little more than the write itself. Arrow validity bitmaps are Parquet's
// bit-packed definition levels for bit width 1 (both LSB first); fixed-size arrays and lists are 3-level LISTs per
// dimension (the insert casts them back to DuckDB ARRAY types). The footer is Thrift compact protocol.
import type { Data } from 'apache-arrow';
import type { ColumnPlan, ElementKind } from '../column-plan.js';
import { ThriftWriter, type ThriftStruct, type ThriftValue } from './thrift-compact.js';

/** A run of consecutive rows of one record batch: its column Data (by Arrow index) and the rows `[start, start+length)`. */
export interface RowRun {
  columns: readonly Data[];
  start: number;
  length: number;
}

/** A contiguous range of elements of one Data, by absolute index (Arrow's `offset` already added). */
interface Range {
  d: Data;
  j0: number;
  n: number;
}

const PHYSICAL: Record<ElementKind, number> = {
  bool: 0,
  int8: 1,
  uint8: 1,
  int16: 1,
  uint16: 1,
  int32: 1,
  uint32: 1,
  int64: 2,
  uint64: 2,
  float32: 4,
  float64: 5,
  string: 6,
};

/** Parquet ConvertedType: UTF8 0, UINT_8 11, UINT_16 12, UINT_32 13, UINT_64 14, INT_8 15, INT_16 16. */
const CONVERTED: Partial<Record<ElementKind, number>> = {
  string: 0,
  uint8: 11,
  uint16: 12,
  uint32: 13,
  uint64: 14,
  int8: 15,
  int16: 16,
};

/** The values' encoding: PLAIN (0), or DELTA_LENGTH_BYTE_ARRAY (6) for strings. */
const ENCODING = (plan: ColumnPlan): number => (plan.element === 'string' ? 6 : 0);

/** Bytes per element of the kinds whose Arrow buffer is already the PLAIN encoding. */
const SAME_BYTES: Partial<Record<ElementKind, number>> = { int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8 };

const isValid = (d: Data, j: number): boolean => d.nullCount <= 0 || !d.nullBitmap || ((d.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;

function hasNulls(r: Range): boolean {
  if (r.d.nullCount <= 0 || !r.d.nullBitmap) return false;
  for (let k = 0; k < r.n; k++) if (!isValid(r.d, r.j0 + k)) return true;
  return false;
}

function bitWidth(maxLevel: number): number {
  return maxLevel === 0 ? 0 : 32 - Math.clz32(maxLevel);
}

function varint(v: number, out: number[]): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A v1 page's level block: 4-byte little-endian length, then the RLE / bit-packed hybrid stream. */
function withLength(head: number[], body?: Uint8Array): Uint8Array[] {
  const len = head.length + (body?.length ?? 0);
  const pre = new Uint8Array(4 + head.length);
  new DataView(pre.buffer).setUint32(0, len, true);
  pre.set(head, 4);
  return body ? [pre, body] : [pre];
}

/** `m` copies of one level value: a single RLE run. */
function levelsRun(m: number, value: number, width: number): Uint8Array[] {
  const head: number[] = [];
  varint(m * 2, head);
  for (let b = 0; b < Math.ceil(width / 8); b++) head.push((value >> (8 * b)) & 0xff);
  return withLength(head);
}

/** Levels of width <= 8 as one bit-packed run (all the same: one RLE run). */
function levelsPacked(levels: Uint8Array, m: number, width: number): Uint8Array[] {
  let same = true;
  for (let i = 1; same && i < m; i++) same = levels[i] === levels[0];
  if (same) return levelsRun(m, m ? levels[0]! : 0, width);
  const groups = Math.ceil(m / 8);
  const out = new Uint8Array(groups * width);
  for (let i = 0; i < m; i++) {
    const v = levels[i]!;
    if (!v) continue;
    const pos = i * width;
    const s = pos & 7;
    out[pos >> 3]! |= (v << s) & 0xff;
    if (s + width > 8) out[(pos >> 3) + 1]! |= v >> (8 - s);
  }
  const head: number[] = [];
  varint(groups * 2 + 1, head);
  return withLength(head, out);
}

/** Definition levels (max 1) of scalar ranges: one run when nothing is null, else the validity bits as one bit-packed run. */
function scalarDefinitions(ranges: readonly Range[], m: number): Uint8Array[] {
  if (!ranges.some(hasNulls)) return levelsRun(m, 1, 1);
  const bits = new Uint8Array(Math.ceil(m / 8));
  let i = 0;
  for (const r of ranges) for (let k = 0; k < r.n; k++, i++) if (isValid(r.d, r.j0 + k)) bits[i >> 3]! |= 1 << (i & 7);
  const head: number[] = [];
  varint(bits.length * 2 + 1, head);
  return withLength(head, bits);
}

/** PLAIN values of the non-null elements of `ranges`: zero-copy views where Arrow's buffer already is the encoding. */
function plainValues(kind: ElementKind, ranges: readonly Range[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (kind === 'string') return deltaLengthStrings(ranges);
  if (kind === 'bool') {
    // Arrow's value bits are already PLAIN's when nothing is null and every range starts on a byte and (but the last)
    // ends on one.
    if (ranges.every((r, i) => r.j0 % 8 === 0 && (i === ranges.length - 1 || r.n % 8 === 0) && !hasNulls(r)))
      return ranges.map((r) => (r.d.values as Uint8Array).subarray(r.j0 >> 3, (r.j0 + r.n + 7) >> 3));
    let count = 0;
    for (const r of ranges) for (let k = 0; k < r.n; k++) if (isValid(r.d, r.j0 + k)) count++;
    const bits = new Uint8Array(Math.ceil(count / 8));
    let i = 0;
    for (const r of ranges) {
      const v = r.d.values as Uint8Array;
      for (let k = 0; k < r.n; k++) {
        const j = r.j0 + k;
        if (!isValid(r.d, j)) continue;
        if ((v[j >> 3]! >> (j & 7)) & 1) bits[i >> 3]! |= 1 << (i & 7);
        i++;
      }
    }
    return [bits];
  }
  const same = SAME_BYTES[kind];
  for (const r of ranges) {
    const v = r.d.values as unknown as ArrayLike<number> & ArrayBufferView;
    const nulls = hasNulls(r);
    if (same !== undefined) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset + r.j0 * same, r.n * same);
      if (!nulls) {
        out.push(bytes);
        continue;
      }
      const words = same / 4;
      const src = new Int32Array(v.buffer, v.byteOffset + r.j0 * same, r.n * words);
      const dst = new Int32Array(r.n * words);
      let m = 0;
      for (let k = 0; k < r.n; k++) {
        if (!isValid(r.d, r.j0 + k)) continue;
        for (let w = 0; w < words; w++) dst[m++] = src[k * words + w]!;
      }
      out.push(new Uint8Array(dst.buffer, 0, m * 4));
    } else {
      // int8/uint8/int16/uint16 are INT32 in Parquet: widened by the typed-array copy.
      const src = (v as unknown as Int32Array).subarray(r.j0, r.j0 + r.n);
      const dst = new Int32Array(r.n);
      if (!nulls) dst.set(src);
      let m = r.n;
      if (nulls) {
        m = 0;
        for (let k = 0; k < r.n; k++) if (isValid(r.d, r.j0 + k)) dst[m++] = src[k]!;
      }
      out.push(new Uint8Array(dst.buffer, 0, m * 4));
    }
  }
  return out;
}

/** Writes the low `w` bits of `v` (0 <= v < 2^32) at bit `pos` of `out`, least significant bit first. */
function putBits(out: Uint8Array, pos: number, v: number, w: number): void {
  for (let left = w; left > 0; ) {
    const s = pos & 7;
    const take = Math.min(8 - s, left);
    out[pos >> 3]! |= (v & ((1 << take) - 1)) << s;
    v >>>= take;
    pos += take;
    left -= take;
  }
}

/**
 * DELTA_BINARY_PACKED int32 values: blocks of 128 deltas in four miniblocks of 32, each bit-packed above the block's
 * smallest delta (string lengths of one FITS column differ little, so a few bits each).
 */
function deltaBinaryPacked(values: Int32Array, m: number): Uint8Array {
  const head: number[] = [];
  varint(128, head);
  varint(4, head);
  varint(m, head);
  const first = m ? values[0]! : 0;
  varint(first >= 0 ? first * 2 : -first * 2 - 1, head);
  const blocks: Uint8Array[] = [Uint8Array.from(head)];
  for (let b = 1; b < m; b += 128) {
    const end = Math.min(m, b + 128);
    let min = Infinity;
    for (let i = b; i < end; i++) min = Math.min(min, values[i]! - values[i - 1]!);
    const widths: number[] = [];
    for (let mb = 0; mb < 4; mb++) {
      let max = 0;
      for (let i = b + 32 * mb; i < Math.min(end, b + 32 * mb + 32); i++) max = Math.max(max, values[i]! - values[i - 1]! - min);
      widths.push(max === 0 ? 0 : 32 - Math.clz32(max));
    }
    const used = Math.ceil((end - b) / 32);
    const blockHead: number[] = [];
    varint(min >= 0 ? min * 2 : -min * 2 - 1, blockHead);
    blockHead.push(...widths);
    const body = new Uint8Array(widths.slice(0, used).reduce((t, w) => t + 4 * w, 0));
    let pos = 0;
    for (let mb = 0; mb < used; mb++) {
      const w = widths[mb]!;
      for (let i = b + 32 * mb; i < Math.min(end, b + 32 * mb + 32); i++)
        putBits(body, pos + (i - b - 32 * mb) * w, values[i]! - values[i - 1]! - min, w);
      pos += 32 * w;
    }
    blocks.push(Uint8Array.from(blockHead), body);
  }
  const out = new Uint8Array(blocks.reduce((t, x) => t + x.length, 0));
  let p = 0;
  for (const x of blocks) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

/**
 * BYTE_ARRAY values as DELTA_LENGTH_BYTE_ARRAY: every non-null string's length (delta-packed), then all their bytes,
 * which are Arrow's own bytes buffer (a view) when null cells hold no bytes. Measured against PLAIN (a 4-byte length
 * before each string, so every string copied): PLAIN's per-string copy was the writer's largest cost.
 */
function deltaLengthStrings(ranges: readonly Range[]): Uint8Array[] {
  let count = 0;
  for (const r of ranges) count += r.n;
  const lengths = new Int32Array(count);
  const bytes: Uint8Array[] = [];
  let m = 0;
  for (const r of ranges) {
    const o = r.d.valueOffsets as unknown as ArrayLike<number>;
    const b = r.d.values as Uint8Array;
    const nulls = hasNulls(r);
    let nullBytes = false;
    for (let k = 0; k < r.n; k++) {
      const j = r.j0 + k;
      const len = Number(o[j + 1]) - Number(o[j]);
      if (nulls && !isValid(r.d, j)) nullBytes ||= len > 0;
      else lengths[m++] = len;
    }
    if (!nullBytes) bytes.push(b.subarray(Number(o[r.j0]), Number(o[r.j0 + r.n])));
    else
      for (let k = 0; k < r.n; k++) {
        const j = r.j0 + k;
        if (isValid(r.d, j)) bytes.push(b.subarray(Number(o[j]), Number(o[j + 1])));
      }
  }
  return [deltaBinaryPacked(lengths, m), ...bytes];
}

/** Growing byte array for levels. */
class Levels {
  a: Uint8Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Uint8Array(Math.max(cap, 16));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const next = new Uint8Array(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    this.a[this.n++] = v;
  }
}

/**
 * Repetition and definition levels (Dremel) of list cells: each dimension is an optional group holding a repeated
 * group, the leaf is optional; so a null cell at depth L has definition 2L, an empty list 2L+1, a null element 2D, a
 * value 2D+1. Returns the levels and the leaf ranges holding the values, in order.
 */
function listLevels(plan: ColumnPlan, ranges: readonly Range[]): { rep: Levels; def: Levels; leaves: Range[] } {
  const depth = plan.dims.length;
  const per = plan.dims[0] === -1 ? 1 : plan.dims.reduce((a, b) => a * b, 1);
  const total = ranges.reduce((s, r) => s + r.n, 0) * per;
  const rep = new Levels(total);
  const def = new Levels(total);
  const leaves: Range[] = [];
  const leafAt = (d: Data, j: number) => {
    const last = leaves[leaves.length - 1];
    if (last && last.d === d && last.j0 + last.n === j) last.n++;
    else leaves.push({ d, j0: j, n: 1 });
  };
  const emit = (level: number, d: Data, j: number, r: number): void => {
    if (level === depth) {
      rep.push(r);
      if (isValid(d, j)) {
        def.push(2 * depth + 1);
        leafAt(d, j);
      } else def.push(2 * depth);
      return;
    }
    if (!isValid(d, j)) {
      rep.push(r);
      def.push(2 * level);
      return;
    }
    const size = plan.dims[level]!;
    const a = size === -1 ? Number((d.valueOffsets as unknown as ArrayLike<number>)[j]) : j * size;
    const b = size === -1 ? Number((d.valueOffsets as unknown as ArrayLike<number>)[j + 1]) : a + size;
    if (a === b) {
      rep.push(r);
      def.push(2 * level + 1);
      return;
    }
    const child = d.children[0]!;
    for (let i = a; i < b; i++) emit(level + 1, child, i, i === a ? r : level + 1);
  };
  for (const rg of ranges) for (let k = 0; k < rg.n; k++) emit(0, rg.d, rg.j0 + k, 0);
  return { rep, def, leaves };
}

/**
 * Fixed-size cells with no null anywhere (FITS vectors such as `10D` columns), without walking them element by element:
 * the repetition levels repeat one cell's pattern, the definition levels are one run, the values are the leaf buffer.
 * Undefined when a cell or element is null (then the general walk runs).
 */
function fixedCellsPage(plan: ColumnPlan, ranges: readonly Range[]): { parts: Uint8Array[]; values: number } | undefined {
  if (plan.dims.includes(-1)) return undefined;
  const per = plan.dims.reduce((a, b) => a * b, 1);
  const leaves: Range[] = [];
  for (const r of ranges) {
    let d = r.d;
    let j0 = r.j0;
    let n = r.n;
    if (hasNulls({ d, j0, n })) return undefined;
    for (const size of plan.dims) {
      d = d.children[0]!;
      j0 *= size;
      n *= size;
      if (hasNulls({ d, j0, n })) return undefined;
    }
    leaves.push({ d, j0, n });
  }
  const depth = plan.dims.length;
  // One cell's repetition levels: 0 at its start, else the depth of the outermost dimension whose index moved.
  const pattern = new Uint8Array(per);
  for (let e = 1; e < per; e++) {
    let level = depth;
    let stride = plan.dims[depth - 1]!;
    while (level > 1 && e % stride === 0) {
      level--;
      stride *= plan.dims[level - 1]!;
    }
    pattern[e] = level;
  }
  const m = ranges.reduce((s, r) => s + r.n, 0) * per;
  let repParts: Uint8Array[];
  if (depth === 1 && per > 1) {
    // Bit width 1: all ones but a zero at each cell's first element, packed directly.
    const bits = new Uint8Array(Math.ceil(m / 8)).fill(0xff);
    for (let c = 0; c < m; c += per) bits[c >> 3]! &= ~(1 << (c & 7));
    const head: number[] = [];
    varint(bits.length * 2 + 1, head);
    repParts = withLength(head, bits);
  } else {
    const rep = new Uint8Array(m);
    for (let c = 0; c < m; c += per) rep.set(pattern, c);
    repParts = levelsPacked(rep, m, bitWidth(depth));
  }
  return {
    parts: [...repParts, ...levelsRun(m, 2 * depth + 1, bitWidth(2 * depth + 1)), ...plainValues(plan.element, leaves)],
    values: m,
  };
}

/** One column's page in a row group: its levels and values, and the count of level entries. */
function columnPage(plan: ColumnPlan, ranges: readonly Range[]): { parts: Uint8Array[]; values: number } {
  if (plan.dims.length === 0) {
    const m = ranges.reduce((s, r) => s + r.n, 0);
    return { parts: [...scalarDefinitions(ranges, m), ...plainValues(plan.element, ranges)], values: m };
  }
  const fixed = fixedCellsPage(plan, ranges);
  if (fixed) return fixed;
  const depth = plan.dims.length;
  const { rep, def, leaves } = listLevels(plan, ranges);
  return {
    parts: [
      ...levelsPacked(rep.a, rep.n, bitWidth(depth)),
      ...levelsPacked(def.a, def.n, bitWidth(2 * depth + 1)),
      ...plainValues(plan.element, leaves),
    ],
    values: rep.n,
  };
}

/** The schema elements of one stored column, named `c<i>` (the insert renames): groups for list dimensions, then the leaf. */
function schemaOf(plan: ColumnPlan, i: number): ThriftStruct[] {
  const out: ThriftStruct[] = [];
  let name = `c${i}`;
  for (let level = 0; level < plan.dims.length; level++) {
    out.push({
      struct: [
        [3, { i32: 1 }],
        [4, name],
        [5, { i32: 1 }],
        [6, { i32: 3 }],
      ],
    });
    out.push({
      struct: [
        [3, { i32: 2 }],
        [4, 'list'],
        [5, { i32: 1 }],
      ],
    });
    name = 'element';
  }
  const converted = CONVERTED[plan.element];
  out.push({
    struct: [
      [1, { i32: PHYSICAL[plan.element] }],
      [3, { i32: 1 }],
      [4, name],
      [6, converted === undefined ? undefined : { i32: converted }],
    ],
  });
  return out;
}

function pathOf(plan: ColumnPlan, i: number): string[] {
  const path = [`c${i}`];
  for (let level = 0; level < plan.dims.length; level++) path.push('list', 'element');
  return path;
}

/** Cuts runs of rows into row groups of `rowGroupRows` rows (the last may be shorter). */
function rowGroups(runs: readonly RowRun[], rowGroupRows: number): RowRun[][] {
  const groups: RowRun[][] = [];
  let cur: RowRun[] = [];
  let have = 0;
  for (const run of runs) {
    let start = run.start;
    let left = run.length;
    while (left > 0) {
      const take = Math.min(left, rowGroupRows - have);
      cur.push({ columns: run.columns, start, length: take });
      have += take;
      start += take;
      left -= take;
      if (have === rowGroupRows) {
        groups.push(cur);
        cur = [];
        have = 0;
      }
    }
  }
  if (have) groups.push(cur);
  return groups;
}

/**
 * One Parquet file of the rows in `runs` (planned columns only, named c0, c1, ... in plan order), as the byte pieces to
 * write in order: one uncompressed PLAIN data page per column per row group, then the footer. Pieces may be views of
 * Arrow's buffers: write them before the batches are released.
 *
 * @example
 * await handle.writev(parquetSegment(plans, [{ columns: batch.data.children, start: 0, length: batch.numRows }]));
 */
export function parquetSegment(plans: readonly ColumnPlan[], runs: readonly RowRun[], rowGroupRows = 122_880): Uint8Array[] {
  const out: Uint8Array[] = [new TextEncoder().encode('PAR1')];
  let offset = 4;
  const groupsMeta: ThriftValue[] = [];
  let totalRows = 0;
  for (const group of rowGroups(runs, rowGroupRows)) {
    const rows = group.reduce((s, r) => s + r.length, 0);
    totalRows += rows;
    const chunks: ThriftValue[] = [];
    let groupBytes = 0;
    plans.forEach((plan, i) => {
      const ranges = group.map((r) => {
        const d = r.columns[plan.index]!;
        return { d, j0: d.offset + r.start, n: r.length };
      });
      const { parts, values } = columnPage(plan, ranges);
      const size = parts.reduce((s, p) => s + p.length, 0);
      const header = new ThriftWriter()
        .struct({
          struct: [
            [1, { i32: 0 }],
            [2, { i32: size }],
            [3, { i32: size }],
            [
              5,
              {
                struct: [
                  [1, { i32: values }],
                  [2, { i32: ENCODING(plan) }],
                  [3, { i32: 3 }],
                  [4, { i32: 3 }],
                ],
              },
            ],
          ],
        })
        .bytes();
      const pageOffset = offset;
      out.push(header, ...parts);
      offset += header.length + size;
      groupBytes += header.length + size;
      chunks.push({
        struct: [
          [2, { i64: pageOffset }],
          [
            3,
            {
              struct: [
                [1, { i32: PHYSICAL[plan.element] }],
                [2, { list: [{ i32: ENCODING(plan) }, { i32: 3 }], of: 'i32' }],
                [3, { list: pathOf(plan, i), of: 'string' }],
                [4, { i32: 0 }],
                [5, { i64: values }],
                [6, { i64: header.length + size }],
                [7, { i64: header.length + size }],
                [9, { i64: pageOffset }],
              ],
            },
          ],
        ],
      });
    });
    groupsMeta.push({
      struct: [
        [1, { list: chunks, of: 'struct' }],
        [2, { i64: groupBytes }],
        [3, { i64: rows }],
      ],
    });
  }
  const schema: ThriftValue[] = [
    {
      struct: [
        [4, 'schema'],
        [5, { i32: plans.length }],
      ],
    },
    ...plans.flatMap(schemaOf),
  ];
  const footer = new ThriftWriter()
    .struct({
      struct: [
        [1, { i32: 1 }],
        [2, { list: schema, of: 'struct' }],
        [3, { i64: totalRows }],
        [4, { list: groupsMeta, of: 'struct' }],
        [6, 'skybook'],
      ],
    })
    .bytes();
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  out.push(footer, tail);
  return out;
}
