import { CodecError } from './codec-error.js';

/**
 * HCOMPRESS_1 decoding (R. White's H-transform coder, as cfitsio implements it for the tiled-image convention).
 * The stream: magic 0xDD 0x99, the tile's slow and fast dimensions and the digitization scale (int32 each), the
 * top H-coefficient (int64), the bit-plane counts of the three coefficient quadrant groups, then every bit
 * plane of each quadrant, coded directly or as a Huffman-coded quadtree, then one sign bit per non-zero
 * coefficient. Decoding multiplies by the scale and inverts the H-transform level by level, optionally
 * smoothing (SMOOTH != 0) the coefficients the scale blurred.
 *
 * All arithmetic runs on doubles holding integers, which is exact for anything a 32-bit image produces and so
 * equals cfitsio's 32-bit (8/16-bit images) and 64-bit (32-bit and float images) code paths.
 */

/** A decoded tile: `data[i * ny + j]`, with `ny` the fast (FITS axis 1) dimension. */
export interface HcompressTile {
  nx: number;
  ny: number;
  scale: number;
  data: Float64Array;
}

class BitReader {
  pos: number;
  private buffer = 0;
  private bits = 0;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  private byte(): number {
    if (this.pos >= this.bytes.length)
      throw new CodecError(`HCOMPRESS_1: compressed data end after ${this.bytes.length} bytes, before the tile was decoded`);
    return this.bytes[this.pos++]!;
  }

  /** Starts over at the next byte boundary. */
  restart(): void {
    this.bits = 0;
  }

  bit(): number {
    if (this.bits === 0) {
      this.buffer = this.byte();
      this.bits = 8;
    }
    this.bits--;
    return (this.buffer >> this.bits) & 1;
  }

  /** n <= 8 bits, most significant first. */
  nbits(n: number): number {
    if (this.bits < n) {
      this.buffer = ((this.buffer << 8) | this.byte()) & 0xffff;
      this.bits += 8;
    }
    this.bits -= n;
    return (this.buffer >> this.bits) & ((1 << n) - 1);
  }

  /** A Huffman-coded 4-bit quadtree value. */
  huffman(): number {
    let c = this.nbits(3);
    if (c < 4) return 1 << c; // 1, 2, 4, 8
    c = (c << 1) | this.bit();
    switch (c) {
      case 8:
        return 3;
      case 9:
        return 5;
      case 10:
        return 10;
      case 11:
        return 12;
      case 12:
        return 15;
    }
    c = (c << 1) | this.bit();
    switch (c) {
      case 26:
        return 6;
      case 27:
        return 7;
      case 28:
        return 9;
      case 29:
        return 11;
      case 30:
        return 13;
    }
    c = (c << 1) | this.bit();
    return c === 62 ? 0 : 14;
  }
}

/** ceil(log2(n)) for n >= 1, 0 for n <= 1. */
function log2up(n: number): number {
  let k = 0;
  while (k < 31 && 1 << k < n) k++;
  return k;
}

/** The largest tile this decoder accepts (pixels), so a corrupt header cannot ask for gigabytes. */
const MAX_PIXELS = 1 << 28;

/**
 * Decodes one HCOMPRESS_1 tile; `expectedPixels`, when given, must equal the stream's nx * ny.
 * `smooth` asks for cfitsio's smoothing of the inverse transform (ZVAL of SMOOTH).
 *
 * @example
 * const { nx, ny, data } = hcompressDecompress(tileBytes, false, 300 * 300);
 */
