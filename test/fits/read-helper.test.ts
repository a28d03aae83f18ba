/**
 * Reading a long local scan with a helper thread (`source/read-helper.ts`): the pieces come out in order with exactly
 * the file's bytes, and an abandoned scan stops its helper. The helper is a worker thread, which runs compiled
 * JavaScript: that side is the built package (`dist/`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const DIST = resolve(ROOT, 'dist/lib/fits');
const load = async <T>(rel: string) => (await import(pathToFileURL(join(DIST, rel)).href)) as T;
const built = {
  range: await load<typeof import('../../lib/fits/source/read-range.js')>('source/read-range.js'),
  helper: await load<typeof import('../../lib/fits/source/read-helper.js')>('source/read-helper.js'),
  file: await load<typeof import('../../lib/fits/source/file-source.js')>('source/file-source.js'),
};

const dir = mkdtempSync(join(tmpdir(), 'skybook-helper-'));
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  process.env.SKYBOOK_FITS_PARALLEL_BYTES = '0'; // a helper for any scan
});
afterAll(() => {
  if (saved === undefined) delete process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  else process.env.SKYBOOK_FITS_PARALLEL_BYTES = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** 3 MB of bytes from a seeded linear congruential generator. */
function bytesFile(): { path: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(3_000_017);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  const path = join(dir, 'bytes.bin');
  writeFileSync(path, bytes);
  return { path, bytes };
}


describe('reading with a helper thread', () => {
  it('is available in the built package', () => {
    expect(built.helper.canHelpRead()).toBe(true);
  });

  it('hands out every piece in order with exactly the bytes of the file, over many reuses of its slots', async () => {
    const { path, bytes } = bytesFile();
    const src = await built.file.FileSource.open(path);
    try {
      for (const piece of [4096, 65_536, 1_000_003]) {
        const from = 777;
        const got: Buffer[] = [];
        for await (const p of built.range.readRange(src, from, bytes.length, piece, { helper: true })) got.push(Buffer.from(p));
        expect(got.length, `pieces of ${piece}`).toBe(Math.ceil((bytes.length - from) / piece));
        expect(Buffer.concat(got).equals(Buffer.from(bytes.subarray(from))), `pieces of ${piece}`).toBe(true);
      }
    } finally {
      await src.close();
    }
  });

  it('stops its helper when the scan is abandoned, and the source reads on', async () => {
    const { path, bytes } = bytesFile();
    const src = await built.file.FileSource.open(path);
    try {
      let seen = 0;
      for await (const p of built.range.readRange(src, 0, bytes.length, 4096, { helper: true })) {
        expect(Buffer.from(p).equals(Buffer.from(bytes.subarray(seen * 4096, seen * 4096 + 4096)))).toBe(true);
        if (++seen === 3) break;
      }
      const again: Buffer[] = [];
      for await (const p of built.range.readRange(src, 0, 10_000, 4096, { helper: true })) again.push(Buffer.from(p));
      expect(Buffer.concat(again).equals(Buffer.from(bytes.subarray(0, 10_000)))).toBe(true);
    } finally {
      await src.close();
    }
  });

});
