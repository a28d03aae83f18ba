// The data-chunk path goes one level below @duckdb/node-api's value-by-value vectors: its own bindings package copies whole
// Arrow buffers into DuckDB vectors (one native call per column per 2,048 rows instead of one JS value per cell).
import duckdb from '@duckdb/node-bindings';
import type { Data } from 'apache-arrow';
import type { ColumnPlan, ElementKind } from '../column-plan.js';
import type { LoadPart } from '../store.js';

const BYTES: Partial<Record<ElementKind, number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

const VECTOR_SIZE = duckdb.vector_size();

function validBit(d: Data, i: number): boolean {
  if (d.nullCount <= 0 || !d.nullBitmap) return true;
  const j = d.offset + i;
  return ((d.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
}

/** Writes validity for `n` target slots where slot k holds source element `src(k)`. */
function writeValidity(vector: duckdb.Vector, d: Data, n: number, src: (k: number) => number): void {
  if (d.nullCount <= 0) return;
  duckdb.vector_ensure_validity_writable(vector);
  const words = new Uint8Array(Math.ceil(n / 64) * 8);
  for (let k = 0; k < n; k++) if (validBit(d, src(k))) words[k >> 3]! |= 1 << (k & 7);
  duckdb.copy_data_to_vector_validity(vector, 0, words.buffer, 0, words.byteLength);
}

/** DuckDB keeps strings of up to 12 bytes inside the 16-byte string_t itself: uint32 length, then the bytes, zero padded. */
const INLINE = 12;

/**
 * String cells. Short ASCII strings (most DESI strings: SURVEY, PROGRAM, SPECTYPE...) are written as inlined string_t
 * structs in one copy per chunk, which is what DuckDB's own assign does for them; longer or non-ASCII strings (which
 * need DuckDB's string heap, or its UTF-8 check) go through `vector_assign_string_element_len` one by one, after the copy.
 */
function fillStrings(vector: duckdb.Vector, d: Data, n: number, src: (k: number) => number): void {
  const o = d.valueOffsets as Int32Array;
  const b = d.values as Uint8Array;
  const structs = new Uint8Array(16 * n);
  const words = new Uint32Array(structs.buffer);
  const slow: number[] = [];
  for (let k = 0; k < n; k++) {
    if (!validBit(d, src(k))) continue;
    const j = d.offset + src(k);
    const a = o[j]!,
      len = o[j + 1]! - a;
    let ascii = len <= INLINE;
    for (let q = 0; ascii && q < len; q++) if (b[a + q]! >= 0x80) ascii = false;
    if (!ascii) {
      slow.push(k);
      continue;
    }
    words[4 * k] = len;
    for (let q = 0; q < len; q++) structs[16 * k + 4 + q] = b[a + q]!;
  }
  duckdb.copy_data_to_vector(vector, 0, structs.buffer, 0, structs.byteLength);
  for (const k of slow) {
    const j = d.offset + src(k);
    duckdb.vector_assign_string_element_len(vector, k, b.subarray(o[j]!, o[j + 1]!));
  }
}

/** Fills a vector's `n` slots from leaf elements `src(k)` (k < n) of a scalar Arrow Data. */
function fillLeaf(vector: duckdb.Vector, kind: ElementKind, d: Data, n: number, src: (k: number) => number, contiguous: boolean): void {
  const bytes = BYTES[kind];
  const values = d.values as unknown as ArrayBufferView & { length: number } & ArrayLike<unknown>;
  if (bytes !== undefined) {
    if (contiguous) {
      duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + (d.offset + src(0)) * bytes, n * bytes);
    } else {
      const Ctor = values.constructor as new (n: number) => { [i: number]: unknown; buffer: ArrayBuffer; byteLength: number };
      const tmp = new Ctor(n);
      for (let k = 0; k < n; k++) tmp[k] = values[d.offset + src(k)];
      duckdb.copy_data_to_vector(vector, 0, tmp.buffer, 0, tmp.byteLength);
    }
  } else if (kind === 'bool') {
    const tmp = new Uint8Array(n);
    const bits = d.values as Uint8Array;
    for (let k = 0; k < n; k++) {
      const j = d.offset + src(k);
      tmp[k] = (bits[j >> 3]! >> (j & 7)) & 1;
    }
    duckdb.copy_data_to_vector(vector, 0, tmp.buffer, 0, n);
  } else {
    fillStrings(vector, d, n, src);
  }
  writeValidity(vector, d, n, src);
}

/** Fills one column's vector for target rows `rows[k0 .. k0+n)`. */
function fillColumn(vector: duckdb.Vector, plan: ColumnPlan, d: Data, rows: Int32Array, k0: number, n: number): void {
  const contiguous = rows[k0 + n - 1]! - rows[k0]! === n - 1;
  if (plan.dims.length === 0) {
    fillLeaf(vector, plan.element, d, n, (k) => rows[k0 + k]!, contiguous);
    return;
  }
  writeValidity(vector, d, n, (k) => rows[k0 + k]!);
  if (plan.dims[0] === -1) {
    // A LIST vector: (offset, length) entries as uint64 pairs, its child reserved to the total length.
    const offsets = d.valueOffsets as Int32Array;
    const child = d.children[0]!;
    const entries = new BigUint64Array(2 * n);
    const srcIdx: number[] = [];
    for (let k = 0; k < n; k++) {
      const r = d.offset + rows[k0 + k]!;
      entries[2 * k] = BigInt(srcIdx.length);
      entries[2 * k + 1] = BigInt(offsets[r + 1]! - offsets[r]!);
      for (let i = offsets[r]!; i < offsets[r + 1]!; i++) srcIdx.push(i - child.offset);
    }
    duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
    duckdb.list_vector_reserve(vector, srcIdx.length);
    const cv = duckdb.list_vector_get_child(vector);
    if (srcIdx.length) fillLeaf(cv, plan.element, child, srcIdx.length, (k) => srcIdx[k]!, false);
    duckdb.list_vector_set_size(vector, srcIdx.length);
    return;
  }
  // Nested fixed-size ARRAYs: the leaf vector holds n * prod(dims) elements in row-major order, like the Arrow leaf.
  let leafVector = vector;
  let leaf = d;
  for (let i = 0; i < plan.dims.length; i++) {
    leafVector = duckdb.array_vector_get_child(leafVector);
    leaf = leaf.children[0]!;
  }
  const per = plan.dims.reduce((a, b) => a * b, 1);
  const base = d.offset * per - leaf.offset;
  fillLeaf(leafVector, plan.element, leaf, n * per, (k) => base + rows[k0 + Math.floor(k / per)]! * per + (k % per), contiguous);
}

/**
 * Appends the chosen rows of each part through a DuckDB appender, 2,048 rows (one vector) per data chunk, plus the load
 * id as the last column. Returns the rows appended.
 *
 * @example
 * const n = await appendParts(appender, plans, parts, 7);
 */
export async function appendParts(
  appender: unknown,
  plans: readonly ColumnPlan[],
  parts: AsyncIterable<LoadPart>,
  loadId: number,
): Promise<number> {
  const native = (appender as { appender: duckdb.Appender }).appender;
  const ncol = duckdb.appender_column_count(native);
  const types = Array.from({ length: ncol }, (_, i) => duckdb.appender_column_type(native, i));
  const chunk = duckdb.create_data_chunk(types);
  const ids = new Int32Array(VECTOR_SIZE).fill(loadId);
  let total = 0;
  for await (const { batch, rows } of parts) {
    for (let k0 = 0; k0 < rows.length; k0 += VECTOR_SIZE) {
      const n = Math.min(VECTOR_SIZE, rows.length - k0);
      duckdb.data_chunk_reset(chunk);
      fillChunk(chunk, plans, batch.data.children, rows, k0, n, ids);
      duckdb.append_data_chunk(native, chunk);
      total += n;
    }
  }
  return total;
}

/**
 * Fills a data chunk with target rows `rows[k0 .. k0+n)` (n <= one vector) of a record batch's columns, then the load
 * id column (`ids`: a vector's worth of it), and sets its size.
 */
function fillChunk(
  chunk: duckdb.DataChunk,
  plans: readonly ColumnPlan[],
  columns: readonly Data[],
  rows: Int32Array,
  k0: number,
  n: number,
  ids: Int32Array,
): void {
  plans.forEach((p, c) => fillColumn(duckdb.data_chunk_get_vector(chunk, c), p, columns[p.index]!, rows, k0, n));
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk, plans.length), 0, ids.buffer as ArrayBuffer, 0, 4 * n);
  duckdb.data_chunk_set_size(chunk, n);
}
