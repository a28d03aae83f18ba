import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gather, GatherTruncated, startGather, type GatherJob } from '../../lib/fits/image/gather.js';
import { mappedAddon } from '../../lib/fits/source/mapped/native.js';
import { mulberry32 } from '../helpers/prng.js';

// A file of big-endian values at known places; jobs gather scattered ranges of it.
const SIZE = 3 * 2 ** 20;
let dir: string;
let file: string;
let bytes: Buffer;
let fd: number;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skybook-gather-'));
  file = join(dir, 'data.bin');
  const rnd = mulberry32(7);
  bytes = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) bytes[i] = Math.floor(rnd() * 256);
  writeFileSync(file, bytes);
  fd = openSync(file, 'r');
});
afterAll(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});
const saved = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
afterEach(() => {
  if (saved === undefined) delete process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  else process.env.SKYBOOK_FITS_PARALLEL_BYTES = saved;
});

/** What a job should give, computed the slow way: DataView reads of the original bytes. */
function expected(job: GatherJob): Buffer {
  const parts: Buffer[] = [];
  for (let k = 0; k < job.ranges.length; k += 2) parts.push(bytes.subarray(job.ranges[k]!, job.ranges[k]! + job.ranges[k + 1]!));
  const raw = Buffer.concat(parts);
  const out = Buffer.alloc(raw.length);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const ov = new DataView(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < raw.length; i += job.word) {
    if (job.word === 1) ov.setUint8(i, dv.getUint8(i));
    if (job.word === 2) ov.setUint16(i, dv.getUint16(i, false), true);
    if (job.word === 4) ov.setUint32(i, job.flipSign ? (dv.getUint32(i, false) ^ 0x80000000) >>> 0 : dv.getUint32(i, false), true);
    if (job.word === 8) ov.setBigUint64(i, dv.getBigUint64(i, false), true);
  }
  return out;
}

function jobs(): GatherJob[] {
  const rnd = mulberry32(11);
  const list: GatherJob[] = [];
  for (const [word, flipSign] of [
    [4, false],
    [4, true],
    [2, false],
    [8, false],
    [1, false],
    [4, false],
  ] as const) {
    const ranges = [];
    for (let k = 0; k < 1 + Math.floor(rnd() * 40); k++) {
      const len = word * (1 + Math.floor(rnd() * 5000));
      ranges.push({ pos: Math.floor(rnd() * (SIZE - len)), len });
    }
    list.push({
      ranges: Float64Array.from(ranges.flatMap((r) => [r.pos, r.len])),
      bytes: ranges.reduce((n, r) => n + r.len, 0),
      word,
      flipSign,
    });
  }
  return list;
}

describe('gather: scattered big-endian ranges into native arrays', () => {
  const modes = [
    ['on this thread', String(2 ** 50), false],
    ['shared with a worker thread', '0', false],
    ...(mappedAddon() ? [['by native threads, this one joining in', '0', true] as const] : []),
  ] as const;
  it('uses native threads wherever the addon is built (test/fits/mapped.test.ts says where that is)', () => {
    expect(modes.length).toBe(mappedAddon() ? 3 : 2);
  });
  for (const [mode, threshold, native] of modes) {
    it(`cancel() resolves once nothing reads the file any more, so it may be closed (${mode})`, async () => {
      process.env.SKYBOOK_FITS_PARALLEL_BYTES = threshold;
      const own = openSync(file, 'r');
      const pending = startGather(own, jobs(), 0, { native });
      await pending.cancel();
      closeSync(own);
      // the shared descriptor still reads (no read went to a closed or reused descriptor)
      expect((await gather(fd, jobs().slice(0, 1), { native }))[0]!.byteLength).toBe(jobs()[0]!.bytes);
    });

    it(`gives every job's bytes swapped to native order, sign-flipped where asked (${mode})`, async () => {
      process.env.SKYBOOK_FITS_PARALLEL_BYTES = threshold;
      const list = jobs();
      const got = await gather(fd, list, { native });
      expect(got).toHaveLength(list.length);
      list.forEach((job, i) => expect(Buffer.from(got[i]!).equals(expected(job)), `job ${i}`).toBe(true));
    });

    it(`throws GatherTruncated naming the job and the byte where the file ends (${mode})`, async () => {
      process.env.SKYBOOK_FITS_PARALLEL_BYTES = threshold;
      const list = jobs();
      list[3] = { ranges: Float64Array.of(10, 16, SIZE - 8, 16), bytes: 32, word: 8, flipSign: false };
      const err = await gather(fd, list, { native }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatherTruncated);
      expect(err).toMatchObject({ job: 3, pos: SIZE });
    });
  }
});
