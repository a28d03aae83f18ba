import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  List,
  Int16,
  Int64,
  Schema,
  Table,
  Utf8,
  Bool,
  makeVector,
  vectorFromArray,
  RecordBatch,
  makeData,
  Struct,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpectra } from '../../lib/desi/index.js';
import { readTableRuns, toRuns } from '../../lib/desi/read/index.js';
import { takeRows } from '../../lib/desi/read/take.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { writeFits } from '../../lib/fits/writer/index.js';
import { mockTargetid, writeMockCoadd } from './mock-coadd.js';

const NSPEC = 40;
/** Byte equality of two typed arrays of the same type (vitest's toEqual walks elements one by one: far too slow here). */
const sameBytes = (a: ArrayBufferView | undefined, b: ArrayBufferView | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a.constructor === b.constructor &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
// single rows and short runs of consecutive rows
const PICK = [0, 2, 3, 4, 9, 10, 17, 25, 26, 27, 28, 39];
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skybook-read-rows-'));
  file = join(dir, 'coadd-main-dark-27247.fits');
  await writeMockCoadd(file, NSPEC, 3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSpectra with many TARGETIDs (one read per run straight into the output, one byte swap)', () => {
  it('returns, per arm and row, exactly what lib/fits readImage decodes for that row, and the mock formula', async () => {
    const ids = [...PICK].reverse().map(mockTargetid); // asked in another order: rows come back in file order
    const s = await readSpectra(file, { targetids: ids });
    expect(s.nspec).toBe(PICK.length);
    expect(Array.from(s.targetids)).toEqual(PICK.map(mockTargetid));
    const f = await FitsFile.open(file);
    try {
      for (const b of ['B', 'R', 'Z']) {
        const a = s.arms[b]!;
        const n = a.nwave;
        for (const [k, row] of PICK.entries()) {
          const one = async (what: string) => (await f.readImage(`${b}_${what}`, { rows: { start: row, end: row + 1 } })).data;
          expect(sameBytes(a.flux.subarray(k * n, (k + 1) * n), await one('FLUX'))).toBe(true);
          expect(sameBytes(a.ivar.subarray(k * n, (k + 1) * n), await one('IVAR'))).toBe(true);
          expect(sameBytes(a.mask.subarray(k * n, (k + 1) * n), await one('MASK'))).toBe(true);
          expect(sameBytes(a.resolution!.subarray(k * 11 * n, (k + 1) * 11 * n), await one('RESOLUTION'))).toBe(true);
          // independent of any reader: the values writeMockCoadd put there
          expect(a.flux[k * n + 7]).toBe(Math.fround(row + 7 / 10000));
          expect(a.mask[k * n + 97]).toBe(2 ** 31 + 1);
          expect(a.resolution![(k * 11 + 5) * n]).toBe(0.5);
        }
      }
      const fm = await f.readTable('FIBERMAP');
      for (const name of ['TARGETID', 'COADD_FIBERSTATUS', 'TARGET_RA', 'TARGET_DEC']) {
        expect(Array.from(s.fibermap.getChild(name)!.toArray() as ArrayLike<unknown>)).toEqual(PICK.map((r) => fm.getChild(name)!.get(r)));
      }
      expect(s.fibermap.schema.fields.map((x) => String(x.type))).toEqual(fm.schema.fields.map((x) => String(x.type)));
    } finally {
      await f.close();
    }
  });

  it('gives the same arrays when a worker thread gathers part of them (SKYBOOK_FITS_PARALLEL_BYTES=0)', async () => {
    const ids = PICK.map(mockTargetid);
    const saved = process.env.SKYBOOK_FITS_PARALLEL_BYTES;
    try {
      process.env.SKYBOOK_FITS_PARALLEL_BYTES = String(2 ** 50);
      const one = await readSpectra(file, { targetids: ids });
      process.env.SKYBOOK_FITS_PARALLEL_BYTES = '0';
      const two = await readSpectra(file, { targetids: ids });
      for (const b of ['B', 'R', 'Z']) {
        for (const k of ['flux', 'ivar', 'mask', 'resolution'] as const)
          expect(sameBytes(one.arms[b]![k], two.arms[b]![k]), `${b} ${k}`).toBe(true);
      }
      // a truncated copy is refused when it is opened, before any thread reads (gather's own check: test/fits/gather.test.ts)
      const cut = join(dir, 'cut.fits');
      const whole = readFileSync(file);
      writeFileSync(cut, whole.subarray(0, whole.length - 5 * 2880));
      const err = await readSpectra(cut, { targetids: ids }).catch((e: unknown) => e as Error);
      expect((err as Error).message).toMatch(/cut\.fits: HDU \d+: truncated data/);
    } finally {
      if (saved === undefined) delete process.env.SKYBOOK_FITS_PARALLEL_BYTES;
      else process.env.SKYBOOK_FITS_PARALLEL_BYTES = saved;
    }
  });

  it('reads the same arrays through a non-file source (gzip in memory: one source read per run)', async () => {
    const gz = join(dir, 'coadd-main-dark-27247.fits.gz');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const ids = PICK.map(mockTargetid);
    const plain = await readSpectra(file, { targetids: ids });
    const zipped = await readSpectra(gz, { targetids: ids });
    for (const b of ['B', 'R', 'Z']) {
      expect(zipped.arms[b]!.flux.length).toBe(PICK.length * plain.arms[b]!.nwave);
      expect(sameBytes(zipped.arms[b]!.flux, plain.arms[b]!.flux)).toBe(true);
      expect(sameBytes(zipped.arms[b]!.ivar, plain.arms[b]!.ivar)).toBe(true);
      expect(sameBytes(zipped.arms[b]!.mask, plain.arms[b]!.mask)).toBe(true);
      expect(sameBytes(zipped.arms[b]!.resolution, plain.arms[b]!.resolution)).toBe(true);
    }
  });

  it('readTableRuns: runs < 64 rows apart read as one range and picked, far ones read alone, same rows either way', async () => {
    const path = join(dir, 'table.fits');
    const n = 300;
    const table = new Table({
      TARGETID: makeVector(BigInt64Array.from({ length: n }, (_, i) => mockTargetid(i))),
      NAME: vectorFromArray(
        Array.from({ length: n }, (_, i) => `row${i}`),
        new Utf8(),
      ),
      Z: makeVector(Float64Array.from({ length: n }, (_, i) => i / 8)),
      // a variable-length column: its cells live in the heap, read from the file whatever rows are picked
      V: vectorFromArray(
        Array.from({ length: n }, (_, i) => Array.from({ length: i % 4 }, (_, k) => i + k / 2)),
        new List(new Field('item', new Float64(), true)),
      ),
    });
    await writeFits(path, [{ kind: 'image' }, { kind: 'table', table, name: 'T' }], { overwrite: true });
    const rows = [0, 2, 3, 40, 150, 151, 299]; // groups {0, 2-3, 40}, {150-151}, {299}
    const f = await FitsFile.open(path);
    try {
      const got = await readTableRuns(f, 1, toRuns(rows));
      expect(got.numRows).toBe(rows.length);
      expect(Array.from(got.getChild('TARGETID')!.toArray() as BigInt64Array)).toEqual(rows.map(mockTargetid));
      expect([...got.getChild('NAME')!]).toEqual(rows.map((r) => `row${r}`));
      expect(Array.from(got.getChild('Z')!.toArray() as Float64Array)).toEqual(rows.map((r) => r / 8));
      expect([...got.getChild('V')!].map((c) => Array.from(c as Iterable<number>))).toEqual(
        rows.map((i) => Array.from({ length: i % 4 }, (_, k) => i + k / 2)),
      );
      const one = await f.readTable(1, { rows: { start: 0, end: 1 } });
      expect(got.schema.fields.map((x) => [x.name, String(x.type), [...x.metadata]])).toEqual(
        one.schema.fields.map((x) => [x.name, String(x.type), [...x.metadata]]),
      );
    } finally {
      await f.close();
    }
  });
});

