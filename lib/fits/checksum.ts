import type { HduInfo } from './hdu.js';
import type { ByteSource } from './source/byte-source.js';
import { readRange, scanPieceBytes } from './source/read-range.js';
import { WASM_BASE64 } from './wasm/checksum-wasm.js';

/**
 * The FITS checksum (FITS standard 4.0, appendix J): the 32-bit ones'-complement sum of the big-endian 32-bit
 * words of an HDU, carries wrapped around. A valid HDU sums to -0 (0xFFFFFFFF); DATASUM holds the data's sum as
 * an unsigned decimal string and CHECKSUM a 16-character ASCII encoding of the complement of the HDU's sum.
 *
 * Speed: on a little-endian host the four bytes of each word are accumulated in two 16-bit lanes (bytes 0+2 and 1+3),
 * which sidesteps the byte swap; lanes are flushed every 256 words before they can overflow. Long runs go through the
 * same loop in WebAssembly SIMD (`wasm/checksum.wat`, four words a step: ~10 GB/s against ~2 GB/s in JavaScript,
 * copying included); short ones, tails and a host without WebAssembly SIMD take the JavaScript loop over an
 * `Int32Array` view; misaligned or big-endian input takes a byte loop.
 */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Bytes the WebAssembly module sums per call (its memory holds them from byte 64). */
const WASM_SLICE = 256 * 1024;
/** Runs shorter than this stay in JavaScript (copying them in would cost more than it saves). */
const WASM_MIN = 1024;

interface Lanes {
  memory: Uint8Array;
  sums: Int32Array;
  lanes(p: number, n: number): void;
}
let wasmLanes: Lanes | null | undefined;

// The project's TypeScript libs (es2022 + Node) do not declare WebAssembly: the little this file uses, by hand.
const WA = (
  globalThis as unknown as {
    WebAssembly?: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object) => { exports: Record<string, unknown> } };
  }
).WebAssembly;

/** The WebAssembly lanes, instantiated on first use in each thread; null where it cannot run (no SIMD). */
function lanesModule(): Lanes | null {
  if (wasmLanes !== undefined) return wasmLanes;
  try {
    const inst = new WA!.Instance(new WA!.Module(Buffer.from(WASM_BASE64, 'base64')));
    const mem = inst.exports.memory as { buffer: ArrayBuffer };
    wasmLanes = { memory: new Uint8Array(mem.buffer), sums: new Int32Array(mem.buffer, 0, 4), lanes: inst.exports.lanes as Lanes['lanes'] };
  } catch {
    wasmLanes = null;
  }
  return wasmLanes;
}

/** Turns the WebAssembly loop off (or on again) in this thread: tests compare the two loops. */
export function useWasmChecksum(on: boolean): void {
  wasmLanes = on ? undefined : null;
}

/**
 * Incremental checksum over successive chunks of one byte stream (chunks need not be multiples of 4 bytes).
 *
 * @example
 * const sum = new FitsChecksum();
 * for (const chunk of chunks) sum.update(chunk);
 * sum.value; // uint32 ones'-complement sum, the DATASUM of a data unit
 */
export class FitsChecksum {
  // plain sums of the bytes at word positions 0..3 (byte 0 is the most significant); exact in doubles up to ~2^45 words
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  private b3 = 0;
  /** Bytes of a word begun by the previous chunk (0..3 of them). */
  private readonly carry = new Uint8Array(4);
  private carried = 0;

  /** Adds `bytes` to the running sum; returns `this`. */
  update(bytes: Uint8Array): this {
    let i = 0;
    const n = bytes.length;
    if (this.carried > 0) {
      while (this.carried < 4 && i < n) this.carry[this.carried++] = bytes[i++]!;
      if (this.carried < 4) return this;
      this.addBytes(this.carry, 0, 4);
      this.carried = 0;
    }
    const whole = i + ((n - i) & ~3);
    if (LITTLE_ENDIAN_HOST && (bytes.byteOffset + i) % 4 === 0) this.addWords(bytes, i, whole);
    else this.addBytes(bytes, i, whole);
    for (i = whole; i < n; i++) this.carry[this.carried++] = bytes[i]!;
    return this;
  }

  /** The ones'-complement sum so far, a partial last word counted as if padded with zeros. */
  get value(): number {
    let hi = this.b0 * 256 + this.b1;
    let lo = this.b2 * 256 + this.b3;
    if (this.carried > 0) hi += this.carry[0]! * 256;
    if (this.carried > 1) hi += this.carry[1]!;
    if (this.carried > 2) lo += this.carry[2]! * 256;
    return foldHalves(hi, lo);
  }