export function hcompressDecompress(bytes: Uint8Array, smooth: boolean, expectedPixels?: number): HcompressTile {
  if (bytes.length < 25) throw new CodecError(`HCOMPRESS_1: ${bytes.length} bytes is too short for a header`);
  if (bytes[0] !== 0xdd || bytes[1] !== 0x99) throw new CodecError('HCOMPRESS_1: bad magic number (not an H-compressed tile)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nx = view.getInt32(2);
  const ny = view.getInt32(6);
  const scale = view.getInt32(10);
  const sumall = view.getInt32(14) * 2 ** 32 + view.getUint32(18);
  const planes = [bytes[22]!, bytes[23]!, bytes[24]!] as const;
  if (nx < 1 || ny < 1 || nx * ny > MAX_PIXELS) throw new CodecError(`HCOMPRESS_1: invalid tile size ${nx} x ${ny}`);
  if (expectedPixels !== undefined && nx * ny !== expectedPixels) {
    throw new CodecError(`HCOMPRESS_1: the stream holds ${nx} x ${ny} pixels, the tile ${expectedPixels}`);
  }
  for (const p of planes) if (p > 52) throw new CodecError(`HCOMPRESS_1: ${p} bit planes is more than a decoder can hold exactly`);
  const a = new Float64Array(nx * ny);
  const input = new BitReader(bytes, 25);
  decodeQuadrants(input, a, nx, ny, planes);
  a[0] = sumall;
  if (scale > 1) for (let i = 0; i < a.length; i++) a[i] = a[i]! * scale;
  hinv(a, nx, ny, smooth, scale);
  return { nx, ny, scale, data: a };
}

function decodeQuadrants(input: BitReader, a: Float64Array, nx: number, ny: number, planes: readonly [number, number, number]): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  input.restart();
  qtreeDecode(input, a, 0, ny, nx2, ny2, planes[0]);
  qtreeDecode(input, a, ny2, ny, nx2, ny >> 1, planes[1]);
  qtreeDecode(input, a, ny * nx2, ny, nx >> 1, ny2, planes[1]);
  qtreeDecode(input, a, ny * nx2 + ny2, ny, nx >> 1, ny >> 1, planes[2]);
  if (input.nbits(4) !== 0) throw new CodecError('HCOMPRESS_1: bad bit-plane values (no end code after the bit planes)');
  // sign bits, one per non-zero coefficient, from the next byte boundary
  input.restart();
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== 0 && input.bit() !== 0) a[i] = -a[i]!;
  }
}

/**
 * Reads `nplanes` bit planes of an nqx x nqy quadrant whose first element is `a[off]` (rows `n` apart).
 */
function qtreeDecode(input: BitReader, a: Float64Array, off: number, n: number, nqx: number, nqy: number, nplanes: number): void {
  const log2n = log2up(Math.max(nqx, nqy));
  const scratch = new Uint8Array(Math.max(1, ((nqx + 1) >> 1) * ((nqy + 1) >> 1)));
  for (let bit = nplanes - 1; bit >= 0; bit--) {
    const plane = 2 ** bit;
    const format = input.nbits(4);
    if (format === 0) {
      // written directly, 4 pixels a nybble
      const count = ((nqx + 1) >> 1) * ((nqy + 1) >> 1);
      for (let i = 0; i < count; i++) scratch[i] = input.nbits(4);
    } else if (format === 0xf) {
      scratch[0] = input.huffman();
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 1 << log2n;
      for (let k = 1; k < log2n; k++) {
        // the sizes go n[k-1] = (n[k] + 1) / 2 down from n = nqx, nqy
        c >>= 1;
        nx <<= 1;
        ny <<= 1;
        if (nfx <= c) nx -= 1;
        else nfx -= c;
        if (nfy <= c) ny -= 1;
        else nfy -= c;
        qtreeExpand(input, scratch, nx, ny);
      }
    } else {
      throw new CodecError(`HCOMPRESS_1: bad quadtree format code ${format}`);
    }
    bitInsert(scratch, nqx, nqy, a, off, n, plane);
  }
}

/**
 * Expands the ((nx+1)/2 x (ny+1)/2) 4-bit codes in `s` to one bit per element of an nx x ny array (in place),
 * then replaces each non-zero element by the next Huffman code.
 */
function qtreeExpand(input: BitReader, s: Uint8Array, nx: number, ny: number): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  // spread the codes to the even positions, from the end so nothing is overwritten before it is read
  let k = nx2 * ny2 - 1;
  for (let i = nx2 - 1; i >= 0; i--) {
    let s00 = 2 * (ny * i + ny2 - 1);
    for (let j = ny2 - 1; j >= 0; j--) {
      s[s00] = s[k--]!;
      s00 -= 2;
    }
  }
  // each code's 4 bits become its 2 x 2 block: bit 3 [i,j], bit 2 [i,j+1], bit 1 [i+1,j], bit 0 [i+1,j+1]
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = ny * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = s[s00]!;
      s[s00] = (v >> 3) & 1;
      s[s00 + 1] = (v >> 2) & 1;
      s[s00 + ny] = (v >> 1) & 1;
      s[s00 + ny + 1] = v & 1;
      s00 += 2;
    }
    if (j < ny) {
      const v = s[s00]!;
      s[s00] = (v >> 3) & 1;
      s[s00 + ny] = (v >> 1) & 1;
    }
  }
  if (i < nx) {
    let s00 = ny * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = s[s00]!;
      s[s00] = (v >> 3) & 1;
      s[s00 + 1] = (v >> 2) & 1;
      s00 += 2;
    }
    if (j < ny) s[s00] = (s[s00]! >> 3) & 1;
  }
  for (let m = nx * ny - 1; m >= 0; m--) if (s[m] !== 0) s[m] = input.huffman();
}

