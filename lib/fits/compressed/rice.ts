import { CodecError } from './codec-error.js';

/**
 * Rice decoding (ZCMPTYPE RICE_1), as in the FITS tiled-image convention: the first pixel raw (BYTEPIX bytes,
 * big-endian), then blocks of BLOCKSIZE pixel differences, each block led by an FS code: FS = 0 means every
 * difference is zero, FS = max means raw `8 * BYTEPIX`-bit differences, otherwise each difference is a unary
 * prefix (count of zero bits before a one) and FS low bits. Differences are zigzag-mapped
 * (`d >= 0 ? 2d : -2d - 1`) and wrap in the pixel width.
 */

/** fsbits, fsmax per bytes-per-pixel. */
const PARAMS: Record<number, [number, number]> = { 1: [3, 6], 2: [4, 14], 4: [5, 25] };

/**
 * Decodes `npix` pixels of a Rice-compressed tile. The result holds the pixel values: unsigned 0..255 for
 * BYTEPIX 1, signed 16-bit values for 2, signed 32-bit values for 4.
 * Fails (CodecError) when the stream ends early; never reads past `bytes`.
 *
 * @example
 * const pix = riceDecompress(tileBytes, 300, 2, 32);
 */
export function riceDecompress(bytes: Uint8Array, npix: number, bytepix: number, blocksize: number): Int32Array {
  const params = PARAMS[bytepix];
  if (!params) throw new CodecError(`RICE_1: unsupported BYTEPIX ${bytepix} (1, 2 or 4)`);
  if (!Number.isInteger(blocksize) || blocksize < 1) throw new CodecError(`RICE_1: invalid BLOCKSIZE ${blocksize}`);
  const [fsbits, fsmax] = params;
  const bbits = 8 * bytepix;
  const out = new Int32Array(npix);
  if (npix === 0) return out;
  const len = bytes.length;
  if (len < bytepix + 1) throw new CodecError(`RICE_1: ${len} bytes is too short for a tile`);

  let last = 0;
  for (let k = 0; k < bytepix; k++) last = last * 256 + bytes[k]!;
  last = unzig(0, last, bytepix); // as a signed value of the pixel width
  let p = bytepix; // next byte to load
  // b holds the nb (0..31) unread bits of the stream, right-aligned: always b < 2^nb, so b stays a positive int32
  let b = 0;
  let nb = 0;
  const ended = (): CodecError => new CodecError(`RICE_1: compressed data end after ${len} bytes, before all ${npix} pixels were decoded`);

  for (let i = 0; i < npix; ) {
    // FS code of the block
    nb -= fsbits;
    while (nb < 0) {
      if (p >= len) throw ended();
      b = (b << 8) | bytes[p++]!;
      nb += 8;
    }
    const fs = (b >>> nb) - 1;
    b &= (1 << nb) - 1;
    const imax = Math.min(i + blocksize, npix);
    if (fs < 0) {
      // all differences zero
      for (; i < imax; i++) out[i] = last;
    } else if (fs === fsmax) {
      // raw differences of bbits bits
      for (; i < imax; i++) {
        let k = bbits - nb;
        let diff = k >= 32 ? 0 : b << k;
        for (k -= 8; k >= 0; k -= 8) {
          if (p >= len) throw ended();
          diff |= bytes[p++]! << k;
        }
        if (nb > 0) {
          if (p >= len) throw ended();
          const c = bytes[p++]!;
          diff |= c >>> -k;
          b = c & ((1 << nb) - 1);
        } else {
          b = 0;
        }
        last = unzig(diff >>> 0, last, bytepix);
        out[i] = last;
      }
    } else if (fs > fsmax) {
      throw new CodecError(`RICE_1: invalid FS code ${fs + 1} for BYTEPIX ${bytepix}`);
    } else {
      // Rice codes: a run of zeros, a one, then fs low bits
      const maxZeros = 2 ** (bbits - fs); // a longer run would make a difference wider than the pixel
      for (; i < imax; i++) {
        while (b === 0) {
          if (p >= len) throw ended();
          nb += 8;
          b = bytes[p++]!;
        }
        const width = 32 - Math.clz32(b);
        const nzero = nb - width;
        if (nzero >= maxZeros) throw new CodecError(`RICE_1: corrupt data (a run of ${nzero} zero bits)`);
        nb = width - 1;
        b ^= 1 << nb;
        nb -= fs;
        while (nb < 0) {
          if (p >= len) throw ended();
          b = (b << 8) | bytes[p++]!;
          nb += 8;
        }
        const diff = ((nzero << fs) | (b >>> nb)) >>> 0;
        b &= (1 << nb) - 1;
        last = unzig(diff, last, bytepix);
        out[i] = last;
      }
    }
  }
  return out;
}

/** Undoes the zigzag mapping (diff is unsigned 32-bit) and the differencing, wrapping in the pixel width as C does. */
function unzig(diff: number, last: number, bytepix: number): number {
  const d = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
  if (bytepix === 4) return (last + d) | 0;
  if (bytepix === 2) return ((last + d) << 16) >> 16;
  return (last + d) & 0xff;
}
