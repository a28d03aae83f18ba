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
import { TestHttpServer } from '../helpers/http-server.js';

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