/** Adds `plane` to the elements of the nx x ny block at b[off] (rows n apart) whose bit is set in the 4-bit codes. */
function bitInsert(codes: Uint8Array, nx: number, ny: number, b: Float64Array, off: number, n: number, plane: number): void {
  let k = 0;
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = codes[k++]!;
      if (v & 8) b[s00] = b[s00]! + plane;
      if (v & 4) b[s00 + 1] = b[s00 + 1]! + plane;
      if (v & 2) b[s00 + n] = b[s00 + n]! + plane;
      if (v & 1) b[s00 + n + 1] = b[s00 + n + 1]! + plane;
      s00 += 2;
    }
    if (j < ny) {
      const v = codes[k++]!;
      if (v & 8) b[s00] = b[s00]! + plane;
      if (v & 2) b[s00 + n] = b[s00 + n]! + plane;
    }
  }
  if (i < nx) {
    let s00 = off + n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = codes[k++]!;
      if (v & 8) b[s00] = b[s00]! + plane;
      if (v & 4) b[s00 + 1] = b[s00 + 1]! + plane;
      s00 += 2;
    }
    if (j < ny) {
      const v = codes[k++]!;
      if (v & 8) b[s00] = b[s00]! + plane;
    }
  }
}

// Integer operations on doubles holding integers: what C's >>, & and | do on two's-complement values.
const shr = (x: number, s: number): number => Math.floor(x / 2 ** s);
/** x & -m for m a power of two: round down to a multiple of m. */
const floorTo = (x: number, m: number): number => Math.floor(x / m) * m;
/** x & m for m a power of two: m when that bit is set, else 0. */
const bitOf = (x: number, m: number): number => (Math.floor(x / m) % 2 !== 0 ? m : 0);