  private addWords(bytes: Uint8Array, start: number, end: number): void {
    const w = end - start >= WASM_MIN ? lanesModule() : null;
    if (w) {
      let p = start;
      while (end - p >= 16) {
        const n = Math.min(WASM_SLICE, (end - p) & ~15);
        w.memory.set(bytes.subarray(p, p + n), 64);
        w.lanes(64, n);
        this.b0 += w.sums[0]!;
        this.b1 += w.sums[1]!;
        this.b2 += w.sums[2]!;
        this.b3 += w.sums[3]!;
        p += n;
      }
      if (p < end) this.addWordsJs(bytes, p, end);
      return;
    }
    this.addWordsJs(bytes, start, end);
  }

  private addWordsJs(bytes: Uint8Array, start: number, end: number): void {
    // Int32 loads stay small integers in V8 (Uint32 ones above 2^31 would become doubles); two words per step keep two
    // independent chains of additions in flight
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + start, (end - start) >>> 2);
    const n = words.length;
    const pairs = n & ~1;
    let i = 0;
    while (i < n) {
      const stop = Math.min(pairs, i + 256);
      let even = 0; // little-endian lanes: bits 0-15 sum byte 0, bits 16-31 sum byte 2
      let odd = 0; // bits 0-15 sum byte 1, bits 16-31 sum byte 3
      let even2 = 0;
      let odd2 = 0;
      for (; i < stop; i += 2) {
        const w = words[i]!;
        const x = words[i + 1]!;
        even = (even + (w & 0x00ff00ff)) | 0;
        odd = (odd + ((w >>> 8) & 0x00ff00ff)) | 0;
        even2 = (even2 + (x & 0x00ff00ff)) | 0;
        odd2 = (odd2 + ((x >>> 8) & 0x00ff00ff)) | 0;
      }
      if (i === pairs && i < n) {
        const w = words[i++]!;
        even = (even + (w & 0x00ff00ff)) | 0;
        odd = (odd + ((w >>> 8) & 0x00ff00ff)) | 0;
      }
      // each lane holds at most 128 bytes of 255 (or 129 with the odd last word): no carry into the next lane
      this.b0 += (even & 0xffff) + (even2 & 0xffff);
      this.b2 += (even >>> 16) + (even2 >>> 16);
      this.b1 += (odd & 0xffff) + (odd2 & 0xffff);
      this.b3 += (odd >>> 16) + (odd2 >>> 16);
    }
  }

  private addBytes(bytes: Uint8Array, start: number, end: number): void {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = start; i < end; i += 4) {
      s0 += bytes[i]!;
      s1 += bytes[i + 1]!;
      s2 += bytes[i + 2]!;
      s3 += bytes[i + 3]!;
    }
    this.b0 += s0;
    this.b1 += s1;
    this.b2 += s2;
    this.b3 += s3;
  }
}

/** Folds plain sums of high and low 16-bit halves into a 32-bit ones'-complement sum (end-around carry). */
function foldHalves(hi: number, lo: number): number {
  for (;;) {
    const carryHi = Math.floor(hi / 65536);
    const carryLo = Math.floor(lo / 65536);
    if (carryHi === 0 && carryLo === 0) return ((hi << 16) | lo) >>> 0;
    hi = (hi % 65536) + carryLo;
    lo = (lo % 65536) + carryHi;
  }
}

/**
 * The ones'-complement sum of `bytes` (length a multiple of 4 for a meaningful FITS sum).
 *
 * @example
 * checksum32(new Uint8Array(2880)) // 0
 */
export function checksum32(bytes: Uint8Array): number {
  return new FitsChecksum().update(bytes).value;
}

/**
 * Ones'-complement addition of two 32-bit sums: the sum of a header and the sum of its data give the HDU's sum.
 *
 * @example
 * addSums(headerSum, dataSum) === 0xffffffff // a valid HDU
 */
export function addSums(a: number, b: number): number {
  return foldHalves((a >>> 16) + (b >>> 16), (a & 0xffff) + (b & 0xffff));
}

const OFFSET = 0x30; // '0'
const EXCLUDED = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];

/**
 * Encodes a 32-bit value as the 16 ASCII characters of a CHECKSUM card (standard's algorithm: each byte spread over
 * four characters offset from '0', pairs nudged off the punctuation between '9' and 'A' and between 'Z' and 'a', then
 * the string rotated right by one). By default encodes the complement of `sum`, which is what CHECKSUM holds.
 *
 * @example
 * encodeChecksum(hduSumWithZeroPlaceholder) // e.g. 'hcHjjc9ghcEghc9g'
 */
