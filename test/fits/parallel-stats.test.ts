/**
 * `fits stats` with its columns split over two threads against one thread doing them all: the same JSON to the byte,
 * for every corpus file and for a multi-chunk table of every column kind, with checksum verdicts, and no warning.
 * Worker threads run compiled JavaScript, so the two-thread side is the built package (`dist/`, built before the tests);
 * the one-thread side is the source, where the worker script does not exist and the scan stays on one thread.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  List,
  Struct,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../../lib/cli/output.js';
import { describeColumns } from '../../lib/fits/bintable/columns.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { splitColumns } from '../../lib/fits/stats/parallel-scan.js';
import { fitsStats } from '../../lib/fits/stats/hdu-stats.js';
import { writeFits } from '../../lib/fits/writer/index.js';
import { ROOT } from '../helpers/cli.js';
import { expectedFiles, HAVE_FIXTURES } from '../helpers/fixtures.js';
import { mulberry32 } from '../helpers/prng.js';

const DIST = resolve(ROOT, 'dist/lib/fits');
const built = {
  fits: (await import(pathToFileURL(join(DIST, 'fits-file.js')).href)) as typeof import('../../lib/fits/fits-file.js'),
  stats: (await import(pathToFileURL(join(DIST, 'stats/hdu-stats.js')).href)) as typeof import('../../lib/fits/stats/hdu-stats.js'),
  scan: (await import(pathToFileURL(join(DIST, 'stats/parallel-scan.js')).href)) as typeof import('../../lib/fits/stats/parallel-scan.js'),
};

const dir = mkdtempSync(join(tmpdir(), 'skybook-parallel-'));
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.message);
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  process.env.SKYBOOK_FITS_PARALLEL_BYTES = '0'; // two threads for any local table
  process.on('warning', onWarning);
});
afterAll(() => {
  if (saved === undefined) delete process.env.SKYBOOK_FITS_PARALLEL_BYTES;
  else process.env.SKYBOOK_FITS_PARALLEL_BYTES = saved;
  process.off('warning', onWarning);
  rmSync(dir, { recursive: true, force: true });
});

/** Every column kind the statistics handle, with nulls, NaNs and infinities, over several 128 KiB chunks of rows. */
function everyKindTable(rows: number): Table {
  const r = mulberry32(7);
  const item = (t: DataType) => new Field('item', t, true);
  const maybe = <T>(v: T, p = 0.05): T | null => (r() < p ? null : v);
  const float = () => (r() < 0.01 ? NaN : r() < 0.005 ? -Infinity : (r() - 0.5) * 10 ** Math.floor(r() * 12));
  const n = (f: (i: number) => unknown) => Array.from({ length: rows }, (_, i) => f(i));
  const complex = (t: Float32 | Float64) => new Struct([new Field('re', t, false), new Field('im', t, false)]);
  return new Table({
    ID: vectorFromArray(
      n((i) => 2n ** 60n + BigInt(i) * 7919n),
      new Int64(),
    ),
    FLAG: vectorFromArray(
      n(() => maybe(r() < 0.3)),
      new Bool(),
    ),
    NAME: vectorFromArray(
      n((i) => `obj${i % 977}`.padEnd(1 + (i % 9), '_')),
      new Utf8(),
    ),
    SHORT: vectorFromArray(
      n(() => maybe(Math.floor(r() * 65536) - 32768)),
      new Int16(),
    ),
    U16: vectorFromArray(
      n(() => Math.floor(r() * 65536)),
      new Uint16(),
    ),
    J: vectorFromArray(
      n(() => maybe(Math.floor(r() * 2 ** 32) - 2 ** 31)),
      new Int32(),
    ),
    U32: vectorFromArray(
      n(() => Math.floor(r() * 2 ** 32)),
      new Uint32(),
    ),
    U64: vectorFromArray(
      n(() => BigInt(Math.floor(r() * 2 ** 52)) * 4099n),
      new Uint64(),
    ),
    F32: vectorFromArray(n(float), new Float32()),
    F64: vectorFromArray(n(float), new Float64()),
    VEC: vectorFromArray(
      n(() => [float(), float(), float(), float(), float()]),
      new FixedSizeList(5, item(new Float64())),
    ),
    C64: vectorFromArray(
      n(() => ({ re: float(), im: float() })),
      complex(new Float32()),
    ),
    C128: vectorFromArray(
      n(() => ({ re: float(), im: float() })),
      complex(new Float64()),
    ),
    VLA: vectorFromArray(
      n((i) => (i % 5 === 0 ? [] : [float(), i, -i])),
      new List(item(new Float64())),
    ),
    VLAJ: vectorFromArray(
      n((i) => Array.from({ length: i % 4 }, () => maybe(i))),
      new List(item(new Int32())),
    ),
  });
}

