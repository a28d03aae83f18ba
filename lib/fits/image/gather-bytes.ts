import { readSync } from 'node:fs';

/**
 * One output array gathered from a file: byte ranges copied one after another into a fresh buffer of `bytes` bytes,
 * then turned from FITS's big-endian into this machine's order for `word`-byte values, and for BZERO-unsigned 32-bit
 * integers (`flipSign`) shifted by 2^31, which is flipping the top bit.
 */
export interface GatherJob {
  ranges: readonly { pos: number; len: number }[];
  bytes: number;
  word: 1 | 2 | 4 | 8;
  flipSign: boolean;
}

/** Why a job could not be gathered: the file ended early at `pos`. */
export class GatherTruncated extends Error {
  constructor(readonly job: number, readonly pos: number) {
    super(`the file ends before byte ${pos}`);
  }
}

/**
 * Runs job `index` on this thread with synchronous positional reads of `fd` (the ranges are rows of a cached file:
 * a read each is cheaper than a thread-pool round trip per row) and returns its buffer.
 *
 * @example
 * const buf = gatherOne(fd, { ranges: [{ pos: 2880, len: 44004 }], bytes: 44004, word: 4, flipSign: false }, 0);
 */
export function gatherOne(fd: number, job: GatherJob, index: number): ArrayBuffer {
  const buf = new ArrayBuffer(job.bytes);
  const bytes = new Uint8Array(buf);
  let at = 0;
  for (const r of job.ranges) {
    let done = 0;
    while (done < r.len) {
      const n = readSync(fd, bytes, at + done, r.len - done, r.pos + done);
      if (n === 0) throw new GatherTruncated(index, r.pos + done);
      done += n;
    }
    // Swapped right after its read, while the range (one spectrum's row or a few: 11-130 KB) is still in cache.
    const b = Buffer.from(buf, at, r.len);
    if (job.word === 2) b.swap16();
    else if (job.word === 4) b.swap32();
    else if (job.word === 8) b.swap64();
    if (job.flipSign) {
      const u = new Uint32Array(buf, at, r.len >>> 2);
      for (let i = 0; i < u.length; i++) u[i] = (u[i]! ^ 0x80000000) >>> 0;
    }
    at += r.len;
  }
  return buf;
}
