import type { Header } from '../header/header.js';
import { flipSignBit, int64AsNumber } from '../sign-bit.js';
import type { ImageArray, ImageDtype } from './fits-image.js';

/** How stored pixels become physical ones, decided from BITPIX, BSCALE, BZERO and BLANK the way astropy decides. */
export interface PixelScaling {
  bitpix: number;
  dtype: ImageDtype;
  /** 'none': stored = physical; 'unsigned': flip the sign bit; 'scaled': float = stored * bscale + bzero, BLANK -> NaN. */
  mode: 'none' | 'unsigned' | 'scaled';
  bscale: number;
  bzero: number;
  blank?: number | bigint;
}

/** The dtype of stored pixels for each BITPIX. */
export const STORED_DTYPE: Record<number, ImageDtype> = {
  8: 'uint8',
  16: 'int16',
  32: 'int32',
  64: 'int64',
  [-32]: 'float32',
  [-64]: 'float64',
};
const UNSIGNED: Record<number, { zero: bigint; dtype: ImageDtype }> = {
  8: { zero: -128n, dtype: 'int8' },
  16: { zero: 32768n, dtype: 'uint16' },
  32: { zero: 2147483648n, dtype: 'uint32' },
  64: { zero: 9223372036854775808n, dtype: 'uint64' },
};

/**
 * astropy's rules: the standard unsigned offsets (BZERO 2^(n-1), BSCALE 1; BZERO -128 on bytes) give unsigned (signed)
 * integers; any other BSCALE/BZERO, or a BLANK on an integer image, gives floats (float32 for BITPIX 8/16/-32, float64
 * otherwise) with BLANK pixels as NaN.
 */
export function pixelScaling(h: Header, prefix: 'B' | 'P' = 'B', bitpix = h.int('BITPIX')): PixelScaling {
  const bscale = h.number(`${prefix}SCALE`, 1);
  const bzero = h.number(`${prefix}ZERO`, 0);
  const bzeroBig = h.bigint(`${prefix}ZERO`);
  const blankCard = bitpix > 0 ? h.get('BLANK') : undefined;
  const blank = typeof blankCard === 'number' || typeof blankCard === 'bigint' ? blankCard : undefined;
  const stored = STORED_DTYPE[bitpix]!;
  const u = UNSIGNED[bitpix];
  if (bscale === 1 && bzero === 0 && blank === undefined) return { bitpix, dtype: stored, mode: 'none', bscale, bzero };
  if (u && bscale === 1 && bzeroBig === u.zero && blank === undefined) return { bitpix, dtype: u.dtype, mode: 'unsigned', bscale, bzero };
  const dtype: ImageDtype = bitpix === 8 || bitpix === 16 || bitpix === -32 ? 'float32' : 'float64';
  const s: PixelScaling = { bitpix, dtype, mode: 'scaled', bscale, bzero };
  if (blank !== undefined) s.blank = blank;
  return s;
}

/** Decodes `n` big-endian stored pixels of `bytes` (starting at `offset`) into physical values. */
export function decodePixels(bytes: Uint8Array, offset: number, n: number, s: PixelScaling): ImageArray {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = decodeStored(dv, bytes, offset, n, s.bitpix);
  if (s.mode === 'none') return raw;
  if (s.mode === 'unsigned') return flipSignBit(raw);
  const out = s.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const { bscale, bzero } = s;
  if (raw instanceof BigInt64Array) {
    const w = new Int32Array(raw.buffer, raw.byteOffset, n * 2);
    const blank = s.blank === undefined ? undefined : BigInt(s.blank);
    for (let i = 0; i < n; i++) out[i] = blank !== undefined && raw[i] === blank ? NaN : int64AsNumber(w, i) * bscale + bzero;
  } else {
    const blank = s.blank === undefined ? NaN : Number(s.blank);
    const r = raw as Exclude<ImageArray, BigInt64Array | BigUint64Array>;
    if (out instanceof Float32Array) {
      // numpy scales float32 data in float32: round after the multiply and after the add, as astropy's result is
      const fs = Math.fround(bscale);
      const fz = Math.fround(bzero);
      for (let i = 0; i < n; i++) {
        const v = r[i]!;
        out[i] = v === blank ? NaN : Math.fround(Math.fround(v * fs) + fz);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = r[i]!;
        out[i] = v === blank ? NaN : v * bscale + bzero;
      }
    }
  }
  return out;
}

function decodeStored(dv: DataView, bytes: Uint8Array, offset: number, n: number, bitpix: number): ImageArray {
  switch (bitpix) {
    case 8:
      return bytes.slice(offset, offset + n);
    case 16: {
      const a = new Int16Array(n);
      for (let i = 0, p = offset; i < n; i++, p += 2) a[i] = dv.getInt16(p);
      return a;
    }
    case 32: {
      const a = new Int32Array(n);
      for (let i = 0, p = offset; i < n; i++, p += 4) a[i] = dv.getInt32(p);
      return a;
    }
    case 64: {
      const a = new BigInt64Array(n);
      const w = new Int32Array(a.buffer);
      for (let i = 0, p = offset; i < n; i++, p += 8) {
        w[2 * i] = dv.getInt32(p + 4);
        w[2 * i + 1] = dv.getInt32(p);
      }
      return a;
    }
    case -32: {
      const a = new Float32Array(n);
      for (let i = 0, p = offset; i < n; i++, p += 4) a[i] = dv.getFloat32(p);
      return a;
    }
    default: {
      const a = new Float64Array(n);
      for (let i = 0, p = offset; i < n; i++, p += 8) a[i] = dv.getFloat64(p);
      return a;
    }
  }
}