async function oneThread(path: string): Promise<string> {
  const fits = await FitsFile.open(path);
  try {
    return toJson(await fitsStats(fits));
  } finally {
    await fits.close();
  }
}

async function twoThreads(path: string): Promise<string> {
  const fits = await built.fits.FitsFile.open(path);
  try {
    return toJson(await built.stats.fitsStats(fits));
  } finally {
    await fits.close();
  }
}

describe('fits stats on two threads', () => {
  it('the built package has the worker script (else the scan would quietly stay on one thread)', () => {
    expect(existsSync(join(DIST, 'stats/stats-worker.js'))).toBe(true);
  });

  it('splits the columns and the checksum into two parts, each column in exactly one', () => {
    const path = join(dir, 'split.fits');
    return writeFits(path, [{ kind: 'table', table: everyKindTable(10), name: 'T' }], { overwrite: true }).then(async () => {
      const fits = await FitsFile.open(path);
      const cols = describeColumns(fits.hdus[1]!.header);
      await fits.close();
      const [a, b] = splitColumns(cols, true, 100);
      expect([...a.columns, ...b.columns].sort((x, y) => x - y)).toEqual(cols.map((_, i) => i));
      expect(Number(a.sum) + Number(b.sum)).toBe(1);
      expect(a.columns.length).toBeGreaterThan(0);
      expect(b.columns.length).toBeGreaterThan(0);
    });
  });

  it('gives the same JSON to the byte on a 40,000-row table of every column kind, checksums included', async () => {
    const path = join(dir, 'every-kind.fits');
    await writeFits(path, [{ kind: 'table', table: everyKindTable(40_000), name: 'EVERY' }], { overwrite: true });
    const fits = await built.fits.FitsFile.open(path);
    try {
      const hdu = fits.hdus[1]!;
      const scan = await built.scan.scanAllColumns(fits.source, hdu, describeColumns(hdu.header), true);
      expect(scan.threads).toBe(2);
      expect(hdu.header.int('NAXIS1') * 40_000).toBeGreaterThan(4 * 128 * 1024); // several chunks per thread
    } finally {
      await fits.close();
    }
    const two = await twoThreads(path);
    expect(two).toBe(await oneThread(path));
    const doc = JSON.parse(two);
    expect([doc.hdus[1].checksum, doc.hdus[1].datasum]).toEqual(['ok', 'ok']);
    expect(doc.hdus[1].table.columns.find((c: { name: string }) => c.name === 'F64').nanCount).toBeGreaterThan(0);

    // a flipped byte in the rows: both see a bad DATASUM and the same changed figures
    const bytes = readFileSync(path);
    bytes[fits.hdus[1]!.dataOffset + 12345] ^= 0x10;
    const bad = join(dir, 'every-kind-bad.fits');
    writeFileSync(bad, bytes);
    const badTwo = await twoThreads(bad);
    expect(badTwo).toBe(await oneThread(bad));
    expect(JSON.parse(badTwo).hdus[1].datasum).toBe('bad');
    expect(warnings).toEqual([]);
  });

  it.skipIf(!HAVE_FIXTURES)('gives the same JSON to the byte for every corpus file', async () => {
    const files = [...new Set(expectedFiles().map((e) => e.file))].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(await twoThreads(f), f).toBe(await oneThread(f));
    expect(warnings).toEqual([]);
  });
});
