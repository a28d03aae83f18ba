import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FitsError } from '../../lib/errors/index.js';
import { compressedImageBands, readCompressedImage } from '../../lib/fits/compressed/index.js';
import { FitsFile } from '../../lib/fits/index.js';
import { MemorySource } from '../../lib/fits/source/memory-source.js';
import { block, card, concat, padData, PRIMARY, tiledImage, tinyTable } from '../helpers/tiny-fits.js';

// Issue 13: what a file declares is checked before anything is allocated for it (the memory budget,
// SKYBOOK_MAX_MEMORY), and a tile table is checked as a whole before any tile is decoded.

const saved = process.env.SKYBOOK_MAX_MEMORY;
afterEach(() => {
  if (saved === undefined) delete process.env.SKYBOOK_MAX_MEMORY;
  else process.env.SKYBOOK_MAX_MEMORY = saved;
});

const open = (bytes: Uint8Array, name = 'mem.fits') => FitsFile.open(new MemorySource(bytes, name));

/** An 11 x 9 int16 image in 5 x 4 tiles (3 x 3 of them, cut at the edges), pixel (x, y) = x + 100 y, GZIP_1. */
function tiled11x9(): { bytes: Uint8Array; pixels: Int16Array } {
  const naxis = [11, 9];
  const tile = [5, 4];
  const pixels = new Int16Array(99).map((_, i) => (i % 11) + 100 * Math.floor(i / 11));
  const tiles: Uint8Array[] = [];
  for (let ty = 0; ty < 3; ty++)
    for (let tx = 0; tx < 3; tx++) {
      const values: number[] = [];
      for (let y = ty * 4; y < Math.min(9, ty * 4 + 4); y++)
        for (let x = tx * 5; x < Math.min(11, tx * 5 + 5); x++) values.push(x + 100 * y);
      const raw = Buffer.alloc(2 * values.length);
      values.forEach((v, i) => raw.writeInt16BE(v, 2 * i));
      tiles.push(gzipSync(raw));
    }
  let at = 0;
  const descriptors = tiles.map((t): [number, number] => [t.length, (at += t.length) - t.length]);
  return { bytes: tiledImage({ zbitpix: 16, naxis, tile, heap: concat(...tiles), descriptors }), pixels };
}

describe('compressed images: bands of tiles', () => {
  it('the bands fits stats reads are the image, in storage order, for tiles cut at both edges', async () => {
    const { bytes, pixels } = tiled11x9();
    const fits = await open(bytes);
    const whole = await readCompressedImage(fits.source, fits.hdus[1]!);
    expect([...whole.data]).toEqual([...pixels]);
    const bands: number[] = [];
    for await (const b of compressedImageBands(fits.source, fits.hdus[1]!)) bands.push(...(b.data as Int16Array));
    expect(bands).toEqual([...pixels]);
    const { fitsStats } = await import('../../lib/fits/index.js');
    const doc = await fitsStats(fits, { hdu: 1, progress: false });
    expect(doc.hdus[0]!.image).toMatchObject({
      naxis: [11, 9],
      dtype: 'int16',
      count: 99,
      min: 0,
      max: 810,
      sum: pixels.reduce((a, b) => a + b, 0),
    });
  });
});

describe('compressed images: the tile table is checked before decoding', () => {
  const where = 'mem.fits: HDU 1: column COMPRESSED_DATA';

  it('tiles sharing heap bytes: a decompression bomb, named by the first two tiles that share', async () => {
    const one = gzipSync(Buffer.alloc(2 * 100));
    const descriptors: [number, number][] = Array.from({ length: 50 }, () => [one.length, 0]);
    const fits = await open(tiledImage({ zbitpix: 16, naxis: [100, 50], tile: [100, 1], heap: one, descriptors }));
    const e = await fits.readImage(1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FitsError);
    expect((e as Error).message).toBe(
      `${where}: row 2: tiles 1 and 2 point at the same heap bytes (from heap offset 0), and 49 tiles in all share another's: ` +
        `the table declares 9.8 KiB of pixels (100 x 50 int16) from ${one.length} bytes of tile data, a decompression bomb ` +
        '(cfitsio and astropy never share tile data)',
    );
  });

  it('tiles that overlap only in part are caught too; tiles side by side are not', async () => {
    const a = gzipSync(Buffer.alloc(200, 1));
    const heap = concat(a, a);
    const ok = await open(
      tiledImage({
        zbitpix: 16,
        naxis: [100, 2],
        tile: [100, 1],
        heap,
        descriptors: [
          [a.length, a.length],
          [a.length, 0],
        ],
      }),
    );
    expect((await ok.readImage(1)).data.length).toBe(200);
    const bad = await open(
      tiledImage({
        zbitpix: 16,
        naxis: [100, 2],
        tile: [100, 1],
        heap,
        descriptors: [
          [a.length, 0],
          [a.length, a.length - 1],
        ],
      }),
    );
    await expect(bad.readImage(1)).rejects.toThrow(
      `${where}: row 2: tiles 1 and 2 point at the same heap bytes (from heap offset ${a.length - 1})`,
    );
  });

  it('a descriptor past the heap is refused before any tile is decoded, naming its row', async () => {
    const a = gzipSync(Buffer.alloc(200));
    const fits = await open(
      tiledImage({
        zbitpix: 16,
        naxis: [100, 2],
        tile: [100, 1],
        heap: a,
        descriptors: [
          [a.length, 0],
          [a.length, 50],
        ],
      }),
    );
    await expect(fits.readImage(1)).rejects.toThrow(
      `${where}: row 2: descriptor (${a.length} elements at heap offset 50) points outside the heap`,
    );
  });

  it.each([
    ['GZIP_1', 5, 10_000_000, 'at least 9690'],
    ['RICE_1', 5, 1000, 'at least 20'],
    ['NOCOMPRESS', 10, 100, 'at least 100'],
  ])('a %s tile of %i bytes for %i pixels is more than it can expand to', async (cmptype, size, pixels, least) => {
    const heap = new Uint8Array(size);
    const fits = await open(tiledImage({ zbitpix: 16, naxis: [pixels], tile: [pixels], heap, descriptors: [[size, 0]], cmptype }));
    await expect(fits.readImage(1)).rejects.toThrow(
      new RegExp(
        `^${where}: row 1: ${size} bytes cannot hold the tile's ${pixels} pixels under ${cmptype === 'NOCOMPRESS' ? 'NOCOMPRESS' : cmptype} \\(${least}\\)`,
      ),
    );
  });
});

