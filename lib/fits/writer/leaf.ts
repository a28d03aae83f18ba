import { DataType, Precision, type Data } from 'apache-arrow';
import type { ImageArray } from '../image/fits-image.js';

/**
 * The element types the writer knows, named by their in-memory type. Each maps to one FITS code; the unsigned ones
 * (and int8) are stored with their top bit flipped, which is what subtracting TZERO/BZERO 2^(n-1) does.
 */
export type Leaf = 'L' | 'u8' | 'i8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'c64' | 'c128';

/** Per leaf: the TFORM code, stored bytes per element, the TZERO/BZERO it needs, and whether it is an integer. */
export const LEAF_INFO: Record<Leaf, { code: string; size: number; bitpix?: number; zero?: bigint; integer: boolean }> = {
  L: { code: 'L', size: 1, integer: false },
  u8: { code: 'B', size: 1, bitpix: 8, integer: true },
  i8: { code: 'B', size: 1, bitpix: 8, zero: -128n, integer: true },
  i16: { code: 'I', size: 2, bitpix: 16, integer: true },
  u16: { code: 'I', size: 2, bitpix: 16, zero: 32768n, integer: true },
  i32: { code: 'J', size: 4, bitpix: 32, integer: true },
  u32: { code: 'J', size: 4, bitpix: 32, zero: 2147483648n, integer: true },
  i64: { code: 'K', size: 8, bitpix: 64, integer: true },
  u64: { code: 'K', size: 8, bitpix: 64, zero: 9223372036854775808n, integer: true },
  f32: { code: 'E', size: 4, bitpix: -32, integer: false },
  f64: { code: 'D', size: 8, bitpix: -64, integer: false },
  c64: { code: 'C', size: 8, integer: false },
  c128: { code: 'M', size: 16, integer: false },
};

/** The leaf of a scalar Arrow type, or undefined when it has none (strings, lists, unsupported types). */
export function leafOfType(type: DataType): Leaf | undefined {
  if (DataType.isBool(type)) return 'L';
  if (DataType.isInt(type)) {
    const s = type.isSigned;
    switch (type.bitWidth) {
      case 8:
        return s ? 'i8' : 'u8';
      case 16:
        return s ? 'i16' : 'u16';
      case 32:
        return s ? 'i32' : 'u32';
      case 64:
        return s ? 'i64' : 'u64';
    }
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.SINGLE) return 'f32';
    if (type.precision === Precision.DOUBLE) return 'f64';
    return undefined;
  }
  if (DataType.isStruct(type) && type.children.length === 2) {
    const [re, im] = type.children;
    if (re!.name === 're' && im!.name === 'im') {
      const a = leafOfType(re!.type);
      const b = leafOfType(im!.type);
      if (a === 'f32' && b === 'f32') return 'c64';
      if (a === 'f64' && b === 'f64') return 'c128';
    }
  }
  return undefined;
}

/** The leaf of an image's typed array. */
export function leafOfArray(a: ImageArray): Leaf | undefined {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof BigInt64Array) return 'i64';
  if (a instanceof BigUint64Array) return 'u64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  return undefined;
}

type Typed = ImageArray;

/**
 * The values of one leaf ready for the kernels: the typed array itself, a 32-bit view for 32/64-bit types (so no
 * BigInt or float conversion happens per value), the bit offset for booleans, and the two parts of a complex.
 */
export interface LeafSource {
  leaf: Leaf;
  values: Typed;
  /** A Uint32Array over the same bytes, for i32/u32/i64/u64/f32/f64. */
  words?: Uint32Array;
  /** Boolean leaves: bit index of element 0 in `values` (Arrow does not slice bitmaps). */
  bitOffset: number;
  re?: LeafSource;
  im?: LeafSource;
}

/** Wraps a typed array (an image, or one Arrow values buffer) for the kernels. */
export function sourceOfArray(leaf: Leaf, values: Typed, bitOffset = 0): LeafSource {
  const src: LeafSource = { leaf, values, bitOffset };
  const size = LEAF_INFO[leaf].size;
  if (size >= 4 && leaf !== 'L')
    src.words = new Uint32Array(values.buffer, values.byteOffset, (values.length * values.BYTES_PER_ELEMENT) >>> 2);
  return src;
}

/** The leaf source of an Arrow Data whose type is a scalar (or complex struct) leaf. */
export function sourceOfData(leaf: Leaf, data: Data): LeafSource {
  if (leaf === 'c64' || leaf === 'c128') {
    const part = leaf === 'c64' ? 'f32' : 'f64';
    return {
      leaf,
      values: new Float64Array(0),
      bitOffset: 0,
      re: sourceOfData(part, data.children[0]!),
      im: sourceOfData(part, data.children[1]!),
    };
  }
  if (leaf === 'L') return { leaf, values: data.values as Uint8Array, bitOffset: data.offset };
  return sourceOfArray(leaf, data.values as Typed);
}

/** Marks `mask[i] = 1` for each of `count` elements of `data` (from element `first`) that is null. */
export function markNulls(data: Data, first: number, count: number, mask: Uint8Array, at = 0, repeat = 1): void {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return;
  const bits = data.nullBitmap;
  const off = data.offset + first;
  for (let i = 0; i < count; i++) {
    const b = off + i;
    if (((bits[b >> 3]! >> (b & 7)) & 1) === 0) mask.fill(1, at + i * repeat, at + (i + 1) * repeat);
  }
}
