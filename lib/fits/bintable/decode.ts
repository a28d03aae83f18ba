/**
 * Big-endian FITS cells -> native typed arrays. One monomorphic loop per stored type, so V8 keeps each one fast; every
 * function reads `count` elements per row at `base + row * stride` of `src` and writes them at element `at` of `out`.
 * This is the one byte-swapping step between FITS bytes and Arrow buffers.
 */

export function decodeBytes(src: Uint8Array, base: number, stride: number, rows: number, count: number, out: Uint8Array, at: number): void {
  if (count === 1) {
    for (let r = 0, p = base; r < rows; r++, p += stride) out[at + r] = src[p]!;
    return;
  }
  if (stride === count) {
    out.set(src.subarray(base, base + rows * count), at);
    return;
  }
  for (let r = 0, p = base, o = at; r < rows; r++, p += stride, o += count) out.set(src.subarray(p, p + count), o);
}

export function decodeInt16(dv: DataView, base: number, stride: number, rows: number, count: number, out: Int16Array, at: number): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 2) out[o++] = dv.getInt16(q);
  }
}

export function decodeInt32(dv: DataView, base: number, stride: number, rows: number, count: number, out: Int32Array, at: number): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 4) out[o++] = dv.getInt32(q);
  }
}

/** int64 through two int32 halves into an Int32Array view of the BigInt64Array (little-endian host). */
export function decodeInt64(dv: DataView, base: number, stride: number, rows: number, count: number, out32: Int32Array, at: number): void {
  let o = at * 2;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 8) {
      out32[o++] = dv.getInt32(q + 4);
      out32[o++] = dv.getInt32(q);
    }
  }
}

export function decodeFloat32(
  dv: DataView,
  base: number,
  stride: number,
  rows: number,
  count: number,
  out: Float32Array,
  at: number,
): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 4) out[o++] = dv.getFloat32(q);
  }
}

export function decodeFloat64(
  dv: DataView,
  base: number,
  stride: number,
  rows: number,
  count: number,
  out: Float64Array,
  at: number,
): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 8) out[o++] = dv.getFloat64(q);
  }
}

/** Complex cells: real and imaginary parts into two arrays. `bytes` is 4 (C) or 8 (M) per part. */
export function decodeComplex(
  dv: DataView,
  base: number,
  stride: number,
  rows: number,
  count: number,
  bytes: 4 | 8,
  re: Float32Array | Float64Array,
  im: Float32Array | Float64Array,
  at: number,
): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, q = p; k < count; k++, q += 2 * bytes) {
      if (bytes === 4) {
        re[o] = dv.getFloat32(q);
        im[o++] = dv.getFloat32(q + 4);
      } else {
        re[o] = dv.getFloat64(q);
        im[o++] = dv.getFloat64(q + 8);
      }
    }
  }
}

/** FITS logicals: 'T' true, 'F' false, 0 null (anything else reads as false, as astropy does). */
export function decodeLogical(
  src: Uint8Array,
  base: number,
  stride: number,
  rows: number,
  count: number,
  values: Uint8Array,
  validity: Uint8Array,
  at: number,
): number {
  let nulls = 0;
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0; k < count; k++, o++) {
      const b = src[p + k]!;
      if (b === 0) {
        nulls++;
        continue;
      }
      validity[o >> 3]! |= 1 << (o & 7);
      if (b === 84 || b === 116) values[o >> 3]! |= 1 << (o & 7);
    }
  }
  return nulls;
}

/** X columns: `count` bits per row, most significant bit first, into an Arrow (LSB-first) bitmap. */
export function decodeBits(
  src: Uint8Array,
  base: number,
  stride: number,
  rows: number,
  count: number,
  values: Uint8Array,
  at: number,
): void {
  let o = at;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0; k < count; k++, o++) {
      if ((src[p + (k >> 3)]! >> (7 - (k & 7))) & 1) values[o >> 3]! |= 1 << (o & 7);
    }
  }
}

/**
 * Fixed-width strings: each is cut at its first NUL and stripped of trailing blanks, then appended to `data` with its
 * end offset recorded. Returns the new end of `data`. Works on bytes, never on JS strings.
 */
export function decodeStrings(
  src: Uint8Array,
  base: number,
  stride: number,
  rows: number,
  count: number,
  width: number,
  offsets: Int32Array,
  data: Uint8Array,
  at: number,
  dataEnd: number,
): number {
  let o = at;
  let end = dataEnd;
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let k = 0, s = p; k < count; k++, s += width) {
      let n = 0;
      while (n < width && src[s + n] !== 0) n++;
      while (n > 0 && src[s + n - 1] === 32) n--;
      // a plain loop: strings are short, and a subarray per value would allocate 10^7 views
      for (let j = 0; j < n; j++) data[end + j] = src[s + j]!;
      end += n;
      offsets[++o] = end;
    }
  }
  return end;
}
