import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError } from '../../lib/errors/index.js';
import { walkHdus } from '../../lib/fits/hdu.js';
import { compressedImageBands, compressedImageShape, readCompressedImage } from '../../lib/fits/compressed/index.js';
import type { FitsImage } from '../../lib/fits/image/fits-image.js';
import { FileSource } from '../../lib/fits/source/file-source.js';
import { MemorySource } from '../../lib/fits/source/memory-source.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';
import { bigEndianSha256 } from '../helpers/images.js';

/** The image summary fits_oracle.py writes for every HDU (see its numeric_summary / image_summary). */
interface ImageSummary {
  dtype: string;
  size: number;
  sum?: number;
  min?: number;
  max?: number;
  nan_count?: number;
  inf_count?: number;
  sum_finite?: number;
  min_finite?: number | string;
  max_finite?: number | string;
  shape_numpy: number[];
  naxis_order: number[];
  first: (number | string)[];
  last: (number | string)[];
  probes_flat_index: Record<string, number | string>;
  sha256_be_bytes: string;
}
interface ExpectedHdu {
  index: number;
  class: string;
  image?: ImageSummary | null;
}
interface ExpectedDoc {
  path: string;
  hdus: ExpectedHdu[];
}

const NUMPY_DTYPE: Record<string, string> = {
  '|u1': 'uint8',
  '|i1': 'int8',
  '<i2': 'int16',
  '<u2': 'uint16',
  '<i4': 'int32',
  '<u4': 'uint32',
  '<i8': 'int64',
  '<u8': 'uint64',
  '<f4': 'float32',
  '<f8': 'float64',
  '>i2': 'int16',
  '>u2': 'uint16',
  '>i4': 'int32',
  '>u4': 'uint32',
  '>f4': 'float32',
  '>f8': 'float64',
};

/** Python's math.fsum: the correctly rounded sum (Shewchuk's exact partials). */
function fsum(values: Iterable<number>): number {
  const partials: number[] = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  // round the partials to one double, as CPython does (half-even at the boundary)
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** A JSON value of the oracle ('NaN', 'Infinity' as strings) as a number. */
function jnum(v: number | string): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}

function pixel(img: FitsImage, i: number): number {
  return Number(img.data[i]!);
}

/** Asserts every field of the oracle's image summary. */
function expectSummary(img: FitsImage, e: ImageSummary, skipSha = false): void {
  expect(img.dtype).toBe(NUMPY_DTYPE[e.dtype]);
  expect(img.data.length).toBe(e.size);
  expect(img.naxis).toEqual(e.naxis_order);
  expect([...img.naxis].reverse()).toEqual(e.shape_numpy);
  const n = img.data.length;
  const values = Array.from({ length: n }, (_, i) => pixel(img, i));
  if (e.sum !== undefined) {
    let s = 0n;
    for (let i = 0; i < n; i++) s += BigInt(img.data[i]!);
    expect(s).toBe(BigInt(e.sum));
    expect(values.reduce((a, b) => Math.min(a, b))).toBe(e.min);
    expect(values.reduce((a, b) => Math.max(a, b))).toBe(e.max);
  }
  if (e.sum_finite !== undefined) {
    const finite = values.filter(Number.isFinite);
    expect(values.filter(Number.isNaN).length).toBe(e.nan_count);
    expect(values.filter((v) => v === Infinity || v === -Infinity).length).toBe(e.inf_count);
    expect(fsum(finite)).toBe(e.sum_finite);
    if (e.min_finite !== undefined) expect(finite.reduce((a, b) => Math.min(a, b))).toBe(jnum(e.min_finite));
    if (e.max_finite !== undefined) expect(finite.reduce((a, b) => Math.max(a, b))).toBe(jnum(e.max_finite));
  }
  expect(values.slice(0, e.first.length)).toEqual(e.first.map(jnum));
  expect(values.slice(n - e.last.length)).toEqual(e.last.map(jnum));
  for (const [k, v] of Object.entries(e.probes_flat_index)) expect(values[Number(k)]).toEqual(jnum(v));
  if (!skipSha) expect(bigEndianSha256(img)).toBe(e.sha256_be_bytes);
}