export function encodeChecksum(sum: number, complement = true): string {
  const value = (complement ? ~sum : sum) >>> 0;
  const grid = new Array<number>(16);
  for (let byteIndex = 0; byteIndex < 4; byteIndex++) {
    const byte = (value >>> ((3 - byteIndex) * 8)) & 0xff;
    const quarter = (byte >> 2) + OFFSET;
    const ch = [quarter + (byte & 3), quarter, quarter, quarter];
    // the standard's order: for each excluded code, each pair; repeat until a pass changes nothing
    for (let changed = true; changed; ) {
      changed = false;
      for (const code of EXCLUDED) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === code || ch[j + 1] === code) {
            ch[j]!++;
            ch[j + 1]!--;
            changed = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) grid[4 * j + byteIndex] = ch[j]!;
  }
  let out = '';
  for (let i = 0; i < 16; i++) out += String.fromCharCode(grid[(i + 15) % 16]!);
  return out;
}

/**
 * Decodes a 16-character CHECKSUM string back to the 32-bit value it encodes (the complement of the sum of the HDU
 * without it); undefined when the text is not 16 characters of the encoding's alphabet.
 *
 * @example
 * decodeChecksum(encodeChecksum(s, false)) === s
 */
export function decodeChecksum(text: string): number | undefined {
  if (text.length !== 16 || !/^[0-9A-Za-z]{16}$/.test(text)) return undefined;
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = text.charCodeAt((i + 1) % 16) - OFFSET;
  return checksum32(bytes);
}

/** Per-HDU verdicts of `verifyHdu`. */
export interface ChecksumVerdict {
  checksum: 'ok' | 'bad' | 'absent';
  datasum: 'ok' | 'bad' | 'absent';
}

/**
 * Adds the bytes of an HDU's data unit (padding included) from `from` to its end to `sum`, reading in cache-sized
 * pieces; `from` defaults to the start of the data. A scan that has already summed the first part of the data (the
 * rows of a table, see `tableStats`) passes where it stopped, so no byte is read twice.
 *
 * @example
 * const sum = await sumData(src, hdu); sum.value // the HDU's DATASUM
 */
export async function sumData(src: ByteSource, hdu: HduInfo, sum = new FitsChecksum(), from = hdu.dataOffset): Promise<FitsChecksum> {
  const end = Math.min(src.size, hdu.dataOffset + hdu.dataSpan);
  for await (const piece of readRange(src, from, end, scanPieceBytes(src))) sum.update(piece);
  return sum;
}

/** True when the HDU has a CHECKSUM or DATASUM card, i.e. when its data sum is worth computing. */
export function hasChecksumCards(hdu: HduInfo): boolean {
  return hdu.header.has('CHECKSUM') || hdu.header.has('DATASUM');
}

/**
 * The verdicts of an HDU given the ones'-complement sum of its data: CHECKSUM is ok when header plus data sum to -0,
 * DATASUM when it equals the data's sum as an unsigned decimal.
 *
 * @example
 * const verdict = await checksumVerdict(src, hdu, (await sumData(src, hdu)).value);
 */
export async function checksumVerdict(src: ByteSource, hdu: HduInfo, dataSum: number): Promise<ChecksumVerdict> {
  let datasum: ChecksumVerdict['datasum'] = 'absent';
  if (hdu.header.has('DATASUM')) {
    const text = String(hdu.header.get('DATASUM') ?? '').trim();
    datasum = /^\d+$/.test(text) && Number(text) === dataSum ? 'ok' : 'bad';
  }
  let checksum: ChecksumVerdict['checksum'] = 'absent';
  if (hdu.header.has('CHECKSUM')) {
    const headerSum = checksum32(await src.read(hdu.headerOffset, hdu.dataOffset - hdu.headerOffset));
    checksum = addSums(headerSum, dataSum) === 0xffffffff ? 'ok' : 'bad';
  }
  return { checksum, datasum };
}

/**
 * Checks the CHECKSUM and DATASUM cards of one HDU: one pass over its data (padding included), then the header.
 *
 * @example
 * const src = await FileSource.open('coadd.fits');
 * for (const hdu of await walkHdus(src)) console.log(hdu.index, await verifyHdu(src, hdu));
 */
export async function verifyHdu(src: ByteSource, hdu: HduInfo): Promise<ChecksumVerdict> {
  if (!hasChecksumCards(hdu)) return { checksum: 'absent', datasum: 'absent' };
  return checksumVerdict(src, hdu, (await sumData(src, hdu)).value);
}
