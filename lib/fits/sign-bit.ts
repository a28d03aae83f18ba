import type { ImageArray } from './image/fits-image.js';

/**
 * FITS stores unsigned integers as signed ones with a TZERO/BZERO of 2^(n-1) (and signed bytes as unsigned with -128).
 * Adding that offset is the same as flipping the top bit, done here in place; the result is a view of the same buffer
 * as the physical type: Uint8 -> Int8, Int16 -> Uint16, Int32 -> Uint32, BigInt64 -> BigUint64. Other arrays pass through.
 *
 * @example
 * flipSignBit(Int16Array.of(-32768)) // Uint16Array [0]
 */
export function flipSignBit(raw: ImageArray): ImageArray {
  if (raw instanceof Uint8Array) {
    for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! ^ 0x80;
    return new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  }
  if (raw instanceof Int16Array) {
    const u = new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < u.length; i++) u[i] = u[i]! ^ 0x8000;
    return u;
  }
  if (raw instanceof Int32Array) {
    for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! ^ 0x80000000;
    return new Uint32Array(raw.buffer, raw.byteOffset, raw.length);
  }
  if (raw instanceof BigInt64Array) {
    const w = new Int32Array(raw.buffer, raw.byteOffset, raw.length * 2);
    for (let i = 1; i < w.length; i += 2) w[i] = w[i]! ^ 0x80000000;
    return new BigUint64Array(raw.buffer, raw.byteOffset, raw.length);
  }
  return raw;
}

/** Element `i` of an int64 array, seen through its Int32 halves (little-endian host), as the nearest double. */
export function int64AsNumber(words: Int32Array, i: number): number {
  return words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
}
