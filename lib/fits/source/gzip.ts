import { constants as bufferConstants } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { MemorySource } from './memory-source.js';

/**
 * Limits on inflating a whole-file gzip.
 *
 * @example
 * await gunzipSource(src, { maxBytes: 2 ** 30 });
 */
export interface GzipOptions {
  /** Most decompressed bytes to hold in memory (default 8 GiB, and never more than Node's largest buffer, 4 GiB on Node 20). */
  maxBytes?: number;
  /** Compressed bytes read per request (default 64 MiB: a remote `.gz` smaller than that is fetched whole, in one request). */
  chunkBytes?: number;
}

const DEFAULT_MAX = 8 * 2 ** 30;
const DEFAULT_CHUNK = 64 * 2 ** 20;

/**
 * True when `bytes` starts with the gzip magic number 1f 8b. Detection is by content, never by file name.
 *
 * @example
 * isGzip(await src.read(0, 2));
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates a whole-file gzip (`.fits.gz`, one member or several concatenated) into memory and returns it as a
 * {@link MemorySource} with the original's name. The compressed source is read in chunks and is left open.
 *
 * @example
 * const fits = await gunzipSource(await FileSource.open('dss.fits.gz'));
 * const hdus = await walkHdus(fits);
 */
export async function gunzipSource(src: ByteSource, options: GzipOptions = {}): Promise<MemorySource> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new SourceError(src.name, `invalid maxBytes: ${maxBytes}`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) throw new SourceError(src.name, `invalid chunkBytes: ${chunkBytes}`);
  const limit = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  const tooBig = (): SourceError =>
    new SourceError(
      src.name,
      limit < maxBytes
        ? `decompresses to more than ${limit} bytes, the largest buffer Node can hold; decompress it on disk instead`
        : `decompresses to more than ${maxBytes} bytes (maxBytes); raise maxBytes or decompress it on disk`,
    );

  const gunzip = createGunzip();
  const out: Buffer[] = [];
  let total = 0;
  let failure: Error | undefined;
  gunzip.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > limit) {
      failure ??= tooBig();
      gunzip.destroy();
      return;
    }
    out.push(chunk);
  });
  const finished = new Promise<void>((resolve) => {
    gunzip.on('end', resolve);
    gunzip.on('close', resolve);
    gunzip.on('error', (e) => {
      failure ??= new SourceError(src.name, `corrupt gzip data: ${e.message}`, { cause: e });
      resolve();
    });
  });

  for (let pos = 0; pos < src.size && !failure; ) {
    const bytes = await src.read(pos, Math.min(chunkBytes, src.size - pos));
    if (bytes.length === 0) break;
    pos += bytes.length;
    // copy: the source may hand out views into a buffer it reuses
    if (!gunzip.write(Buffer.from(bytes))) await new Promise<void>((resolve) => gunzip.once('drain', resolve).once('close', resolve));
  }
  if (!failure) gunzip.end();
  await finished;
  if (failure) throw failure;
  if (total === 0 && src.size > 0 && out.length === 0) {
    // zlib accepts an empty stream; a FITS file is never empty, so say so here rather than later
    throw new SourceError(src.name, 'gzip data decompresses to nothing');
  }
  return new MemorySource(new Uint8Array(out.length === 1 ? out[0]! : Buffer.concat(out, total)), src.name);
}
