import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { readRange, scanPieceBytes } from '../source/read-range.js';
import type { ColumnDesc } from './columns.js';

/*
 * The stored rows of a BINTABLE as a stream of chunks, and its heap: what every reader of table data starts from
 * (readTable/readBatches building Arrow columns, the statistics scan taking figures straight from the bytes).
 */

/** A chunk of whole rows, big-endian as in the file. */
export interface RowChunk {
  bytes: Uint8Array;
  view: DataView;
  rows: number;
  rowBytes: number;
}

/** Reads the heap bytes a variable-length column needs (lazily, once per table read). */
export type HeapReader = () => Promise<Uint8Array>;

/** The heap of a BINTABLE: where it starts and how long it is, checked against the data size. */
export function heapExtent(hdu: HduInfo): { offset: number; size: number } {
  const h = hdu.header;
  const main = h.int('NAXIS1') * h.int('NAXIS2');
  const pcount = h.int('PCOUNT', 0);
  const theap = h.int('THEAP', main);
  if (theap < main) throw h.error('THEAP', `heap offset ${theap} lies inside the table (NAXIS1*NAXIS2 = ${main})`);
  const size = Math.max(0, main + pcount - theap);
  return { offset: hdu.dataOffset + theap, size };
}

/**
 * Whole rows per chunk for about `chunkBytes` a chunk: a multiple of 4 where possible, so every chunk is a whole number of
 * 32-bit words and a checksum over the chunks runs on aligned words.
 */
export function rowsPerChunk(rowBytes: number, chunkBytes: number): number {
  const rows = Math.max(1, Math.floor(chunkBytes / rowBytes));
  return rows >= 4 ? rows & ~3 : rows;
}

/**
 * Streams the rows [start, end) of a table as chunks of whole rows, big-endian as stored, from a source that reads
 * asynchronously (HTTP, memory): {@link forEachRowChunk}'s path for them. A chunk is valid only until the next one is
 * asked for.
 */
async function* rowChunks(
  src: ByteSource,
  hdu: HduInfo,
  start: number,
  end: number,
  chunkBytes = scanPieceBytes(src),
): AsyncGenerator<{ chunk: RowChunk; row: number }> {
  const rowBytes = hdu.header.int('NAXIS1');
  if (rowBytes === 0 || end === start) return;
  const perChunk = rowsPerChunk(rowBytes, chunkBytes);
  let r = start;
  for await (const bytes of readRange(src, hdu.dataOffset + start * rowBytes, hdu.dataOffset + end * rowBytes, perChunk * rowBytes)) {
    const n = Math.min(perChunk, end - r);
    if (bytes.length < n * rowBytes) throw new FitsError('truncated table data', { file: src.name, hdu: hdu.index, row: r });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    yield { chunk: { bytes, view, rows: n, rowBytes }, row: r - start };
    r += n;
  }
}

/** Chunks read synchronously between two turns of the event loop. */
const CHUNKS_PER_TURN = 128;

/**
 * Calls `each` with the rows [start, end) of a table as chunks of whole rows, big-endian as stored, every chunk valid
 * only during its call. Where the source copies synchronously (local files) the chunks land in one reused cache-sized
 * buffer, so each is decoded while it is still in cache, without a promise per chunk (an async generator step costs a
 * few µs, 30-50 ms over the 10,000 chunks of a 1.3 GB table); the event loop still gets a turn every 128 chunks.
 * Other sources are read through `readRange`, the next piece requested while the caller works on the current one.
 *
 * @example
 * await forEachRowChunk(src, hdu, 0, nrows, (chunk, row) => builder.add(chunk, row));
 */
export async function forEachRowChunk(
  src: ByteSource,
  hdu: HduInfo,
  start: number,
  end: number,
  each: (chunk: RowChunk, row: number) => void,
  chunkBytes = scanPieceBytes(src),
): Promise<void> {
  const rowBytes = hdu.header.int('NAXIS1');
  if (rowBytes === 0 || end === start) return;
  const readIntoSync = src.readIntoSync?.bind(src);
  if (!readIntoSync) {
    for await (const { chunk, row } of rowChunks(src, hdu, start, end, chunkBytes)) each(chunk, row);
    return;
  }
  await forEachFilledChunk(
    start,
    end,
    rowBytes,
    chunkBytes,
    (r, bytes) => {
      const got = readIntoSync(hdu.dataOffset + r * rowBytes, bytes);
      if (got < bytes.length)
        throw new FitsError('truncated table data', { file: src.name, hdu: hdu.index, row: r + Math.floor(got / rowBytes) });
    },
    each,
  );
}

