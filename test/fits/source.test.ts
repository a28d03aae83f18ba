import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../lib/errors/index.js';
import { walkHdus } from '../../lib/fits/hdu.js';
import {
  FileSource,
  HttpSource,
  MemorySource,
  gunzipSource,
  isGzip,
  openSource,
  registerScheme,
  registeredSchemes,
  schemeOf,
} from '../../lib/fits/source/index.js';
import { GzipStreamSource } from '../../lib/fits/source/gzip-stream-source.js';
import { TestHttpServer } from '../helpers/http-server.js';
import { block, card, concat, padData } from '../helpers/tiny-fits.js';

const ASTROPY = '/work/shared/fixtures/fits/astropy';
const DSS = `${ASTROPY}/dss.14.29.56-62.41.05.fits.gz`;
const TB = `${ASTROPY}/tb.fits`;
const haveFixtures = existsSync(DSS) && existsSync(TB);
if (!haveFixtures) console.warn(`skipping gzip fixture tests: ${ASTROPY} is absent`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skybook-source-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('schemeOf', () => {
  it.each([
    ['data/x.fits', 'file'],
    ['/abs/x.fits.gz', 'file'],
    ['C:\\data\\x.fits', 'file'],
    ['c:/data/x.fits', 'file'],
    ['odd:name.fits', 'file'],
    ['file:///tmp/x.fits', 'file'],
    ['http://host/x.fits', 'http'],
    ['HTTPS://host/x.fits', 'https'],
    ['s3://desidata/x.fits', 's3'],
    ['gs://bucket/x.fits', 'gs'],
    [new URL('https://host/x'), 'https'],
  ])('%s -> %s', (location, scheme) => {
    expect(schemeOf(location)).toBe(scheme);
  });
});

describe('openSource: files and schemes', () => {
  it('opens a plain path and a file:// URL', async () => {
    const path = join(dir, 'plain.bin');
    await writeFile(path, text('hello, world'));
    for (const loc of [path, pathToFileURL(path).href, pathToFileURL(path)]) {
      const src = await openSource(loc);
      expect(src).toBeInstanceOf(FileSource);
      expect(Buffer.from(await src.read(7, 100)).toString()).toBe('world');
      await src.close();
    }
  });

  it('a missing file is a SourceError naming it', async () => {
    const path = join(dir, 'missing.fits');
    const err = await openSource(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).exitCode).toBe(2);
    expect((err as Error).message).toBe(`${path}: no such file`);
  });

  it('a directory is a SourceError', async () => {
    await expect(openSource(dir)).rejects.toThrow(/is a directory/);
  });

  it('an unknown scheme lists the known ones', async () => {
    await expect(openSource('ftp://host/x.fits')).rejects.toThrow(
      /ftp:\/\/host\/x\.fits: unknown scheme 'ftp:' \(known: file, http, https, s3/,
    );
  });

  it('registerScheme adds an opener, and gzip detection applies to it', async () => {
    const store = new Map<string, Uint8Array>([
      ['mem://plain', text('SIMPLE')],
      ['mem://zipped', gzipSync(text('SIMPLE = T'))],
    ]);
    registerScheme('MEM:', async (location) => new MemorySource(store.get(location)!, location));
    expect(registeredSchemes()).toContain('mem');
    expect(Buffer.from(await (await openSource('mem://plain')).read(0, 6)).toString()).toBe('SIMPLE');
    const unzipped = await openSource('mem://zipped');
    expect(unzipped.name).toBe('mem://zipped');
    expect(Buffer.from(await unzipped.read(0, 100)).toString()).toBe('SIMPLE = T');
    const raw = await openSource('mem://zipped', { gunzip: false });
    expect(isGzip(await raw.read(0, 2))).toBe(true);
  });

  it('rejects a bad scheme name', () => {
    expect(() => registerScheme('1x', async () => new MemorySource(new Uint8Array(0)))).toThrow(SourceError);
  });
});

describe('gzip', () => {
  it('detects by magic bytes, not by name', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(text('SIMPLE'))).toBe(false);
  });

  it.skipIf(!haveFixtures)('opens a .fits.gz fixture and walks its HDUs', async () => {
    const src = await openSource(DSS);
    expect(src).toBeInstanceOf(MemorySource);
    expect(src.name).toBe(DSS);
    expect(Buffer.from(await src.read(0, src.size)).equals(gunzipSync(readFileSync(DSS)))).toBe(true);
    const hdus = await walkHdus(src);
    // offsets as astropy 5.2.1 reads them (fixtures/fits/expected)
    expect(hdus.map((h) => [h.headerOffset, h.dataOffset, h.dataSpan])).toEqual([
      [0, 11520, 20160],
      [31680, 37440, 2880],
    ]);
  });

  it.skipIf(!haveFixtures)('inflates multi-member gzip, and a gzip file whatever its name, in small chunks', async () => {
    const tb = readFileSync(TB);
    const path = join(dir, 'looks-plain.fits');
    await writeFile(path, Buffer.concat([gzipSync(tb.subarray(0, 1000)), gzipSync(tb.subarray(1000))]));
    const src = await gunzipSource(await FileSource.open(path), { chunkBytes: 333 });
    expect(Buffer.from(await src.read(0, src.size)).equals(tb)).toBe(true);
    expect((await walkHdus(await openSource(path))).length).toBe(2);
  });

  it.each([
    ['corrupt', (gz: Buffer) => Buffer.concat([gz.subarray(0, 40), Buffer.alloc(50, 0xab), gz.subarray(90)])],
    ['truncated', (gz: Buffer) => gz.subarray(0, gz.length - 20)],
    ['bad header', (gz: Buffer) => Buffer.concat([gz.subarray(0, 2), Buffer.from([99]), gz.subarray(3)])],
  ])('a %s gzip is a SourceError naming the file', async (_kind, damage) => {
    const path = join(dir, `damaged-${_kind.replace(' ', '-')}.fits.gz`);
    await writeFile(path, damage(gzipSync(Buffer.alloc(100_000, 7).map((_, i) => (i * 31) % 251))));
    const err = await openSource(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}: corrupt gzip data: `));
  });

  it('stops at maxBytes with a clear error', async () => {
    const gz = gzipSync(Buffer.alloc(1_000_000));
    const src = new MemorySource(gz, 'zeros.fits.gz');
    await expect(gunzipSource(src, { maxBytes: 100_000 })).rejects.toThrow(
      'zeros.fits.gz: decompresses to more than 100000 bytes (maxBytes); raise maxBytes or decompress it on disk',
    );
    expect((await gunzipSource(src, { maxBytes: 1_000_000 })).size).toBe(1_000_000);
  });

  it.skipIf(!haveFixtures)('fetches a remote .gz whole, in one request, then inflates it', async () => {
    const server = await TestHttpServer.start({ files: { '/dss.fits': DSS } });
    try {
      const src = await openSource(server.url('/dss.fits'));
      expect(src).toBeInstanceOf(MemorySource);
      expect((await walkHdus(src)).length).toBe(2);
      // HEAD, the 64 KiB read-ahead that peeks at the magic bytes (the whole 13 KB file), nothing more
      expect(server.log.map((r) => r.method)).toEqual(['HEAD', 'GET']);
      expect(server.bytesSent).toBe(readFileSync(DSS).length);
    } finally {
      await server.close();
    }
  });

  it('closes the compressed source once inflated', async () => {
    let closed = false;
    const inner = new MemorySource(gzipSync(text('SIMPLE')), 'x.gz');
    registerScheme('track', async () => Object.assign(Object.create(inner) as MemorySource, { close: async () => void (closed = true) }));
    await openSource('track://x.gz');
    expect(closed).toBe(true);
  });
});

describe('gzip larger than it may keep in memory (issue 13: a 3.9 GB bomb took 12 GB)', () => {
  /** Bytes that compress, but not to nothing: each 4 KiB run a different value. */
  const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (Math.floor(i / 4096) * 37 + (i % 7)) & 0xff);
  /** A FITS file of a primary header, a 3 MiB image, and an extension after it. */
  function bigFits(): Uint8Array {
    const image = block(
      [card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 2), card('NAXIS1', 1024), card('NAXIS2', 3072), card('END')].join(''),
    );
    const ext = block(
      [
        card('XTENSION', 'IMAGE'),
        card('BITPIX', 8),
        card('NAXIS', 1),
        card('NAXIS1', 100),
        card('PCOUNT', 0),
        card('GCOUNT', 1),
        card('END'),
      ].join(''),
    );
    return concat(image, padData(pattern(3 * 2 ** 20)), ext, padData(pattern(100)));
  }

  it('keeps its first retainBytes, reads the rest by inflating again, and any read agrees with the bytes', async () => {
    const raw = bigFits();
    const path = join(dir, 'big.fits.gz');
    await writeFile(path, Buffer.concat([gzipSync(raw.subarray(0, 1_000_000)), gzipSync(raw.subarray(1_000_000))]));
    const file = await FileSource.open(path);
    const src = await gunzipSource(file, { retainBytes: 1 << 20 });
    expect(src).toBeInstanceOf(GzipStreamSource);
    expect(src.size).toBe(raw.length);
    const same = async (offset: number, length: number) =>
      expect(
        Buffer.from(await src.read(offset, length)).equals(Buffer.from(raw.subarray(offset, offset + length))),
        `${offset}+${length}`,
      ).toBe(true);
    await same(0, 2880); // the kept start
    await same(1_048_000, 10_000); // across the kept start and the stream
    await same(3_000_000, 300_000); // forward
    await same(2_000_000, 5); // back: inflated again from the start
    await same(raw.length - 100, 1000); // the end, cut at the size
    // reads in flight together are served one at a time, each with its own bytes
    await Promise.all([same(2_500_000, 70_000), same(1_100_000, 3), same(3_100_000, 2_000_000 - 1_100_000)]);
    expect((await walkHdus(src)).map((h) => [h.dataOffset, h.dataSize])).toEqual([
      [2880, 3 * 2 ** 20],
      [2880 + Math.ceil((3 * 2 ** 20) / 2880) * 2880 + 2880, 100],
    ]);
    await src.close();
    await expect(file.read(0, 1)).rejects.toThrow(/read after close/);
    await expect(src.read(0, 1)).rejects.toThrow(/read after close/);
  });

  it('a local .gz of 1 MiB or more is inflated on a worker thread (the built package): the same bytes, the same errors', async () => {
    // worker threads run compiled JavaScript: from the sources the script does not exist and the inflation stays here
    const dist = join(import.meta.dirname, '../../dist/lib/fits/source');
    expect(existsSync(join(dist, 'inflate-worker.js'))).toBe(true);
    const built = (await import(join(dist, 'index.js'))) as typeof import('../../lib/fits/source/index.js');
    const raw = new Uint8Array(randomBytes(1_500_000)); // does not compress, so the .gz itself passes 1 MiB
    const gz = gzipSync(raw);
    expect(gz.length).toBeGreaterThan(1 << 20);
    const path = join(dir, 'noise.fits.gz');
    await writeFile(path, gz);
    const kept = await built.gunzipSource(await built.FileSource.open(path));
    expect(kept).toBeInstanceOf(built.MemorySource);
    expect(Buffer.from(await kept.read(0, kept.size)).equals(Buffer.from(raw))).toBe(true);
    const streamed = await built.gunzipSource(await built.FileSource.open(path), { retainBytes: 100_000 });
    expect(streamed.constructor.name).toBe('GzipStreamSource');
    expect(Buffer.from(await streamed.read(99_000, 1_000_000)).equals(Buffer.from(raw.subarray(99_000, 1_099_000)))).toBe(true);
    await streamed.close();
    await expect(built.gunzipSource(await built.FileSource.open(path), { maxBytes: 1_000_000 })).rejects.toThrow(
      `${path}: decompresses to more than 1000000 bytes (maxBytes)`,
    );
    const cut = join(dir, 'noise-cut.fits.gz');
    await writeFile(cut, gz.subarray(0, gz.length - 1000));
    await expect(built.gunzipSource(await built.FileSource.open(cut))).rejects.toThrow(
      new RegExp(`^${cut.replace(/[.]/g, '\\.')}: corrupt gzip data: `),
    );
  });

  it('openSource hands the compressed file to the streaming source, which closes it', async () => {
    const raw = bigFits();
    const path = join(dir, 'big2.fits.gz');
    await writeFile(path, gzipSync(raw));
    const src = await openSource(path, { retainBytes: 4096 });
    expect(src).toBeInstanceOf(GzipStreamSource);
    expect(Buffer.from(await src.read(3_000_000, 10)).equals(Buffer.from(raw.subarray(3_000_000, 3_000_010)))).toBe(true);
    await src.close();
  });

  it('a remote .gz is fetched once: inflating again reads the compressed bytes kept in memory', async () => {
    const raw = bigFits();
    const path = join(dir, 'remote.fits.gz');
    await writeFile(path, gzipSync(raw));
    const server = await TestHttpServer.start({ files: { '/big.fits.gz': path } });
    try {
      const src = await openSource(server.url('/big.fits.gz'), { retainBytes: 4096 });
      const requests = server.log.length;
      expect(Buffer.from(await src.read(3_000_000, 10)).equals(Buffer.from(raw.subarray(3_000_000, 3_000_010)))).toBe(true);
      expect(Buffer.from(await src.read(10_000, 10)).equals(Buffer.from(raw.subarray(10_000, 10_010)))).toBe(true);
      expect(server.log.length).toBe(requests);
      await src.close();
    } finally {
      await server.close();
    }
  });

  it('past the memory budget (SKYBOOK_MAX_MEMORY) it is refused, saying how to read it instead', async () => {
    const saved = process.env.SKYBOOK_MAX_MEMORY;
    process.env.SKYBOOK_MAX_MEMORY = '1M';
    try {
      const src = new MemorySource(gzipSync(Buffer.alloc(3_000_000)), 'zeros.fits.gz');
      await expect(gunzipSource(src)).rejects.toThrow(
        'zeros.fits.gz: decompresses to more than 1 MiB, the memory budget (SKYBOOK_MAX_MEMORY=1M); decompress it on disk (gunzip -k) and open the .fits, or raise SKYBOOK_MAX_MEMORY',
      );
    } finally {
      if (saved === undefined) delete process.env.SKYBOOK_MAX_MEMORY;
      else process.env.SKYBOOK_MAX_MEMORY = saved;
    }
  });
});

describe('MemorySource over chunks', () => {
  it('reads inside one chunk as a view and across chunks as a copy', async () => {
    const a = text('hello, ');
    const b = text('wide ');
    const c = text('world');
    const src = new MemorySource([a, new Uint8Array(0), b, c], 'chunks');
    expect(src.size).toBe(17);
    const view = await src.read(7, 4);
    expect(Buffer.from(view).toString()).toBe('wide');
    expect(view.buffer).toBe(b.buffer);
    expect(Buffer.from(await src.read(5, 10)).toString()).toBe(', wide wor');
    expect(Buffer.from(await src.read(12, 100)).toString()).toBe('world');
    expect((await src.read(17, 5)).length).toBe(0);
    expect((await new MemorySource([], 'none').read(0, 5)).length).toBe(0);
  });
});

describe('HttpSource is what openSource returns for http(s)', () => {
  it('opens http:// through the registry', async () => {
    const server = await TestHttpServer.start({ files: { '/a.bin': text('0123456789') } });
    try {
      const src = await openSource(new URL(server.url('/a.bin')), { readAheadBytes: 4 });
      expect(src).toBeInstanceOf(HttpSource);
      expect(Buffer.from(await src.read(3, 3)).toString()).toBe('345');
      await src.close();
    } finally {
      await server.close();
    }
  });
});