/** Every (fixture file, compressed HDU, expected summary) the oracle describes. */
function compressedCases(): { label: string; file: string; index: number; image: ImageSummary }[] {
  const dir = join(FIXTURES, 'fits', 'expected');
  const out: { label: string; file: string; index: number; image: ImageSummary }[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ExpectedDoc;
    for (const h of doc.hdus ?? []) {
      if (h.class !== 'CompImageHDU' || !h.image) continue;
      out.push({ label: `${doc.path} HDU ${h.index}`, file: join(FIXTURES, doc.path), index: h.index, image: h.image });
    }
  }
  return out;
}

async function decode(file: string, index: number, options?: { blankToNaN?: boolean }): Promise<FitsImage> {
  const src = await FileSource.open(file);
  try {
    const hdus = await walkHdus(src);
    return await readCompressedImage(src, hdus[index]!, options);
  } finally {
    await src.close();
  }
}

/**
 * astropy 5.2.1 (like cfitsio read with null value 0) does not turn ZBLANK pixels of quantized floats into NaN;
 * skybook does by default, as the standard says. These files hold such pixels: their astropy summary is matched with
 * `blankToNaN: false`, and the default is checked to differ only there.
 */
const FLOAT_ZBLANK_FILES = new Set(['fits/astropy/compressed_with_nan.fits']);

const describeFixtures = HAVE_FIXTURES ? describe : describe.skip;
const skipped = HAVE_FIXTURES ? '' : ` [${NO_FIXTURES_MESSAGE}]`;

describeFixtures(`tile-compressed images match astropy 5.2.1 exactly (sha256 of every pixel)${skipped}`, () => {
  const cases = HAVE_FIXTURES ? compressedCases() : [];

  it('finds the compressed HDUs of the fixture set', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of cases) {
    const rel = c.label.split(' HDU')[0]!;
    it(`${c.label}: ${c.image.dtype} ${c.image.naxis_order.join('x')}`, async () => {
      const img = await decode(c.file, c.index, { blankToNaN: !FLOAT_ZBLANK_FILES.has(rel) });
      expectSummary(img, c.image);
      const src = await FileSource.open(c.file);
      const hdus = await walkHdus(src);
      await src.close();
      expect(compressedImageShape(hdus[c.index]!)).toEqual({ naxis: c.image.naxis_order, dtype: NUMPY_DTYPE[c.image.dtype] });
    });
  }

  it('fits stats reads every compressed fixture band by band: the bands are the image, pixel for pixel', async () => {
    for (const c of cases) {
      const src = await FileSource.open(c.file);
      try {
        const hdu = (await walkHdus(src))[c.index]!;
        const whole = await readCompressedImage(src, hdu);
        let at = 0;
        let bands = 0;
        for await (const band of compressedImageBands(src, hdu)) {
          expect(band.dtype, c.label).toBe(whole.dtype);
          for (let i = 0; i < band.data.length; i++)
            if (!Object.is(band.data[i], whole.data[at + i])) expect(band.data[i], `${c.label} pixel ${at + i}`).toBe(whole.data[at + i]);
          at += band.data.length;
          bands++;
        }
        expect(at, c.label).toBe(whole.data.length);
        expect(bands, c.label).toBeGreaterThanOrEqual(1);
      } finally {
        await src.close();
      }
    }
  });

  it("compressed_with_nan.fits: by default its ZBLANK pixel is NaN and every other pixel is astropy's", async () => {
    const file = join(FIXTURES, 'fits/astropy/compressed_with_nan.fits');
    const compat = await decode(file, 1, { blankToNaN: false });
    const standard = await decode(file, 1);
    const differ: number[] = [];
    for (let i = 0; i < compat.data.length; i++) if (!Object.is(compat.data[i], standard.data[i])) differ.push(i);
    expect(differ).toEqual([13]);
    expect(standard.data[13]).toBeNaN();
    expect(compat.data[13]).toBe(-5.321495532989502);
  });

  it('test_rice_dither2_seed42.fits.fz decodes to exactly the image cfitsio wrote to test_rice_dither2_seed42.fits', async () => {
    const img = await decode(join(FIXTURES, 'fits/fitsio/test_rice_dither2_seed42.fits.fz'), 1);
    const ref = JSON.parse(
      readFileSync(join(FIXTURES, 'fits/expected/fits__fitsio__test_rice_dither2_seed42.fits.json'), 'utf8'),
    ) as ExpectedDoc;
    expect(bigEndianSha256(img)).toBe(ref.hdus[0]!.image!.sha256_be_bytes);
  });
});

