import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SkybookError, SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';

/** zlib's output chunk: the unit the inflated bytes are handed out (and kept) in. */
const INFLATE_CHUNK = 1 << 20;

/**
 * The inflated bytes of a gzip source (one member or several concatenated), in zlib's output chunks, read from its
 * start in pieces of `pieceBytes`. A corrupt stream is a SourceError naming the file; the source's own errors pass
 * through. Returning early (a `break`) stops the inflation and frees it.
 *
 * @example
 * for await (const chunk of inflateChunks(src, 1 << 20)) total += chunk.length;
 */
export async function* inflateChunks(src: ByteSource, pieceBytes: number): AsyncGenerator<Buffer> {
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let pos = 0; pos < src.size; ) {
      const bytes = await src.read(pos, Math.min(pieceBytes, src.size - pos));
      if (bytes.length === 0) break;
      pos += bytes.length;
      // copy: the source may hand out views into a buffer it reuses, and zlib may still hold this piece at the next read
      yield Buffer.from(bytes);
    }
  }
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
  const feeding = pipeline(Readable.from(pieces(), { objectMode: false, highWaterMark: 1 }), gunzip);
  feeding.catch(() => undefined); // its error also ends the iteration below, where it is reported
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
    await feeding;
  } catch (e) {
    if (e instanceof SkybookError) throw e;
    throw new SourceError(src.name, `corrupt gzip data: ${(e as Error).message}`, { cause: e });
  } finally {
    gunzip.destroy();
  }
}

/**
 * What inflating a gzip source once says: its inflated size (`total`, or how far it got when it passed `maxBytes`:
 * `over`), and its first inflated chunks, as zlib handed them out, up to `retainBytes` (the chunk that crosses it
 * included).
 *
 * @example
 * const { total, over, kept }: Inflated = await inflateAndKeep(src, 1 << 20, 1 << 29, 2 ** 32);
 */
export interface Inflated {
  total: number;
  over: boolean;
  kept: Uint8Array[];
}

/**
 * Inflates a gzip source once, keeping its first `retainBytes` and stopping as soon as it passes `maxBytes`.
 *
 * @example
 * const { total, kept } = await inflateAndKeep(src, 1 << 20, 512 << 20, 4 * 2 ** 30);
 */
export async function inflateAndKeep(src: ByteSource, pieceBytes: number, retainBytes: number, maxBytes: number): Promise<Inflated> {
  const kept: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of inflateChunks(src, pieceBytes)) {
    total += chunk.length;
    if (total > maxBytes) return { total, over: true, kept };
    if (total - chunk.length < retainBytes) kept.push(chunk);
  }
  return { total, over: false, kept };
}
