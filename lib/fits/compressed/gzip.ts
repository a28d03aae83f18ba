import { gunzipSync } from 'node:zlib';
import { formatByteSize, MAX_BUFFER_BYTES } from '../../core/index.js';
import { CodecError } from './codec-error.js';

/**
 * GZIP_1 / GZIP_2 tiles: the tile's pixels as big-endian bytes, gzip-compressed; GZIP_2 first shuffles the
 * bytes (all most-significant bytes, then all next bytes, ...), which usually compresses better.
 */

/**
 * Gunzips one tile, refusing output larger than `maxBytes` (a corrupt or hostile stream cannot allocate more). A tile
 * whose pixels could need more than one Node buffer holds (4 GiB) is refused as such before inflating: zlib cannot
 * inflate into more.
 *
 * @example
 * const raw = gunzipTile(tileBytes, 300 * 8);
 */
export function gunzipTile(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new CodecError('GZIP: not a gzip stream (bad magic bytes or too short)');
  if (maxBytes > MAX_BUFFER_BYTES)
    throw new CodecError(
      `GZIP: the tile's pixels may inflate to ${formatByteSize(maxBytes)}, more than one buffer can hold ` +
        `(${formatByteSize(MAX_BUFFER_BYTES)}): a tile this large cannot be decompressed here; compress the image in smaller tiles (ZTILEn)`,
    );
  try {
    const out = gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if (e instanceof RangeError) throw new CodecError(`GZIP: tile inflates to more than ${maxBytes} bytes`);
    throw new CodecError(`GZIP: ${(e as Error).message}`);
  }
}

/**
 * Reverses GZIP_2's byte shuffle for `size`-byte elements: byte k of element i sits at `k * n + i`.
 *
 * @example
 * unshuffle(Uint8Array.of(0x01, 0x03, 0x02, 0x04), 2) // [0x01, 0x02, 0x03, 0x04]: elements 0x0102 and 0x0304
 */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < size; k++) {
    const base = k * n;
    for (let i = 0; i < n; i++) out[i * size + k] = bytes[base + i]!;
  }
  return out;
}

/**
 * Decompresses a GZIP_1 (`shuffled` false) or GZIP_2 tile of `npix` pixels and reports the element size that the
 * inflated length implies (1, 2, 4 or 8 bytes; cfitsio decides the same way). Bytes stay big-endian.
 *
 * @example
 * const { bytes, size } = gzipDecompress(tileBytes, 300, false); // size 2 for a 16-bit image
 */
export function gzipDecompress(bytes: Uint8Array, npix: number, shuffled: boolean): { bytes: Uint8Array; size: number } {
  const raw = gunzipTile(bytes, npix * 8);
  const size = npix === 0 ? 1 : raw.length / npix;
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) {
    throw new CodecError(`GZIP: tile inflates to ${raw.length} bytes, not 1, 2, 4 or 8 bytes for each of its ${npix} pixels`);
  }
  return { bytes: shuffled ? unshuffle(raw, size) : raw, size };
}
