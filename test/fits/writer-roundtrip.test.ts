import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bool,
  DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../lib/fits/fits-file.js';
import type { ImageArray } from '../../lib/fits/image/fits-image.js';
import { writeFits } from '../../lib/fits/writer/index.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const item = (t: DataType) => new Field('item', t, true);
const complex = (t: Float32 | Float64) => new Struct([new Field('re', t, false), new Field('im', t, false)]);

/** Plain JS values for comparison: bigints kept, vectors as arrays, complex structs as {re, im}. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && v !== null && Symbol.iterator in v && !(typeof v === 'string')) return [...(v as Vector)].map(plain);
  if (typeof v === 'object') {
    const row = v as { re: unknown; im: unknown };
    return { re: plain(row.re), im: plain(row.im) };
  }
  return v;
}

/**
 * What FITS can say about a value: strings lose trailing blanks and nulls (''), a null fixed-size cell becomes null
 * elements, a null list an empty one, float nulls NaN, complex nulls NaN + NaN i.
 */
function fitsView(v: unknown, type: DataType): unknown {
  if (DataType.isFixedSizeList(type)) {
    const inner = type.children[0]!.type;
    const items = v === null ? new Array<null>(type.listSize).fill(null) : [...(v as Vector)];
    return items.map((x) => fitsView(x, inner));
  }
  if (DataType.isList(type)) return v === null ? [] : [...(v as Vector)].map((x) => fitsView(x, type.children[0]!.type));
  if (DataType.isStruct(type)) return v === null ? { re: NaN, im: NaN } : plain(v);
  if (DataType.isUtf8(type)) return ((v as string | null) ?? '').replace(/ +$/, '');
  if (DataType.isFloat(type)) return v === null ? NaN : v;
  return v;
}

function roundTripTable(): Table {
  const big = 2n ** 53n + 1n;
  return new Table({
    bool: vectorFromArray([true, false, null, true], new Bool()),
    i8: vectorFromArray([-128, 127, null, 0], new Int8()),
    u8: vectorFromArray([0, 255, 7, null], new Uint8()),
    i16: vectorFromArray([-32768, 32767, null, 1], new Int16()),
    u16: vectorFromArray([0, 65535, null, 2], new Uint16()),
    i32: vectorFromArray([-2147483648, 2147483647, null, 3], new Int32()),
    u32: vectorFromArray([0, 4294967295, 4, null], new Uint32()),
    i64: vectorFromArray([-(2n ** 63n) + 1n, 2n ** 63n - 1n, big, null], new Int64()),
    u64: vectorFromArray([0n, 2n ** 64n - 1n, null, big], new Uint64()),
    f32: vectorFromArray([1.5, -0, null, Number.NaN], new Float32()),
    f64: vectorFromArray([Math.PI, 1e300, null, -5e-324], new Float64()),
    str: vectorFromArray(["it's", '', null, 'x'.repeat(40)], new Utf8()),
    vec3: vectorFromArray([[1, 2, 3], [4, null, 6], null, [7, 8, 9]], new FixedSizeList(3, item(new Float32()))),
    ivec2: vectorFromArray(
      [
        [1n, null],
        [2n ** 62n, 5n],
        [0n, 0n],
        [-1n, -2n],
      ],
      new FixedSizeList(2, item(new Int64())),
    ),
    img23: vectorFromArray(
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8, 9],
          [10, 11, 12],
        ],
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        [
          [-1, -2, -3],
          [-4, -5, -6],
        ],
      ],
      new FixedSizeList(2, item(new FixedSizeList(3, item(new Int16())))),
    ),
    c64: vectorFromArray([{ re: 1, im: -1 }, { re: 0.5, im: 2 }, null, { re: 3, im: 4 }], complex(new Float32())),
    c128: vectorFromArray([{ re: Math.E, im: -1 }, { re: 0, im: 1e-300 }, { re: 5, im: 6 }, null], complex(new Float64())),
    vlaF: vectorFromArray([[1, 2], [], null, [3, 4, 5, 6.5]], new List(item(new Float64()))),
    vlaJ: vectorFromArray([[1], [2, null, 3], [], [2147483647]], new List(item(new Int32()))),
    vlaU16: vectorFromArray([[0, 65535], [1], [], [2, 3]], new List(item(new Uint16()))),
    vlaB: vectorFromArray([[true], [false, true], [], null], new List(item(new Bool()))),
  });
}

