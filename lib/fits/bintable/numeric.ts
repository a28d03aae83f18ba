import { InternalError } from '../../errors/index.js';
import { flipSignBit, int64AsNumber } from '../sign-bit.js';
import type { ColumnDesc } from './columns.js';
import { decodeBytes, decodeFloat32, decodeFloat64, decodeInt16, decodeInt32, decodeInt64 } from './decode.js';
import type { RowChunk } from './row-chunks.js';

/** The stored (on-disk) numeric element types and their native arrays. */
export type StoredArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

export function allocStored(code: string, n: number): StoredArray {
  switch (code) {
    case 'B':
      return new Uint8Array(n);
    case 'I':
      return new Int16Array(n);
    case 'J':
      return new Int32Array(n);
    case 'K':
      return new BigInt64Array(n);
    case 'E':
      return new Float32Array(n);
    case 'D':
      return new Float64Array(n);
    default:
      throw new InternalError(`not a numeric TFORM code '${code}'`);
  }
}

/** Validity bitmap of the elements equal to TNULL (compared with the stored value); undefined when none match. */
export function tnullValidity(raw: StoredArray, tnull: bigint): { bitmap: Uint8Array; nulls: number } | undefined {
  const n = raw.length;
  let nulls = 0;
  let bitmap: Uint8Array | undefined;
  const mark = (i: number) => {
    if (!bitmap) {
      bitmap = new Uint8Array((n + 7) >> 3).fill(0xff);
    }
    bitmap[i >> 3]! &= ~(1 << (i & 7));
    nulls++;
  };
  if (raw instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) if (raw[i] === tnull) mark(i);
  } else if (raw instanceof Uint8Array || raw instanceof Int16Array || raw instanceof Int32Array) {
    const t = Number(tnull);
    for (let i = 0; i < n; i++) if (raw[i] === t) mark(i);
  }
  return bitmap ? { bitmap, nulls } : undefined;
}

/** Stored values -> physical values: unsigned offsets by flipping the sign bit in place, other TSCAL/TZERO to float64. */
export function toPhysical(
  raw: StoredArray,
  col: ColumnDesc,
  physical = col.physical,
): StoredArray | Uint16Array | Uint32Array | BigUint64Array | Int8Array {
  const n = raw.length;
  switch (physical) {
    case 'int8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return flipSignBit(raw) as Int8Array | Uint16Array | Uint32Array | BigUint64Array;
    case 'scaled': {
      const out = new Float64Array(n);
      const { scale, zero } = col;
      if (raw instanceof BigInt64Array) {
        const w = new Int32Array(raw.buffer, raw.byteOffset, n * 2);
        for (let i = 0; i < n; i++) out[i] = int64AsNumber(w, i) * scale + zero;
      } else {
        for (let i = 0; i < n; i++) out[i] = raw[i]! * scale + zero;
      }
      return out;
    }
    default:
      return raw;
  }
}

/** Decodes `count` stored numeric elements per row of `chunk` (B, I, J, K, E or D) at byte `base` of each row into `out` from element `at`. */
export function storeDecode(code: string, chunk: RowChunk, base: number, count: number, out: StoredArray, at: number): void {
  const { bytes, view, rows, rowBytes } = chunk;
  switch (code) {
    case 'B':
      return decodeBytes(bytes, base, rowBytes, rows, count, out as Uint8Array, at);
    case 'I':
      return decodeInt16(view, base, rowBytes, rows, count, out as Int16Array, at);
    case 'J':
      return decodeInt32(view, base, rowBytes, rows, count, out as Int32Array, at);
    case 'K': {
      const b = out as BigInt64Array;
      return decodeInt64(view, base, rowBytes, rows, count, new Int32Array(b.buffer, b.byteOffset, b.length * 2), at);
    }
    case 'E':
      return decodeFloat32(view, base, rowBytes, rows, count, out as Float32Array, at);
    case 'D':
      return decodeFloat64(view, base, rowBytes, rows, count, out as Float64Array, at);
  }
}
