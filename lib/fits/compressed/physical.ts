import type { ImageArray, ImageDtype } from '../image/fits-image.js';
import type { CompressionParams } from './params.js';
import type { PixelArray } from './tiles.js';

/**
 * Applies the image's BSCALE/BZERO to the decompressed pixels exactly as astropy 5.2's CompImageHDU does:
 * convert to the target dtype (unsigned types wrap, as numpy's cast does), mark pixels equal to ZBLANK/BLANK,
 * multiply and add in the target's precision (float32 arithmetic for 8/16-bit images), then NaN the marked
 * pixels. Without BSCALE/BZERO the pixels come back untouched.
 *
 * @example
 * const { data, dtype } = applyPhysical(params, stored); // int16 + BZERO 32768 -> uint16
 */
export function applyPhysical(p: CompressionParams, stored: PixelArray): { data: ImageArray; dtype: ImageDtype } {
  const { bscale, bzero, dtype } = p;
  if (bscale === 1 && bzero === 0) return { data: stored, dtype: p.storedDtype };
  const n = stored.length;
  // astropy compares with a ZBLANK column too, but per tile it is ill-defined there; the keywords are used
  const blank = p.zblank ?? null;
  if (
    dtype === 'uint16' ||
    dtype === 'uint32' ||
    (dtype === 'float64' && (p.zbitpix === 16 || p.zbitpix === 32) && bscale === 1 && bzero === 2 ** (p.zbitpix - 1))
  ) {
    // unsigned, possibly promoted to float64 because a blank value exists
    const bits = p.zbitpix;
    const mod = 2 ** bits;
    const out = dtype === 'uint16' ? new Uint16Array(n) : dtype === 'uint32' ? new Uint32Array(n) : new Float64Array(n);
    const src = stored as Int16Array | Int32Array;
    for (let i = 0; i < n; i++) {
      const u = src[i]! < 0 ? src[i]! + mod : src[i]!;
      out[i] = blank !== null && u === blank ? NaN : (u + bzero) % mod;
    }
    return { data: out, dtype };
  }
  if (p.zbitpix === 64 && bscale === 1 && bzero === 2 ** 63) {
    const src = stored as BigInt64Array;
    if (dtype === 'uint64') {
      const out = new BigUint64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt.asUintN(64, src[i]! + (1n << 63n));
      return { data: out, dtype };
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = BigInt.asUintN(64, src[i]!);
      out[i] = blank !== null && u === BigInt(blank) ? NaN : Number(BigInt.asUintN(64, u + (1n << 63n)));
    }
    return { data: out, dtype };
  }
  if (dtype === 'float32') {
    const out = new Float32Array(n);
    const s = Math.fround(bscale);
    const z = Math.fround(bzero);
    for (let i = 0; i < n; i++) {
      let f = Math.fround(Number(stored[i]!));
      const isBlank = blank !== null && f === blank;
      if (bscale !== 1) f = Math.fround(f * s);
      if (bzero !== 0) f = Math.fround(f + z);
      out[i] = isBlank ? NaN : f;
    }
    return { data: out, dtype };
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = Number(stored[i]!);
    const isBlank = blank !== null && f === blank;
    if (bscale !== 1) f *= bscale;
    if (bzero !== 0) f += bzero;
    out[i] = isBlank ? NaN : f;
  }
  return { data: out, dtype };
}