describe('takeRows', () => {
  it('gathers rows in the order given, keeping types, nulls, strings, logicals and field metadata', () => {
    const fields = [
      new Field('ID', new Int64(), false, new Map([['unit', 'none']])),
      new Field('X', new Float64(), true),
      new Field('N', new Int16(), true),
      new Field('NAME', new Utf8(), true),
      new Field('OK', new Bool(), true),
      new Field('V', new FixedSizeList(2, new Field('item', new Float32(), false)), false),
      new Field('BITS', new Float64(), false),
    ];
    const cols = [
      makeVector(BigInt64Array.of(2n ** 60n + 1n, 5n, -7n, 9n)).data[0]!,
      makeVector(Float64Array.of(0.5, NaN, -1.25, 3)).data[0]!,
      vectorFromArray([1, null, 3, 4], new Int16()).data[0]!,
      vectorFromArray(['a', 'bb', null, 'dddd'], new Utf8()).data[0]!,
      vectorFromArray([true, false, null, true], new Bool()).data[0]!,
      vectorFromArray(
        [
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ],
        new FixedSizeList(2, new Field('item', new Float32(), false)),
      ).data[0]!,
      // a NaN with a payload: copied bit for bit, not through a JS number
      makeVector(new Float64Array(BigInt64Array.of(0x7ff8000000000123n, 1n, 2n, 3n).buffer)).data[0]!,
    ];
    const schema = new Schema(fields);
    const t = new Table([new RecordBatch(schema, makeData({ type: new Struct(fields), length: 4, nullCount: 0, children: cols }))]);
    const got = takeRows(t, [3, 0, 2]);
    expect(got.numRows).toBe(3);
    expect(Array.from(got.getChild('ID')!.toArray() as BigInt64Array)).toEqual([9n, 2n ** 60n + 1n, -7n]);
    expect(Array.from(got.getChild('X')!.toArray() as Float64Array)).toEqual([3, 0.5, -1.25]);
    expect([...got.getChild('N')!]).toEqual([4, 1, 3]);
    expect([...got.getChild('NAME')!]).toEqual(['dddd', 'a', null]);
    expect([...got.getChild('OK')!]).toEqual([true, true, null]);
    expect([...got.getChild('V')!].map((x) => Array.from(x as Iterable<number>))).toEqual([
      [7, 8],
      [1, 2],
      [5, 6],
    ]);
    const bits = got.getChild('BITS')!.toArray() as Float64Array;
    expect(Array.from(new BigInt64Array(bits.buffer, bits.byteOffset, 3))).toEqual([3n, 0x7ff8000000000123n, 2n]);
    expect(got.getChild('NAME')!.nullCount).toBe(1);
    // two record batches: every column takes the value-by-value path, with the same result
    const twice = takeRows(new Table([t.batches[0]!, t.batches[0]!]), [7, 0, 6]);
    for (const f of fields)
      expect(
        JSON.stringify([...twice.getChild(f.name)!], (_k, x) => (typeof x === 'bigint' ? String(x) : x)),
        f.name,
      ).toBe(JSON.stringify([...got.getChild(f.name)!], (_k, x) => (typeof x === 'bigint' ? String(x) : x)));
    expect(got.schema.fields[0]!.metadata.get('unit')).toBe('none');
    expect(got.schema.fields.map((f) => String(f.type))).toEqual(fields.map((f) => String(f.type)));
  });
});