/** A whole fixture file in memory, to corrupt. */
function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, 'fits', rel)));
}

/** Where tile `row` (0-based) of COMPRESSED_DATA (column 1, P descriptors) sits in the file. */
async function tileLocation(bytes: Uint8Array, row: number): Promise<{ descriptor: number; start: number; count: number }> {
  const hdus = await walkHdus(new MemorySource(bytes, 'x.fits'));
  const h = hdus[1]!;
  const rowBytes = h.header.int('NAXIS1');
  const heap = h.dataOffset + h.header.int('THEAP', rowBytes * h.header.int('NAXIS2'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const descriptor = h.dataOffset + row * rowBytes;
  return { descriptor, count: view.getInt32(descriptor), start: heap + view.getInt32(descriptor + 4) };
}

async function readAll(bytes: Uint8Array, name = 'corrupt.fits'): Promise<FitsImage> {
  const src = new MemorySource(bytes, name);
  const hdus = await walkHdus(src);
  return readCompressedImage(src, hdus[1]!);
}

describeFixtures(`corrupt tiles fail fast with a FitsError naming file, HDU, column and row${skipped}`, () => {
  for (const name of ['m13_rice', 'm13_gzip', 'm13_plio', 'm13_hcomp']) {
    it(`${name}: a truncated tile`, async () => {
      const bytes = fixtureBytes(`astropy/${name}.fits`);
      const row = name === 'm13_hcomp' ? 0 : 4;
      const loc = await tileLocation(bytes, row);
      new DataView(bytes.buffer).setInt32(loc.descriptor, Math.floor(loc.count / 2));
      const err = await readAll(bytes).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FitsError);
      expect((err as FitsError).location).toMatchObject({ file: 'corrupt.fits', hdu: 1, column: 'COMPRESSED_DATA', row: row + 1 });
      expect((err as Error).message).toMatch(/^corrupt\.fits: HDU 1: column COMPRESSED_DATA: row \d+: /);
    });
  }

  it('a descriptor pointing past the heap', async () => {
    const bytes = fixtureBytes('astropy/m13_rice.fits');
    const loc = await tileLocation(bytes, 7);
    new DataView(bytes.buffer).setInt32(loc.descriptor + 4, 1 << 30);
    await expect(readAll(bytes)).rejects.toThrow(/column COMPRESSED_DATA: row 8: descriptor .* points outside the heap/);
  });

  it('garbage bytes in every tile: each read ends quickly, in a FitsError or in values (never a hang)', async () => {
    for (const name of ['m13_rice', 'm13_gzip', 'm13_plio', 'm13_hcomp', 'comp']) {
      const clean = fixtureBytes(`astropy/${name}.fits`);
      let seed = 12345;
      const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
      for (let trial = 0; trial < 8; trial++) {
        const bytes = clean.slice();
        const first = await tileLocation(bytes, 0);
        const hdus = await walkHdus(new MemorySource(bytes));
        const end = hdus[1]!.dataOffset + hdus[1]!.dataSize;
        // flip bytes all over the heap (trial 0 keeps the HCOMPRESS magic so its decoder runs deeper)
        for (let i = first.start + (trial === 0 ? 2 : 0); i < end; i++) if (rand() < 40) bytes[i] = rand();
        const t0 = performance.now();
        const result = await readAll(bytes).catch((e: unknown) => e);
        expect(performance.now() - t0, `${name} trial ${trial}`).toBeLessThan(2000);
        if (result instanceof Error) {
          expect(result, String(result)).toBeInstanceOf(FitsError);
          expect((result as FitsError).location.column).toBe('COMPRESSED_DATA');
        }
      }
    }
  });
});
