import type { LeafSource } from './leaf.js';

/** TNULL as the stored bit pattern: `lo` for types up to 32 bits, `hi`/`lo` words for 64-bit ones. */
export interface StoredNull {
  hi: number;
  lo: number;
}

/** The stored pattern of a TNULL value (already in stored units, i.e. after TZERO). */
export function storedNull(tnull: bigint): StoredNull {
  const u = BigInt.asUintN(64, tnull);
  return { hi: Number(u >> 32n) | 0, lo: Number(u & 0xffffffffn) | 0 };
}

const NAN32 = 0x7fc00000;
const NAN64_HI = 0x7ff80000;
const TRUE = 0x54; // 'T'
const FALSE = 0x46; // 'F'

/**
 * Writes `rows * repeat` elements of `src`, starting at element `first`, big-endian into `out`: row r's elements go
 * contiguously from `pos + r * stride`. `nulls[e]` (e counted from 0) marks an element to write as TNULL (integers),
 * NaN (floats) or 0 (logicals). One loop per type, reading 32-bit words rather than floats or BigInts, so nothing
 * is allocated per value.
 *
 * @example
 * encodeLeaf(sourceOfArray('f32', pixels), 0, pixels.length, 1, view, bytes, 0, 4, undefined, undefined);
 */
export function encodeLeaf(
  src: LeafSource,
  first: number,
  rows: number,
  repeat: number,
  out: DataView,
  bytes: Uint8Array,
  pos: number,
  stride: number,
  nulls: Uint8Array | undefined,
  tnull: StoredNull | undefined,
): void {
  const nl = tnull?.lo ?? 0;
  const nh = tnull?.hi ?? 0;
  let e = 0;
  switch (src.leaf) {
    case 'L': {
      const bits = src.values as Uint8Array;
      const b0 = src.bitOffset + first;
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p++) {
          const b = b0 + e;
          bytes[p] = nulls?.[e] ? 0 : (bits[b >> 3]! >> (b & 7)) & 1 ? TRUE : FALSE;
        }
      }
      return;
    }
    case 'u8':
    case 'i8': {
      const v = src.values as Uint8Array | Int8Array;
      const flip = src.leaf === 'i8' ? 0x80 : 0;
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p++) bytes[p] = nulls?.[e] ? nl : (v[first + e]! ^ flip) & 0xff;
      }
      return;
    }
    case 'i16':
    case 'u16': {
      const v = src.values as Int16Array | Uint16Array;
      const flip = src.leaf === 'u16' ? 0x8000 : 0;
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p += 2) out.setUint16(p, nulls?.[e] ? nl : v[first + e]! ^ flip);
      }
      return;
    }
    case 'i32':
    case 'u32':
    case 'f32': {
      const w = src.words!;
      const flip = src.leaf === 'u32' ? 0x80000000 : 0;
      const nul = src.leaf === 'f32' ? NAN32 : nl;
      if (nulls === undefined && repeat === 1) {
        for (let r = 0, p = pos; r < rows; r++, p += stride) out.setUint32(p, w[first + r]! ^ flip);
        return;
      }
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p += 4) out.setUint32(p, nulls?.[e] ? nul : w[first + e]! ^ flip);
      }
      return;
    }
    case 'i64':
    case 'u64':
    case 'f64': {
      const w = src.words!;
      const flip = src.leaf === 'u64' ? 0x80000000 : 0;
      const nulHi = src.leaf === 'f64' ? NAN64_HI : nh;
      const nulLo = src.leaf === 'f64' ? 0 : nl;
      if (nulls === undefined && repeat === 1) {
        for (let r = 0, p = pos, i = first * 2; r < rows; r++, p += stride, i += 2) {
          out.setUint32(p, w[i + 1]! ^ flip);
          out.setUint32(p + 4, w[i]!);
        }
        return;
      }
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p += 8) {
          if (nulls?.[e]) {
            out.setUint32(p, nulHi);
            out.setUint32(p + 4, nulLo);
          } else {
            const i = (first + e) * 2;
            out.setUint32(p, w[i + 1]! ^ flip);
            out.setUint32(p + 4, w[i]!);
          }
        }
      }
      return;
    }
    case 'c64': {
      const re = src.re!.words!;
      const im = src.im!.words!;
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p += 8) {
          const nul = nulls !== undefined && nulls[e] === 1;
          out.setUint32(p, nul ? NAN32 : re[first + e]!);
          out.setUint32(p + 4, nul ? NAN32 : im[first + e]!);
        }
      }
      return;
    }
    case 'c128': {
      const re = src.re!.words!;
      const im = src.im!.words!;
      for (let r = 0; r < rows; r++) {
        let p = pos + r * stride;
        for (let k = 0; k < repeat; k++, e++, p += 16) {
          const i = (first + e) * 2;
          const nul = nulls !== undefined && nulls[e] === 1;
          out.setUint32(p, nul ? NAN64_HI : re[i + 1]!);
          out.setUint32(p + 4, nul ? 0 : re[i]!);
          out.setUint32(p + 8, nul ? NAN64_HI : im[i + 1]!);
          out.setUint32(p + 12, nul ? 0 : im[i]!);
        }
      }
      return;
    }
  }
}