/**
 * Rows [start, end) as chunks of whole `width`-byte rows, each filled synchronously by `fill` into one reused buffer
 * (`fill` throws if it cannot) and handed to `each`; the event loop gets a turn every 128 chunks.
 */
async function forEachFilledChunk(
  start: number,
  end: number,
  width: number,
  chunkBytes: number,
  fill: (row: number, into: Uint8Array) => void,
  each: (chunk: RowChunk, row: number) => void,
): Promise<void> {
  const perChunk = rowsPerChunk(width, chunkBytes);
  const buffer = new Uint8Array(perChunk * width);
  const view = new DataView(buffer.buffer);
  for (let r = start, k = 1; r < end; r += perChunk, k++) {
    const n = Math.min(perChunk, end - r);
    const bytes = n === perChunk ? buffer : buffer.subarray(0, n * width);
    fill(r, bytes);
    each({ bytes, view, rows: n, rowBytes: width }, r - start);
    if (k % CHUNKS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The heap of a table, read once on first use (by the variable-length columns). */
export function makeHeapReader(src: ByteSource, hdu: HduInfo): HeapReader {
  let heap: Promise<Uint8Array> | undefined;
  return () => {
    heap ??= (async () => {
      const { offset, size } = heapExtent(hdu);
      const bytes = await src.read(offset, size);
      if (bytes.length < size) throw new FitsError('truncated heap', { file: src.name, hdu: hdu.index });
      return bytes.slice();
    })();
    return heap;
  };
}

/** Read packed columns only when they are at most this fraction of a row; wider selections read whole rows as fast. */
const PACK_FRACTION = 0.5;
/** Packed bytes per chunk: the chunk stays in L2 cache while the columns are decoded from it. */
const PACKED_CHUNK_BYTES = 256 * 1024;

/**
 * How a reader gets the stored bytes of some columns: `columns` are the columns asked for, each with `offset` where its
 * bytes lie in the chunks `forEach` passes (as `forEachRowChunk`'s `each` gets them, `rowBytes` the chunk's row width).
 */
export interface RowReadPlan {
  columns: ColumnDesc[];
  forEach(start: number, end: number, each: (chunk: RowChunk, row: number) => void, chunkBytes?: number): Promise<void>;
}

/**
 * Plans the reads for `cols` of a table. From a local file with the memory-map addon, when the columns are a small part
 * of each row, only their bytes are copied out of the page cache, packed side by side (one 8-byte column of a 259-byte row:
 * 40 MB copied instead of 1.3 GB); otherwise whole rows are read with {@link forEachRowChunk}. The column builders work
 * on either unchanged, as the plan's columns carry the offsets within the chunks they get.
 */
export function planRowReads(src: ByteSource, hdu: HduInfo, cols: ColumnDesc[]): RowReadPlan {
  const whole: RowReadPlan = { columns: cols, forEach: (s, e, each, chunkBytes) => forEachRowChunk(src, hdu, s, e, each, chunkBytes) };
  const rowBytes = hdu.header.int('NAXIS1');
  const gather = src.gatherRowsSync?.bind(src);
  // each stored column once, in row order; zero-width columns read nothing
  const stored = [...new Map(cols.filter((c) => c.tform.width > 0).map((c) => [c.offset, c])).values()].sort((a, b) => a.offset - b.offset);
  const packedBytes = stored.reduce((n, c) => n + c.tform.width, 0);
  if (!gather || packedBytes === 0 || packedBytes > rowBytes * PACK_FRACTION) return whole;
  const fields: number[] = [];
  const at = new Map<number, number>();
  let p = 0;
  for (const c of stored) {
    at.set(c.offset, p);
    const last = fields.length - 2;
    // neighbouring columns are one copy
    if (last >= 0 && fields[last]! + fields[last + 1]! === c.offset) fields[last + 1]! += c.tform.width;
    else fields.push(c.offset, c.tform.width);
    p += c.tform.width;
  }
  const spec = Int32Array.from(fields);
  return {
    columns: cols.map((c) => ({ ...c, offset: at.get(c.offset) ?? 0 })),
    forEach: (start, end, each, chunkBytes = PACKED_CHUNK_BYTES) =>
      forEachFilledChunk(
        start,
        end,
        packedBytes,
        chunkBytes,
        (r, bytes) => {
          const n = bytes.length / packedBytes;
          const got = gather(hdu.dataOffset + r * rowBytes, rowBytes, n, spec, bytes);
          if (got < n) throw new FitsError('truncated table data', { file: src.name, hdu: hdu.index, row: r + got });
        },
        each,
      ),
  };
}
