import { readSync } from 'node:fs';

/**
 * One output array gathered from a file: byte ranges copied one after another into a fresh buffer of `bytes` bytes,
 * then turned from FITS's big-endian into this machine's order for `word`-byte values, and for BZERO-unsigned 32-bit
 * integers (`flipSign`) shifted by 2^31, which is flipping the top bit.
 */
export interface GatherJob {
  /** File position and length of each range, flat: [pos, len, pos, len, ...] (no object per range: a selection of 1,000 spectra has ~10,000). */
  ranges: Float64Array;
  bytes: number;
  word: 1 | 2 | 4 | 8;
  flipSign: boolean;
}

/** Why a job could not be gathered: the file ended early at `pos`. */
export class GatherTruncated extends Error {
  constructor(
    readonly job: number,
    readonly pos: number,
  ) {
    super(`the file ends before byte ${pos}`);
  }
}

/**
 * Turns big-endian `word`-byte values into this machine's order in place, and for BZERO-unsigned 32-bit integers
 * (`flipSign`) flips the top bit. `bytes` is a whole number of words, 4-byte aligned when `flipSign`.
 *
 * @example
 * toNativeOrder(rowBytes, 4, false); // then new Float32Array(rowBytes.buffer, rowBytes.byteOffset, n)
 */
export function toNativeOrder(bytes: Uint8Array, word: GatherJob['word'], flipSign: boolean): void {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (word === 2) b.swap16();
  else if (word === 4) b.swap32();
  else if (word === 8) b.swap64();
  if (flipSign) {
    const u = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    for (let i = 0; i < u.length; i++) u[i] = (u[i]! ^ 0x80000000) >>> 0;
  }
}

/**
 * Runs job `index` on this thread with synchronous positional reads of `fd` (the ranges are rows of a cached file:
 * a read each is cheaper than a thread-pool round trip per row) and returns its buffer.
 *
 * @example
 * const buf = gatherOne(fd, { ranges: Float64Array.of(2880, 44004), bytes: 44004, word: 4, flipSign: false }, 0);
 */
export function gatherOne(fd: number, job: GatherJob, index: number): ArrayBuffer {
  const buf = new ArrayBuffer(job.bytes);
  const bytes = new Uint8Array(buf);
  let at = 0;
  for (let k = 0; k < job.ranges.length; k += 2) {
    const pos = job.ranges[k]!;
    const len = job.ranges[k + 1]!;
    let done = 0;
    while (done < len) {
      const n = readSync(fd, bytes, at + done, len - done, pos + done);
      if (n === 0) throw new GatherTruncated(index, pos + done);
      done += n;
    }
    toNativeOrder(new Uint8Array(buf, at, len), job.word, job.flipSign); // while the range (11-130 KB) is in cache
    at += len;
  }
  return buf;
}
