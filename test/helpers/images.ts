import { createHash } from 'node:crypto';
import type { FitsImage } from '../../lib/fits/image/fits-image.js';

/** The image as big-endian bytes of its dtype: what astropy's oracle (`sha256_be_bytes`) hashes. */
export function bigEndianBytes(img: FitsImage): Uint8Array {
  const a = img.data;
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  const w = a.BYTES_PER_ELEMENT;
  if (w > 1) for (let i = 0; i < bytes.length; i += w) bytes.subarray(i, i + w).reverse();
  return bytes;
}

/** sha256 (hex) of `bigEndianBytes(img)`. */
export function bigEndianSha256(img: FitsImage): string {
  return createHash('sha256').update(bigEndianBytes(img)).digest('hex');
}
