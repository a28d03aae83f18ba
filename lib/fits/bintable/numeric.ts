import type { ColumnDesc } from './columns.js';

/** The stored (on-disk) numeric element types and their native arrays. */
export type StoredArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

export function allocStored(code: string, n: number): StoredArray {
  switch (code) {
    case 'B': return new Uint8Array(n);
    case 'I': return new Int16Array(n);
    case 'J': return new Int32Array(n);
    case 'K': return new BigInt64Array(n);
    case 'E': return new Float32Array(n);
    case 'D': return new Float64Array(n);
    default: throw new Error(`not a numeric code ${code}`);
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
export function toPhysical(raw: StoredArray, col: ColumnDesc, physical = col.physical): StoredArray | Uint16Array | Uint32Array | BigUint64Array | Int8Array {
  const n = raw.length;
  switch (physical) {
    case 'int8': {
      const u = raw as Uint8Array;
      for (let i = 0; i < n; i++) u[i] = u[i]! ^ 0x80;
      return new Int8Array(u.buffer, u.byteOffset, n);
    }
    case 'uint16': {
      const s = raw as Int16Array;
      const u = new Uint16Array(s.buffer, s.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] = u[i]! ^ 0x8000;
      return u;
    }
    case 'uint32': {
      const s = raw as Int32Array;
      for (let i = 0; i < n; i++) s[i] = s[i]! ^ 0x80000000;
      return new Uint32Array(s.buffer, s.byteOffset, n);
    }
    case 'uint64': {
      const b = raw as BigInt64Array;
      const w = new Int32Array(b.buffer, b.byteOffset, n * 2);
      for (let i = 1; i < 2 * n; i += 2) w[i] = w[i]! ^ 0x80000000;
      return new BigUint64Array(b.buffer, b.byteOffset, n);
    }
    case 'scaled': {
      const out = new Float64Array(n);
      const { scale, zero } = col;
      if (raw instanceof BigInt64Array) {
        const w = new Int32Array(raw.buffer, raw.byteOffset, n * 2);
        for (let i = 0; i < n; i++) out[i] = (w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0)) * scale + zero;
      } else {
        for (let i = 0; i < n; i++) out[i] = raw[i]! * scale + zero;
      }
      return out;
    }
    default:
      return raw;
  }
}