/** The inverse H-transform, in place, with cfitsio's rounding of the digitized coefficients. */
function hinv(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = log2up(nmax);
  if (log2n === 0) return;
  const tmp = new Float64Array((nmax + 1) >> 1);
  let shift = 1;
  let bit0 = 2 ** (log2n - 1);
  let bit1 = bit0 * 2;
  let bit2 = bit0 * 4;
  let prnd0 = Math.floor(bit0 / 2);
  let prnd1 = bit1 / 2;
  const prnd2 = bit2 / 2;
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  // round h0 to a multiple of bit2
  a[0] = floorTo(a[0]! + (a[0]! < 0 ? nrnd2 : prnd2), bit2);

  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c /= 2;
    nxtop *= 2;
    nytop *= 2;
    if (nxf <= c) nxtop -= 1;
    else nxf -= c;
    if (nyf <= c) nytop -= 1;
    else nyf -= c;
    if (k === 0) {
      // the last pass divides by 4 and has no half-unit to round with
      nrnd0 = 0;
      shift = 2;
    }
    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      for (let j = 0; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hx = a[s10]!;
        let hy = a[s00 + 1]!;
        let hc = a[s10 + 1]!;
        // round hx, hy to multiples of bit1 and hc to a multiple of bit0 (h0 already is one of bit2)
        hx = floorTo(hx + (hx < 0 ? nrnd1 : prnd1), bit1);
        hy = floorTo(hy + (hy < 0 ? nrnd1 : prnd1), bit1);
        hc = floorTo(hc + (hc < 0 ? nrnd0 : prnd0), bit0);
        // bit0 of hc carries to hx, hy
        const lowbit0 = bitOf(hc, bit0);
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        // bits 0 and 1 of hc, hx, hy carry to h0
        const lowbit1 = ((bitOf(hc, bit1) + bitOf(hx, bit1) + bitOf(hy, bit1)) / bit1) % 2 === 1 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = shr(h0 + hx + hy + hc, shift);
        a[s10] = shr(h0 + hx - hy - hc, shift);
        a[s00 + 1] = shr(h0 - hx + hy - hc, shift);
        a[s00] = shr(h0 - hx - hy + hc, shift);
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        // last element of an odd-length row: no hy, hc
        let h0 = a[s00]!;
        let hx = a[s10]!;
        hx = floorTo(hx < 0 ? hx + nrnd1 : hx + prnd1, bit1);
        const lowbit1 = bitOf(hx, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = shr(h0 + hx, shift);
        a[s00] = shr(h0 - hx, shift);
      }
    }
    if (oddx) {
      // last row of an odd-length column: no hx, hc
      let s00 = ny * i;
      let j = 0;
      for (; j < nytop - oddy; j += 2) {
        let h0 = a[s00]!;
        let hy = a[s00 + 1]!;
        hy = floorTo(hy < 0 ? hy + nrnd1 : hy + prnd1, bit1);
        const lowbit1 = bitOf(hy, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = shr(h0 + hy, shift);
        a[s00] = shr(h0 - hy, shift);
        s00 += 2;
      }
      if (oddy) a[s00] = shr(a[s00]!, shift);
    }
    // halve the masks and rounding values for the next level
    bit2 = bit1;
    bit1 = bit0;
    bit0 = bit0 / 2;
    prnd1 = prnd0;
    prnd0 = Math.floor(prnd0 / 2);
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

/** Interleaves the first and second halves of n elements of a (stride n2, from off): [a0 b0 a1 b1 ...]. */
function unshuffle(a: Float64Array, off: number, n: number, n2: number, tmp: Float64Array): void {
  const nhalf = (n + 1) >> 1;
  for (let i = nhalf, t = 0; i < n; i++, t++) tmp[t] = a[off + n2 * i]!;
  for (let i = nhalf - 1; i >= 0; i--) a[off + 2 * n2 * i] = a[off + n2 * i]!;
  for (let i = 1, t = 0; i < n; i += 2, t++) a[off + n2 * i] = tmp[t]!;
}

/**
 * Smooths the coefficients of an nxtop x nytop block (rows ny apart): adjusts the x, y and curvature differences
 * toward what the neighbouring means imply, within the monotonicity limits, by at most scale / 2.
 */
function hsmooth(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = ny * 2;
  const clamp = (s: number): number => Math.max(Math.min(s, smax), -smax);
  // x differences
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i;
    let s10 = s00 + ny;
    for (let j = 0; j < nytop; j += 2) {
      const hm = a[s00 - ny2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + ny2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        const s = diff - a[s10]! * 8;
        a[s10] = a[s10]! + clamp(s >= 0 ? Math.floor(s / 8) : Math.floor((s + 7) / 8));
      }
      s00 += 2;
      s10 += 2;
    }
  }
  // y differences
  for (let i = 0; i < nxtop; i += 2) {
    let s00 = ny * i + 2;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hm = a[s00 - 2]!;
      const h0 = a[s00]!;
      const hp = a[s00 + 2]!;
      let diff = hp - hm;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        const s = diff - a[s00 + 1]! * 8;
        a[s00 + 1] = a[s00 + 1]! + clamp(s >= 0 ? Math.floor(s / 8) : Math.floor((s + 7) / 8));
      }
      s00 += 2;
    }
  }
  // curvature differences
  for (let i = 2; i < nxtop - 2; i += 2) {
    let s00 = ny * i + 2;
    let s10 = s00 + ny;
    for (let j = 2; j < nytop - 2; j += 2) {
      const hmm = a[s00 - ny2 - 2]!;
      const hpm = a[s00 + ny2 - 2]!;
      const hmp = a[s00 - ny2 + 2]!;
      const hpp = a[s00 + ny2 + 2]!;
      const h0 = a[s00]!;
      let diff = hpp + hmm - hmp - hpm;
      const hx2 = a[s10]! * 2;
      const hy2 = a[s00 + 1]! * 2;
      let m1 = Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2);
      let m2 = Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2);
      const dmax = Math.min(m1, m2) * 16;
      m1 = Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2);
      m2 = Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2);
      const dmin = Math.max(m1, m2) * 16;
      if (dmin < dmax) {
        diff = Math.max(Math.min(diff, dmax), dmin);
        const s = diff - a[s10 + 1]! * 64;
        a[s10 + 1] = a[s10 + 1]! + clamp(s >= 0 ? Math.floor(s / 64) : Math.floor((s + 63) / 64));
      }
      s00 += 2;
      s10 += 2;
    }
  }
}
