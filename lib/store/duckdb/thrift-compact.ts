// Just enough of Thrift's compact protocol to write Parquet's page headers and footer: structs of i32, i64, strings,
// lists and nested structs. Field ids are written as deltas from the previous field of the same struct, as the
// protocol requires, so fields must be given in increasing id order.

/** A Thrift value for the writer: an i32 (`{ i32 }`), an i64 (`{ i64 }`), a string, a list or a struct. */
export type ThriftValue =
  | { i32: number }
  | { i64: number }
  | string
  | { list: ThriftValue[]; of: 'i32' | 'string' | 'struct' }
  | ThriftStruct;

/** A struct: [field id, value] pairs in increasing id order; undefined values are left out. */
export type ThriftStruct = { struct: [number, ThriftValue | undefined][] };

const T = { i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;

/**
 * A growing byte buffer that writes compact-protocol structs.
 *
 * @example
 * const w = new ThriftWriter(); w.struct({ struct: [[1, { i32: 0 }]] }); w.bytes();
 */
export class ThriftWriter {
  private buf = new Uint8Array(256);
  private n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.n++] = b;
  }

  /** Unsigned LEB128; numbers up to 2^53 (file offsets, sizes) without 32-bit bit operations. */
  private varint(v: number): void {
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  /** Zigzag: 0 -> 0, -1 -> 1, 1 -> 2 ... */
  private zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  private typeOf(v: ThriftValue): number {
    if (typeof v === 'string') return T.binary;
    if ('i32' in v) return T.i32;
    if ('i64' in v) return T.i64;
    if ('list' in v) return T.list;
    return T.struct;
  }

  private value(v: ThriftValue): void {
    if (typeof v === 'string') {
      const b = new TextEncoder().encode(v);
      this.varint(b.length);
      this.room(b.length);
      this.buf.set(b, this.n);
      this.n += b.length;
    } else if ('i32' in v) this.zigzag(v.i32);
    else if ('i64' in v) this.zigzag(v.i64);
    else if ('list' in v) {
      const t = v.of === 'i32' ? T.i32 : v.of === 'string' ? T.binary : T.struct;
      if (v.list.length < 15) this.byte((v.list.length << 4) | t);
      else {
        this.byte(0xf0 | t);
        this.varint(v.list.length);
      }
      for (const e of v.list) this.value(e);
    } else this.struct(v);
  }

  /** Writes a struct (its fields, then the stop byte). */
  struct(s: ThriftStruct): this {
    let last = 0;
    for (const [id, v] of s.struct) {
      if (v === undefined) continue;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | this.typeOf(v));
      else {
        this.byte(this.typeOf(v));
        this.zigzag(id);
      }
      this.value(v);
      last = id;
    }
    this.byte(0);
    return this;
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}
