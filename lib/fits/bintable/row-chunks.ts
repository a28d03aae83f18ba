import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { readRange, scanPieceBytes } from '../source/read-range.js';

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
async function* rowChunks(src: ByteSource, hdu: HduInfo, start: number, end: number, chunkBytes = scanPieceBytes(src)): AsyncGenerator<{ chunk: RowChunk; row: number }> {
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
  src: ByteSource, hdu: HduInfo, start: number, end: number, each: (chunk: RowChunk, row: number) => void,
  chunkBytes = scanPieceBytes(src),
): Promise<void> {
  const rowBytes = hdu.header.int('NAXIS1');
  if (rowBytes === 0 || end === start) return;
  const readIntoSync = src.readIntoSync?.bind(src);
  if (!readIntoSync) {
    for await (const { chunk, row } of rowChunks(src, hdu, start, end, chunkBytes)) each(chunk, row);
    return;
  }
  const perChunk = rowsPerChunk(rowBytes, chunkBytes);
  const buffer = new Uint8Array(perChunk * rowBytes);
  const view = new DataView(buffer.buffer);
  for (let r = start, k = 1; r < end; r += perChunk, k++) {
    const n = Math.min(perChunk, end - r);
    const bytes = n === perChunk ? buffer : buffer.subarray(0, n * rowBytes);
    const got = readIntoSync(hdu.dataOffset + r * rowBytes, bytes);
    if (got < bytes.length) throw new FitsError('truncated table data', { file: src.name, hdu: hdu.index, row: r + Math.floor(got / rowBytes) });
    each({ bytes, view, rows: n, rowBytes }, r - start);
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

