import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { readTable } from '../../lib/fits/bintable/read-table.js';
import type { ByteSource } from '../../lib/fits/source/byte-source.js';
import { mappedAddon } from '../../lib/fits/source/mapped/native.js';
import { writeZcatFile } from '../helpers/zcat-file.js';
import { findNodeHeaders } from '../../scripts/build-native.js';
import { expectedFiles, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-mapped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function haveCompiler(): boolean {
  try {
    execFileSync(process.env.CXX ?? 'g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The same source without the memory-map path: what readTable does where the addon is not built. */
function positionalOnly(src: ByteSource): ByteSource {
  return {
    name: src.name,
    size: src.size,
    read: (o, n) => src.read(o, n),
    readIntoSync: src.readIntoSync?.bind(src),
    close: async () => {},
  };
}

/** The source, counting the packed gathers readTable makes through it. */
function counting(src: ByteSource): { src: ByteSource; gathers: () => number } {
  let n = 0;
  const gather = src.gatherRowsSync!.bind(src);
  return {
    src: {
      ...positionalOnly(src),
      gatherRowsSync: (...a) => {
        n++;
        return gather(...a);
      },
    },
    gathers: () => n,
  };
}

function ipc(t: Table): Buffer {
  return Buffer.from(tableToIPC(t, 'file'));
}

const addon = mappedAddon();

describe('the memory-map addon (lib/fits/source/mapped)', () => {
  it('is built by npm run build wherever a C++ compiler and Node headers are (as here and in CI)', () => {
    if (findNodeHeaders() && haveCompiler() && process.env.SKYBOOK_MMAP !== '0') expect(addon).not.toBeNull();
    else expect(addon).toBeNull();
  });

  it.runIf(addon)('copies fields of rows as packed rows, on one thread and on four', () => {
    const rowBytes = 100;
    const rows = 20_000;
    const bytes = new Uint8Array(rowBytes * rows);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
    const path = join(dir, 'rows.bin');
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      const m = addon!.map(fd, bytes.length)!;
      const fields = Int32Array.from([3, 8, 50, 1, 90, 10]);
      const expected = new Uint8Array(rows * 19);
      for (let r = 0; r < rows; r++) {
        expected.set(bytes.subarray(r * rowBytes + 3, r * rowBytes + 11), r * 19);
        expected[r * 19 + 8] = bytes[r * rowBytes + 50]!;
        expected.set(bytes.subarray(r * rowBytes + 90, r * rowBytes + 100), r * 19 + 9);
      }
      for (const threads of [1, 4]) {
        const dest = new Uint8Array(rows * 19);
        expect(addon!.gatherRows(m, 0, rowBytes, rows, fields, dest, threads)).toBe(rows);
        expect(Buffer.from(dest).equals(Buffer.from(expected))).toBe(true);
      }
      // from a row in the middle, one 8-byte field (the fixed-size fast path)
      const one = new Uint8Array(100 * 8);
      expect(addon!.gatherRows(m, 500 * rowBytes, rowBytes, 100, Int32Array.from([3, 8]), one, 1)).toBe(100);
      expect(Buffer.from(one.subarray(0, 8)).equals(Buffer.from(bytes.subarray(500 * rowBytes + 3, 500 * rowBytes + 11)))).toBe(true);
      expect(() => addon!.gatherRows(m, 0, rowBytes, rows + 1, fields, new Uint8Array((rows + 1) * 19), 1)).toThrow(
        /past the mapped range/,
      );
      expect(() => addon!.gatherRows(m, 0, rowBytes, 10, Int32Array.from([95, 8]), new Uint8Array(80), 1)).toThrow(/outside the row/);
      expect(() => addon!.gatherRows(m, 0, rowBytes, 10, fields, new Uint8Array(10), 1)).toThrow(/destination too small/);
      addon!.unmap(m);
      expect(() => addon!.gatherRows(m, 0, rowBytes, 1, fields, new Uint8Array(19), 1)).toThrow(/open mapping/);
      expect(addon!.map(fd, bytes.length + 1)).toBeNull(); // longer than the file
    } finally {
      closeSync(fd);
    }
  });

  it.runIf(addon)('survives a file truncated under its mapping: counts the rows that still end within the file (SIGBUS guarded)', () => {
    const rowBytes = 100;
    const rows = 40_000;
    const path = join(dir, 'shrinking.bin');
    writeFileSync(path, new Uint8Array(rowBytes * rows).fill(0x5a));
    const fd = openSync(path, 'r');
    try {
      const m = addon!.map(fd, rowBytes * rows)!;
      const dest = new Uint8Array(rows * 8);
      expect(addon!.gatherRows(m, 0, rowBytes, rows, Int32Array.from([0, 8]), dest, 1)).toBe(rows);
      // cut inside a page and inside a row: row 12,345 is the first that no longer ends within the file
      truncateSync(path, 12_345 * rowBytes + 37);
      for (const threads of [1, 2, 4]) {
        dest.fill(0);
        expect(addon!.gatherRows(m, 0, rowBytes, rows, Int32Array.from([0, 8]), dest, threads)).toBe(12_345);
        expect(dest.subarray(0, 12_345 * 8).every((b) => b === 0x5a)).toBe(true);
      }
      // rows that start past the end count none
      expect(addon!.gatherRows(m, 20_000 * rowBytes, rowBytes, 100, Int32Array.from([0, 8]), dest, 1)).toBe(0);
      addon!.unmap(m);
    } finally {
      closeSync(fd);
    }
  });
});

describe.runIf(addon)('gatherRanges: byte ranges into native-order arrays on native threads', () => {
  it('reads and swaps ranges of words of 1, 2, 4 and 8 bytes (4 with the sign flip), with and without this thread joining in', async () => {
    const size = 6 << 20;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
    const path = join(dir, 'ranges.bin');
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      // job 0: two ranges of int32 with the sign flip; job 1: one 3 MiB range of float64 (several pieces); job 2: bytes; job 3: int16
      const ranges = Float64Array.from([8, 4000, 100_000, 12, 1 << 20, 3 << 20, 77, 5, 4096, 2048]);
      const jobs = Int32Array.from([0, 2, 4, 1, 2, 1, 8, 0, 3, 1, 1, 0, 4, 1, 2, 0]);
      const b = Buffer.from(bytes.buffer);
      for (const [threads, help] of [
        [2, false],
        [1, true],
        [4, true],
      ] as const) {
        const dests = [new ArrayBuffer(4012), ...addon!.freshArrayBuffers([3 << 20, 5]), new ArrayBuffer(2048)];
        expect(dests.map((d) => d.byteLength)).toEqual([4012, 3 << 20, 5, 2048]);
        const g = addon!.gatherRanges(fd, ranges, jobs, dests, threads);
        if (help) addon!.helpGather(g.handle);
        expect(await g.done).toBe(-1);
        const i32 = new Uint32Array(dests[0]!);
        expect(i32[0]).toBe((b.readUInt32BE(8) ^ 0x80000000) >>> 0);
        expect(i32[1000]).toBe((b.readUInt32BE(100_000) ^ 0x80000000) >>> 0);
        const f64 = new BigUint64Array(dests[1]!);
        for (const k of [0, 1, 131_071, 131_072, 393_215]) expect(f64[k]).toBe(b.readBigUInt64BE((1 << 20) + 8 * k));
        expect(Array.from(new Uint8Array(dests[2]!))).toEqual(Array.from(bytes.subarray(77, 82)));
        expect(new Uint16Array(dests[3]!)[1023]).toBe(b.readUInt16BE(4096 + 2046));
      }
      expect(() => addon!.gatherRanges(fd, Float64Array.from([0, 6]), Int32Array.from([0, 1, 4, 0]), [new ArrayBuffer(8)], 1)).toThrow(
        /splits a value/,
      );
      expect(() => addon!.gatherRanges(fd, Float64Array.from([0, 8]), Int32Array.from([0, 1, 4, 0]), [new ArrayBuffer(4)], 1)).toThrow(
        /destination too small/,
      );
      // the file ends inside job 1's range: job 1, not job 0 or 2 (which are whole), is named
      truncateSync(path, 2 << 20);
      for (const help of [false, true]) {
        const g = addon!.gatherRanges(
          fd,
          Float64Array.from([0, 4096, (2 << 20) - 4096, 1 << 20, 8192, 4096]),
          Int32Array.from([0, 1, 4, 0, 1, 1, 4, 0, 2, 1, 4, 0]),
          [new ArrayBuffer(4096), new ArrayBuffer(1 << 20), new ArrayBuffer(4096)],
          2,
        );
        if (help) addon!.helpGather(g.handle);
        expect(await g.done).toBe(1);
      }
    } finally {
      closeSync(fd);
    }
  });
});

describe.runIf(addon)('freshArrayBuffers', () => {
  it('gives zeroed, writable buffers of the lengths asked that survive cloning and posting to a worker (copied there)', async () => {
    const [a, b, empty] = addon!.freshArrayBuffers([8 << 20, 1000, 0]);
    expect([a!.byteLength, b!.byteLength, empty!.byteLength]).toEqual([8 << 20, 1000, 0]);
    const f = new Float32Array(a!);
    expect(f[123_456]).toBe(0);
    f[3] = 7.5;
    expect(new Float32Array(structuredClone(a!))[3]).toBe(7.5);
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(
      "require('node:worker_threads').parentPort.on('message', (m) => { const x = new Float32Array(m); x[4] = x[3] * 2; require('node:worker_threads').parentPort.postMessage(m); })",
      { eval: true },
    );
    try {
      const back = new Promise<ArrayBuffer>((resolve) => w.once('message', resolve));
      w.postMessage(a, [a!]);
      expect(new Float32Array(await back)[4]).toBe(15);
    } finally {
      await w.terminate();
    }
    expect(() => addon!.freshArrayBuffers([-1])).toThrow(/lengths/);
  });
});

describe.runIf(addon)('readTable through the memory map equals readTable through positional reads', () => {
  it('zcatalog-like table: each column, pairs, a name twice; row ranges, an empty range, small chunks', async () => {
    const { ZCATALOG_SCHEMA } = await import('../../bench/fits-read/zcatalog.js');
    const path = await writeZcatFile(dir, 'zcat.fits', 30_001, 9);
    const fits = await FitsFile.open(path);
    try {
      const hdu = fits.hdus[1]!;
      const names = ZCATALOG_SCHEMA.fields.map((f) => f.name);
      const { src, gathers } = counting(fits.source);
      const plain = positionalOnly(fits.source);
      const selections = [...names.map((n) => [n]), ['Z', 'TARGETID'], ['ZERR', 'Z', 'SPECTYPE'], ['Z', 'Z']];
      for (const columns of selections) {
        for (const opts of [{}, { rows: { start: 7, end: 29_993 }, chunkBytes: 1000 }, { rows: { start: 100, end: 100 } }]) {
          const a = await readTable(src, hdu, { columns, ...opts });
          const b = await readTable(plain, hdu, { columns, ...opts });
          expect(ipc(a).equals(ipc(b)), `${columns.join(',')} ${JSON.stringify(opts)}`).toBe(true);
        }
      }
      expect(gathers()).toBeGreaterThan(selections.length);
      // every column at once is wider than half a row: whole rows, no gather
      const before = gathers();
      await readTable(src, hdu, {});
      expect(gathers()).toBe(before);
    } finally {
      await fits.close();
    }
  });

  if (!HAVE_FIXTURES) it.skip(NO_FIXTURES_MESSAGE, () => {});
  it.runIf(HAVE_FIXTURES)('every column of every table in ../shared/fixtures, one at a time', async () => {
    let tables = 0;
    let gathered = 0;
    for (const { file } of expectedFiles()) {
      if (!/\.fits$/.test(file)) continue;
      let fits: FitsFile;
      try {
        fits = await FitsFile.open(file);
      } catch {
        continue; // the corpus's deliberately broken files are the corpus test's business
      }
      try {
        for (const hdu of fits.hdus) {
          if (hdu.type !== 'BINTABLE') continue;
          tables++;
          const { src, gathers } = counting(fits.source);
          const plain = positionalOnly(fits.source);
          let names: string[];
          try {
            names = (await readTable(plain, hdu, { rows: { end: 0 } })).schema.fields.map((f) => f.name);
          } catch {
            continue;
          }
          for (const name of names) {
            // the same bytes of Arrow IPC, or the same error
            const outcome = (t: Promise<Table>) =>
              t.then(
                (x) => ipc(x).toString('base64'),
                (e: Error) => `error: ${e.message}`,
              );
            expect(await outcome(readTable(src, hdu, { columns: [name] })), `${file} HDU ${hdu.index} ${name}`).toBe(
              await outcome(readTable(plain, hdu, { columns: [name] })),
            );
          }
          gathered += gathers();
        }
      } finally {
        await fits.close();
      }
    }
    expect(tables).toBeGreaterThan(5);
    expect(gathered).toBeGreaterThan(0);
  });
});
