/**
 * Reading a long local scan with a helper thread (`source/read-helper.ts`): the pieces come out in order with exactly
 * the file's bytes, and an abandoned scan stops its helper. The helper is a worker thread, which runs compiled
 * JavaScript: that side is the built package (`dist/`). And `readTable` of a few narrow columns of a long table, which
 * reads ahead through libuv's thread pool: the same Arrow columns as the plain loop.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { ROOT } from '../helpers/cli.js';
import { expectedFiles, HAVE_FIXTURES } from '../helpers/fixtures.js';

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

const ipc = (t: Table) => Buffer.from(tableToIPC(t));

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

/** `fn` with `SKYBOOK_FITS_PARALLEL_BYTES` set to `v` (0: every scan big enough for the two-thread paths). */
async function withThreshold<T>(v: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  process.env.SKYBOOK_FITS_PARALLEL_BYTES = v;
  try {
    return await fn();
  } finally {
    process.env.SKYBOOK_FITS_PARALLEL_BYTES = before;
  }
}
const NEVER = String(2 ** 50);

describe('readTable of a few narrow columns with reads ahead in the thread pool', () => {
  it.skipIf(!HAVE_FIXTURES)('reads every column of every corpus table to the same Arrow column as the plain loop', async () => {
    const files = [...new Set(expectedFiles().map((e) => e.file))].filter((f) => !f.endsWith('.gz'));
    let columns = 0;
    for (const f of files) {
      const fits = await FitsFile.open(f);
      try {
        for (const h of fits.hdus.filter((x) => x.type === 'BINTABLE')) {
          for (const name of (await fits.readTable(h.index)).schema.fields.map((x) => x.name)) {
            const ahead = await withThreshold('0', () => fits.readTable(h.index, { columns: [name] }));
            const plain = await withThreshold(NEVER, () => fits.readTable(h.index, { columns: [name] }));
            expect(ipc(ahead).equals(ipc(plain)), `${f} HDU ${h.index} ${name}`).toBe(true);
            columns++;
          }
        }
      } finally {
        await fits.close();
      }
    }
    expect(columns).toBeGreaterThan(50);
  });

  it('reads a multi-chunk zcatalog-like table to the same columns as the plain loop, and names the row where a shrunk file ends', async () => {
    // the bench's zcatalog generator: 259-byte rows, int64 ids past 2^53, floats with NaNs, a vector, uint32
    const { zcatalogBatches, ZCATALOG_SCHEMA } = await import('../../bench/fits-read/zcatalog.js');
    const { writeFits } = await import('../../lib/fits/writer/index.js');
    const path = join(dir, 'zcat.fits');
    await writeFits(path, [{ kind: 'table', name: 'Z', schema: ZCATALOG_SCHEMA, table: zcatalogBatches({ rows: 20_000, seed: 3 }) }], { overwrite: true });
    expect(readFileSync(path).length).toBeGreaterThan(4 * 1024 * 1024); // more 1 MiB reads than the ring holds
    const fits = await FitsFile.open(path);
    try {
      for (const opts of [{ columns: ['Z'] }, { columns: ['Z', 'TARGETID'], rows: { start: 333, end: 19_001 } }, { columns: ['FLUX_G', 'Z'] }]) {
        const ahead = await withThreshold('0', () => fits.readTable(1, opts));
        const plain = await withThreshold(NEVER, () => fits.readTable(1, opts));
        expect(ahead.numRows).toBe((opts.rows?.end ?? 20_000) - (opts.rows?.start ?? 0));
        expect(ipc(ahead).equals(ipc(plain)), JSON.stringify(opts)).toBe(true);
      }
      truncateSync(path, fits.hdus[1]!.dataOffset + 12_345 * 259 + 100); // the file shrinks after it was opened
      await expect(withThreshold('0', () => fits.readTable(1, { columns: ['Z'] }))).rejects.toThrow(/zcat\.fits: HDU 1: row 12345: truncated table data/);
    } finally {
      await fits.close();
    }
  });
});