describe('the memory budget, before allocating', () => {
  it('readImage: the image or the section asked for, with what to do instead', async () => {
    const image = concat(
      block([card('SIMPLE', true), card('BITPIX', -32), card('NAXIS', 2), card('NAXIS1', 100), card('NAXIS2', 100), card('END')].join('')),
      padData(new Uint8Array(40_000)),
    );
    process.env.SKYBOOK_MAX_MEMORY = '50K';
    const fits = await open(image);
    await expect(fits.readImage(0)).rejects.toThrow(
      "mem.fits: HDU 0: the image (100 x 100 float32) needs 78 KiB, more than the memory budget of 50 KiB (SKYBOOK_MAX_MEMORY=50K); read it in sections (readImage's `rows`)",
    );
    expect((await fits.readImage(0, { rows: { start: 0, end: 50 } })).data.length).toBe(5000);
  });

  it('readCompressedImage: the image; statistics stream it in bands within the same budget', async () => {
    const tiles = Array.from({ length: 100 }, (_, r) => gzipSync(Buffer.alloc(200, r)));
    let at = 0;
    const descriptors = tiles.map((t): [number, number] => [t.length, (at += t.length) - t.length]);
    const fits = await open(tiledImage({ zbitpix: 16, naxis: [100, 100], tile: [100, 1], heap: concat(...tiles), descriptors }));
    process.env.SKYBOOK_MAX_MEMORY = '10K';
    await expect(fits.readImage(1)).rejects.toThrow(
      'mem.fits: HDU 1: the image (100 x 100 int16) needs 20 KiB, more than the memory budget of 10 KiB (SKYBOOK_MAX_MEMORY=10K); leave it out',
    );
    const { fitsStats } = await import('../../lib/fits/index.js');
    const doc = await fitsStats(fits, { hdu: 1, progress: false });
    expect(doc.hdus[0]!.image).toMatchObject({ count: 10_000, min: 0, max: 99 * 257 });
    process.env.SKYBOOK_MAX_MEMORY = '1K';
    await expect(fitsStats(fits, { hdu: 1, progress: false })).rejects.toThrow(
      /^mem\.fits: HDU 1: the tile table and its heap \(100 tiles\) needs .*, more than the memory budget of 1 KiB/,
    );
  });

  it('readTable: the columns asked for, and the heap with a variable-length column', async () => {
    const fits = await open(tinyTable());
    process.env.SKYBOOK_MAX_MEMORY = '40';
    await expect(fits.readTable(1)).rejects.toThrow(
      'mem.fits: HDU 1: the table (3 rows of 4 columns) needs 108 bytes, more than the memory budget of 40 bytes (SKYBOOK_MAX_MEMORY=40); read fewer columns or rows (`columns`, `rows`), stream it (readBatches), or raise SKYBOOK_MAX_MEMORY',
    );
    expect((await fits.readTable(1, { columns: ['ID', 'FLUX'] })).numRows).toBe(3);
    // batches stream within any budget
    let rows = 0;
    for await (const b of fits.readBatches(1)) rows += b.numRows;
    expect(rows).toBe(3);
  });
});

describe('PRIMARY has nothing to check', () => {
  it('an empty primary reads whatever the budget', async () => {
    process.env.SKYBOOK_MAX_MEMORY = '1';
    const fits = await open(concat(PRIMARY));
    expect((await fits.readImage(0)).data.length).toBe(0);
  });
});
