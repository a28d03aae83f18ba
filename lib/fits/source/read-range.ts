import type { ByteSource } from './byte-source.js';

/**
 * The piece size for scanning `src`: 128 KiB where pieces are copied synchronously (the piece and what is decoded from
 * it stay in the core's L2 cache, and a copy into a cached buffer runs at memory speed), 1 MiB where each piece is a
 * request of its own.
 *
 * @example
 * readRange(src, from, to, scanPieceBytes(src));
 */
export function scanPieceBytes(src: ByteSource): number {
  return src.readIntoSync ? 128 * 1024 : 1024 * 1024;
}

/**
 * `length` bytes from `offset` (fewer at the end of the source) in a buffer of their own: one synchronous positional
 * read where the source has them (local files: no round trip through libuv's thread pool, which matters for the many
 * small reads of a header walk or a row selection), else `src.read`.
 *
 * @example
 * const block = await readAt(src, hdu.headerOffset, 2880);
 */
export function readAt(src: ByteSource, offset: number, length: number): Uint8Array | Promise<Uint8Array> {
  if (!src.readIntoSync) return src.read(offset, length);
  const start = Math.min(Math.max(0, offset), src.size);
  const target = new Uint8Array(Math.max(0, Math.min(length, src.size - start)));
  return target.subarray(0, src.readIntoSync(start, target));
}

/** Pieces read synchronously between two turns of the event loop (about 16 MiB at the default piece size). */
const PIECES_PER_TURN = 128;

/**
 * Reads the bytes [from, to) of a source in consecutive pieces of `pieceBytes` (the last one shorter), for scans that
 * look at each piece once. Where the source can copy synchronously (`readIntoSync`: local files) every piece lands in
 * the same reused buffer, so nothing is allocated per piece and a cache-sized piece stays in cache while it is used;
 * the event loop still gets a turn every few MiB. Other sources (HTTP, memory) are read with `read`, the next piece
 * requested while the caller works on the current one.
 *
 * A piece is only valid until the next one is asked for: copy what must be kept. A piece shorter than asked for
 * (other than at `to`) means the source ended early; the scan stops after yielding it.
 *
 * @example
 * for await (const piece of readRange(src, hdu.dataOffset, hdu.dataOffset + hdu.dataSpan, 1 << 17)) sum.update(piece);
 */
export async function* readRange(src: ByteSource, from: number, to: number, pieceBytes: number): AsyncGenerator<Uint8Array> {
  if (to <= from) return;
  const piece = Math.max(1, Math.min(pieceBytes, to - from));
  if (src.readIntoSync) {
    const buffer = new Uint8Array(piece);
    for (let pos = from, k = 1; pos < to; pos += piece, k++) {
      const want = Math.min(piece, to - pos);
      const got = src.readIntoSync(pos, want === piece ? buffer : buffer.subarray(0, want));
      yield buffer.subarray(0, got);
      if (got < want) return;
      if (k % PIECES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return;
  }
  const fetch = (pos: number) => src.read(pos, Math.min(piece, to - pos));
  const prefetch = (pos: number) => {
    const p = fetch(pos);
    p.catch(() => undefined); // awaited below; a scan the caller abandons must not leave an unhandled rejection
    return p;
  };
  let next = prefetch(from);
  for (let pos = from; pos < to; pos += piece) {
    const bytes = await next;
    const short = bytes.length < Math.min(piece, to - pos);
    if (!short && pos + piece < to) next = prefetch(pos + piece);
    yield bytes;
    if (short) return;
  }
}
