import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../lib/errors/index.js';
import { HttpSource, S3_ENDPOINT_ENV, openS3, openSource, parseS3Url, s3ToHttps } from '../../lib/fits/source/index.js';
import { TestHttpServer } from '../helpers/http-server.js';

const NO_ENV = {};

describe('s3ToHttps', () => {
  it.each([
    ['s3://desidata/dr1/x.fits', {}, 'https://desidata.s3.amazonaws.com/dr1/x.fits'],
    ['s3://desidata/dr1/x.fits', { region: 'us-west-2' }, 'https://desidata.s3.us-west-2.amazonaws.com/dr1/x.fits'],
    ['s3://desidata/a b/c+d#e?f%.fits', {}, 'https://desidata.s3.amazonaws.com/a%20b/c%2Bd%23e%3Ff%25.fits'],
    ['s3://desidata/dir//double/', {}, 'https://desidata.s3.amazonaws.com/dir//double/'],
    ['s3://my.dotted.bucket/k.fits', {}, 'https://s3.amazonaws.com/my.dotted.bucket/k.fits'],
    ['s3://desidata/k.fits', { endpoint: 'http://127.0.0.1:9000/' }, 'http://127.0.0.1:9000/desidata/k.fits'],
    ['s3://desidata/k.fits', { endpoint: 'http://mirror/s3', region: 'us-west-2' }, 'http://mirror/s3/desidata/k.fits'],
  ] as const)('%s %j -> %s', (s3, options, https) => {
    expect(s3ToHttps(s3, options, NO_ENV)).toBe(https);
  });

  it('takes the endpoint from SKYBOOK_S3_ENDPOINT, the option winning', () => {
    const env = { [S3_ENDPOINT_ENV]: 'http://localhost:1234' };
    expect(s3ToHttps('s3://desidata/k.fits', {}, env)).toBe('http://localhost:1234/desidata/k.fits');
    expect(s3ToHttps('s3://desidata/k.fits', { endpoint: 'http://other' }, env)).toBe('http://other/desidata/k.fits');
  });

  it('decodes a URL object key before encoding it again', () => {
    expect(parseS3Url(new URL('s3://desidata/a%20b.fits'))).toEqual({ bucket: 'desidata', key: 'a b.fits' });
    expect(parseS3Url('s3://desidata/a%20b.fits')).toEqual({ bucket: 'desidata', key: 'a%20b.fits' });
  });

  it.each([
    ['s3://desidata', /no object key/],
    ['s3://desidata/', /no object key/],
    ['s3://Bad_Bucket/k', /invalid S3 bucket name 'Bad_Bucket'/],
    ['https://desidata/k', /not an s3:\/\/ URL/],
  ])('%s is an error', (s3, message) => {
    expect(() => s3ToHttps(s3, {}, NO_ENV)).toThrow(SourceError);
    expect(() => s3ToHttps(s3, {}, NO_ENV)).toThrow(message);
  });

  it('rejects a malformed region', () => {
    expect(() => s3ToHttps('s3://desidata/k', { region: 'us west' }, NO_ENV)).toThrow(/invalid region 'us west'/);
  });
});

describe('s3:// through SKYBOOK_S3_ENDPOINT', () => {
  const bytes = new Uint8Array(10_000).map((_, i) => i % 256);
  let server: TestHttpServer;
  const saved = process.env[S3_ENDPOINT_ENV];
  beforeAll(async () => {
    server = await TestHttpServer.start({ files: { '/desidata/dr1/a b.fits': bytes } });
    process.env[S3_ENDPOINT_ENV] = server.url('/');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env[S3_ENDPOINT_ENV];
    else process.env[S3_ENDPOINT_ENV] = saved;
    await server.close();
  });
  afterEach(() => server.resetStats());

  it('reads an object named by its s3:// URL', async () => {
    const src = await openSource('s3://desidata/dr1/a b.fits');
    expect(src).toBeInstanceOf(HttpSource);
    expect(src.name).toBe('s3://desidata/dr1/a b.fits');
    expect(src.size).toBe(bytes.length);
    expect(Buffer.from(await src.read(5000, 10)).equals(Buffer.from(bytes.subarray(5000, 5010)))).toBe(true);
    expect(server.log.map((r) => r.path)).toEqual(['/desidata/dr1/a b.fits', '/desidata/dr1/a b.fits']);
    await src.close();
  });

  it('a missing key names both the s3:// URL and the HTTPS URL', async () => {
    await expect(openS3('s3://desidata/nope.fits')).rejects.toThrow(
      `s3://desidata/nope.fits: not found (HTTP 404) at ${server.url('/desidata/nope.fits')}`,
    );
  });
});