describe('read(write(x)) through FitsFile', () => {
  it.each([
    ['whole', (t: Table) => t],
    ['sliced (Arrow offsets)', (t: Table) => t.slice(1, 4)],
    ['in two batches', (t: Table) => new Table([...t.slice(0, 1).batches, ...t.slice(1).batches])],
  ])('gives back every column with its type and values: %s table', async (_label, shape) => {
    const x = shape(roundTripTable());
    const path = join(dir, 'rt.fits');
    await writeFits(path, [{ kind: 'table', table: x, name: 'RT' }], { overwrite: true });
    const fits = await FitsFile.open(path);
    try {
      expect(await fits.verify('RT')).toEqual({ checksum: 'ok', datasum: 'ok' });
      const y = await fits.readTable('RT');
      expect(y.numRows).toBe(x.numRows);
      expect(y.schema.fields.map((f) => f.name)).toEqual(x.schema.fields.map((f) => f.name));
      for (const field of x.schema.fields) {
        const got = y.getChild(field.name)!;
        expect(String(got.type), field.name).toBe(String(field.type));
        const want = [...x.getChild(field.name)!].map((v) => fitsView(v, field.type));
        expect([...got].map(plain), field.name).toEqual(want);
      }
    } finally {
      await fits.close();
    }
  });

  it('gives back images of every dtype with naxis in FITS order', async () => {
    const images: [string, ImageArray][] = [
      ['uint8', new Uint8Array([0, 1, 128, 255, 7, 9])],
      ['int8', new Int8Array([-128, -1, 0, 1, 127, 5])],
      ['int16', new Int16Array([-32768, -1, 0, 1, 32767, 5])],
      ['uint16', new Uint16Array([0, 1, 32768, 65535, 7, 9])],
      ['int32', new Int32Array([-2147483648, -1, 0, 1, 2147483647, 5])],
      ['uint32', new Uint32Array([0, 1, 2147483648, 4294967295, 7, 9])],
      ['int64', new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 5n])],
      ['uint64', new BigUint64Array([0n, 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 53n + 1n, 9n])],
      ['float32', new Float32Array([1.5, -0, Number.NaN, Infinity, 1e-40, 3.4e38])],
      ['float64', new Float64Array([Math.PI, -0, Number.NaN, -Infinity, 5e-324, 1.7976931348623157e308])],
    ];
    const path = join(dir, 'img.fits');
    await writeFits(
      path,
      images.map(([name, data]) => ({ kind: 'image' as const, data, naxis: [3, 2], name: name.toUpperCase() })),
    );
    const fits = await FitsFile.open(path);
    try {
      for (const [i, [dtype, data]] of images.entries()) {
        const img = await fits.readImage(i);
        expect(img.dtype, dtype).toBe(dtype);
        expect(img.naxis).toEqual([3, 2]);
        expect(img.data.constructor).toBe(data.constructor);
        expect([...img.data], dtype).toEqual([...data]);
      }
    } finally {
      await fits.close();
    }
  });

  it('keeps units, display formats and EXTNAME from Arrow metadata', async () => {
    const t = new Table({ v: vectorFromArray([1.5, 2.5], new Float64()) });
    const schema = new Schema(
      [
        new Field(
          'v',
          new Float64(),
          true,
          new Map([
            ['fits.TUNIT', 'km/s'],
            ['fits.TDISP', 'F8.3'],
          ]),
        ),
      ],
      new Map([['fits.EXTNAME', 'SPEEDS']]),
    );
    const path = join(dir, 'meta.fits');
    await writeFits(path, [
      {
        kind: 'table',
        table: new Table(
          schema,
          t.batches.map((b) => new RecordBatch(schema, b.data)),
        ),
      },
    ]);
    const fits = await FitsFile.open(path);
    try {
      const y = await fits.readTable('SPEEDS');
      const f = y.schema.fields[0]!;
      expect(f.metadata.get('fits.TUNIT')).toBe('km/s');
      expect(f.metadata.get('fits.TDISP')).toBe('F8.3');
      expect([...y.getChild('v')!]).toEqual([1.5, 2.5]);
    } finally {
      await fits.close();
    }
  });
});
