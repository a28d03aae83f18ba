import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../lib/errors/index.js';
import { walkHdus } from '../../lib/fits/hdu.js';
import { FileSource, HttpSource, openSource, type HttpSourceOptions } from '../../lib/fits/source/index.js';
import { TestHttpServer } from '../helpers/http-server.js';

const FIXTURES = '/work/shared/fixtures';
const TB = `${FIXTURES}/fits/astropy/tb.fits`;
const COADD = `${FIXTURES}/desi/coadd-special-dark-27247.fits`;
const haveFixtures = existsSync(TB) && existsSync(COADD);
if (!haveFixtures) console.warn(`skipping fixture tests over HTTP: ${FIXTURES} is absent`);

/** Deterministic pseudo-random bytes, so a wrong offset can't go unnoticed. */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const FAST: HttpSourceOptions = { retryBaseMs: 1, retryMaxMs: 5 };
const SMALL = noise(300_000);
const BIG = noise(16 * 1024 * 1024, 7);

let server: TestHttpServer;
beforeAll(async () => {
  server = await TestHttpServer.start({ files: { '/small.bin': SMALL, '/big.bin': BIG, '/dir/a b.bin': SMALL } });
});
afterAll(async () => server.close());
afterEach(() => {
  server.ignoreRange = false;
  server.rejectHead = false;
  server.validators = true;
  server.resetStats();
  server.clearFaults();
});

describe('HttpSource ranges', () => {
  it('returns the exact bytes of any range, and fewer only at the end', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    expect(src.size).toBe(SMALL.length);
    for (const [off, len] of [
      [0, 10],
      [2879, 2882],
      [100_000, 70_000],
      [299_990, 100],
      [SMALL.length, 5],
      [5, 0],
      [64 * 1024 - 3, 10],
    ] as const) {
      const got = await src.read(off, len);
      expect(Buffer.from(got).equals(Buffer.from(SMALL.subarray(off, off + len))), `${off}+${len}`).toBe(true);
    }
    await src.close();
    await expect(src.read(0, 1)).rejects.toThrow(/read after close/);
  });

  it('coalesces small sequential reads and fetches a big read as exactly one request', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    server.resetStats();
    for (let off = 0; off < 40 * 2880; off += 2880) await src.read(off, 2880);
    expect(server.requests).toBe(2); // 115200 bytes in 64 KiB windows
    expect(src.stats.cacheHits).toBeGreaterThan(30);
    server.resetStats();
    const got = await src.read(150_000, 120_000);
    expect(server.log).toEqual([expect.objectContaining({ method: 'GET', range: 'bytes=150000-269999', bytesSent: 120_000 })]);
    expect(Buffer.from(got).equals(Buffer.from(SMALL.subarray(150_000, 270_000)))).toBe(true);
    expect(src.stats.requests).toBe(4); // HEAD + 2 windows + 1 big read
  });

  it('fetches only a little of a big file for a small read, and its own stats agree with the server', async () => {
    const src = await HttpSource.open(server.url('/big.bin'), FAST);
    await src.read(10_000_000, 100);
    await src.read(10_000_100, 2000);
    expect(server.bytesSent).toBe(64 * 1024);
    expect(src.stats.bytesFetched).toBe(server.bytesSent);
    expect(src.stats.requests).toBe(server.requests);
  });

  it('keeps its cache bounded', async () => {
    const src = await HttpSource.open(server.url('/big.bin'), { ...FAST, readAheadBytes: 4096, cacheBytes: 8192 });
    for (let i = 0; i < 5; i++) await src.read(i * 100_000, 10);
    server.resetStats();
    await src.read(400_000, 10); // newest: cached
    await src.read(0, 10); // evicted: fetched again
    expect(server.requests).toBe(1);
  });

  it('works with a server that ignores Range, and says so once', async () => {
    server.ignoreRange = true;
    const warnings: string[] = [];
    const src = await HttpSource.open(server.url('/small.bin'), { ...FAST, onWarning: (m) => warnings.push(m) });
    const got = await src.read(200_000, 5000);
    expect(Buffer.from(got).equals(Buffer.from(SMALL.subarray(200_000, 205_000)))).toBe(true);
    expect(src.stats.rangeIgnored).toBe(true);
    const all = await src.read(0, SMALL.length);
    expect(Buffer.from(all).equals(Buffer.from(SMALL))).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/small\.bin: the server ignores Range requests \(HTTP 200 with the whole file\)/)]);
  });

  it('learns the size from a ranged GET when HEAD is refused', async () => {
    server.rejectHead = true;
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    expect(src.size).toBe(SMALL.length);
    expect(server.log.map((r) => `${r.method} ${r.status}`)).toEqual(['HEAD 405', 'GET 206']);
    await src.read(100, 1000); // served from the probe's bytes
    expect(server.requests).toBe(2);
  });

  it('follows redirects, relative ones included', async () => {
    server.fault({ kind: 'redirect', path: '/old.bin', location: '/small.bin', times: 2 });
    const src = await HttpSource.open(server.url('/old.bin'), FAST);
    expect(Buffer.from(await src.read(10, 10)).equals(Buffer.from(SMALL.subarray(10, 20)))).toBe(true);
    expect(server.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'HEAD /old.bin 302',
      'HEAD /small.bin 200',
      'GET /old.bin 302',
      'GET /small.bin 206',
    ]);
  });

  it('reads a path that needs URL encoding', async () => {
    const src = await HttpSource.open(server.url('/dir/a%20b.bin'), FAST);
    expect(src.size).toBe(SMALL.length);
  });
});

describe('HttpSource failures', () => {
  it.each([
    [404, /not found \(HTTP 404\)/],
    [403, /access denied \(HTTP 403\)/],
    [401, /access denied \(HTTP 401\)/],
  ])('HTTP %i is a SourceError naming status and URL, with no retry', async (status, message) => {
    server.fault({ kind: 'status', status, times: 10 });
    const url = server.url('/small.bin');
    const t0 = performance.now();
    const err = await HttpSource.open(url, { retryBaseMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(url);
    expect(server.requests).toBe(status === 404 ? 1 : 2); // 401/403 on HEAD: one ranged GET in case only HEAD is refused
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a missing file is not found', async () => {
    await expect(HttpSource.open(server.url('/nope.fits'), FAST)).rejects.toThrow(/nope\.fits: not found \(HTTP 404\)/);
  });

  it('retries 503 twice then succeeds', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    server.fault({ kind: 'status', status: 503, times: 2 });
    const got = await src.read(0, 100);
    expect(Buffer.from(got).equals(Buffer.from(SMALL.subarray(0, 100)))).toBe(true);
    expect(src.stats.retries).toBe(2);
    expect(server.log.map((r) => r.status)).toEqual([200, 503, 503, 206]); // HEAD, then the read
  });

  it.each([429, 500, 502, 504])('retries HTTP %i', async (status) => {
    server.fault({ kind: 'status', status });
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    expect(src.stats.retries).toBe(1);
  });

  it('gives up after the configured retries', async () => {
    server.fault({ kind: 'status', status: 503, times: 10 });
    await expect(HttpSource.open(server.url('/small.bin'), { ...FAST, retries: 2 })).rejects.toThrow(/gave up after 3 attempts/);
    expect(server.requests).toBe(3);
  });

  it('retries a connection reset mid-response', async () => {
    const src = await HttpSource.open(server.url('/big.bin'), FAST);
    server.fault({ kind: 'reset', method: 'GET' });
    const got = await src.read(1_000_000, 500_000);
    expect(Buffer.from(got).equals(Buffer.from(BIG.subarray(1_000_000, 1_500_000)))).toBe(true);
    expect(src.stats.retries).toBe(1);
    expect(server.log.filter((r) => r.method === 'GET').map((r) => r.bytesSent)).toEqual([250_000, 500_000]);
  });

  it('retries a connection dropped before any response (socket hang up)', async () => {
    server.fault({ kind: 'hangup' });
    const src = await HttpSource.open(server.url('/small.bin'), FAST);
    expect(src.stats.retries).toBe(1);
  });

  it('times out a server that never answers', async () => {
    server.fault({ kind: 'stall', times: 2 });
    const err = await HttpSource.open(server.url('/small.bin'), { ...FAST, retries: 1, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/timed out.*gave up after 2 attempts/);
  });

  it('refuses to mix two versions of a file that changes on the server', async () => {
    const ctl = await TestHttpServer.start({ files: { '/f.bin': SMALL } });
    try {
      const src = await HttpSource.open(ctl.url('/f.bin'), FAST);
      await src.read(0, 10);
      ctl.setFile('/f.bin', noise(SMALL.length, 99));
      await expect(src.read(200_000, 10)).rejects.toThrow(/changed on the server/);
      await src.close();
      ctl.validators = false; // a server that sends no ETag: the Content-Range size still gives it away
      ctl.setFile('/f.bin', noise(1000, 3));
      const src2 = await HttpSource.open(ctl.url('/f.bin'), FAST);
      ctl.setFile('/f.bin', noise(2000, 3));
      await expect(src2.read(0, 10)).rejects.toThrow(/changed on the server.*size is now 2000/);
      await src2.close();
    } finally {
      await ctl.close();
    }
  });

  it('rejects bad options by name', async () => {
    await expect(HttpSource.open(server.url('/small.bin'), { retries: -1 })).rejects.toThrow(/invalid retries: -1/);
  });
});

describe('HttpSource bounds every body and every request', () => {
  // a 1 GB file the server makes as it sends, so a reader that takes more than it asked for shows in its stats
  const HUGE = { head: SMALL.subarray(0, 100_000), size: 2 ** 30 };
  beforeAll(() => server.setFile('/huge.bin', HUGE));
  const noRate = { minBytesPerSecond: 1e12 }; // no allowance for size: the deadline is deadlineMs itself

  it('cuts off a 206 whose body runs past its Content-Range, and says so without retrying', async () => {
    const src = await HttpSource.open(server.url('/big.bin'), FAST);
    server.fault({ kind: 'endless', method: 'GET', times: Infinity });
    const err = await src.read(0, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(
      `${server.url('/big.bin')}: HTTP 206 for bytes 0-65535 sent more than its Content-Range 'bytes 0-65535/16777216' (65536 bytes); cut off there`,
    );
    expect(src.stats.retries).toBe(0);
    expect(src.stats.bytesFetched).toBeLessThan(65536 + 2 * 65536); // the chunk that ran over, not what the server pushed
    await src.close();
  });

  it('refuses a 206 whose Content-Range is not what was asked, at its headers', async () => {
    const src = await HttpSource.open(server.url('/big.bin'), FAST);
    server.fault({ kind: 'headers', method: 'GET', headers: { 'Content-Range': 'bytes 0-999999/16777216' } });
    await expect(src.read(0, 100)).rejects.toThrow(/asked for bytes 0-65535, got HTTP 206 with Content-Range 'bytes 0-999999\/16777216'/);
    server.fault({ kind: 'headers', method: 'GET', headers: { 'Content-Range': 'bytes 10-65535/16777216' } });
    await expect(src.read(0, 100)).rejects.toThrow(/asked for bytes 0-65535, got HTTP 206 with Content-Range 'bytes 10-65535/);
    expect(src.stats.retries).toBe(0);
  });

  it('reads a 200 (Range ignored) of a 1 GB file only up to the end of what was asked', async () => {
    server.ignoreRange = true;
    const src = await HttpSource.open(server.url('/huge.bin'), { ...FAST, onWarning: () => {} });
    expect(src.size).toBe(2 ** 30);
    const got = await src.read(50_000, 100);
    expect(Buffer.from(got).equals(Buffer.from(SMALL.subarray(50_000, 50_100)))).toBe(true);
    expect(src.stats.bytesFetched).toBeGreaterThanOrEqual(50_000 + 65_536);
    expect(src.stats.bytesFetched).toBeLessThan(50_000 + 65_536 + 2 * 65_536); // up to the chunk holding the window's end
    await src.close();
  });

  it('abandons a server that drips bytes at its deadline, without retrying', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), { ...FAST, ...noRate, deadlineMs: 400 });
    server.fault({ kind: 'drip', method: 'GET', intervalMs: 50, times: Infinity });
    const t0 = performance.now();
    const err = await src.read(0, 100).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(
      /small\.bin: network error: too slow: [1-9] of 65536 bytes in 0\.4 s, past this request's deadline of 0\.4 s \(SKYBOOK_HTTP_DEADLINE\)$/,
    );
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1500);
    expect(server.log.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('gives the deadline 1 s more for every minBytesPerSecond bytes asked', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), { ...FAST, deadlineMs: 200, minBytesPerSecond: 65536 * 4 });
    server.fault({ kind: 'drip', method: 'GET', intervalMs: 50, times: Infinity });
    const t0 = performance.now();
    await expect(src.read(0, 100)).rejects.toThrow(/deadline of 0\.5 s/); // 200 ms + 65536 bytes at 256 KiB/s
    expect(performance.now() - t0).toBeGreaterThanOrEqual(440);
  });

  it('times out a server that hangs after its headers, retries as the policy says, and stops at the deadline', async () => {
    const src = await HttpSource.open(server.url('/small.bin'), { ...FAST, ...noRate, timeoutMs: 100, deadlineMs: 10_000 });
    server.fault({ kind: 'hang', method: 'GET', times: Infinity });
    await expect(src.read(0, 100)).rejects.toThrow(
      /network error: timed out: nothing received for 0\.1 s after the headers and 0 of 65536 bytes, gave up after 5 attempts$/,
    );
    expect(src.stats.retries).toBe(4);
    // a retry whose wait would end past the deadline is not made: the timeout in hand is the answer
    const late = await HttpSource.open(server.url('/small.bin'), {
      ...noRate,
      timeoutMs: 100,
      deadlineMs: 250,
      retryBaseMs: 300,
      retryMaxMs: 300,
    });
    const t0 = performance.now();
    await expect(late.read(0, 100)).rejects.toThrow(
      /timed out: nothing received for 0\.1 s after the headers and 0 of 65536 bytes, gave up after 1 attempt, no time left before its deadline of 0\.3 s \(SKYBOOK_HTTP_DEADLINE\)$/,
    );
    expect(performance.now() - t0).toBeLessThan(250);
  });

  it('takes its limits from SKYBOOK_HTTP_TIMEOUT / _DEADLINE / _MIN_RATE, an option winning over its variable', async () => {
    const saved = { ...process.env };
    try {
      process.env.SKYBOOK_HTTP_DEADLINE = '0.3';
      process.env.SKYBOOK_HTTP_MIN_RATE = '1e12';
      process.env.SKYBOOK_HTTP_TIMEOUT = '0.1';
      server.fault({ kind: 'drip', method: 'GET', intervalMs: 50, times: Infinity });
      const src = await HttpSource.open(server.url('/small.bin'), FAST);
      await expect(src.read(0, 100)).rejects.toThrow(/deadline of 0\.3 s/);
      const mine = await HttpSource.open(server.url('/small.bin'), { ...FAST, deadlineMs: 200 });
      await expect(mine.read(0, 100)).rejects.toThrow(/deadline of 0\.2 s/);
      server.clearFaults();
      server.fault({ kind: 'hang', method: 'GET', times: Infinity });
      const idle = await HttpSource.open(server.url('/small.bin'), { ...FAST, retries: 0, deadlineMs: 10_000 });
      await expect(idle.read(0, 100)).rejects.toThrow(/timed out: nothing received for 0\.1 s/);
      process.env.SKYBOOK_HTTP_TIMEOUT = 'soon';
      await expect(HttpSource.open(server.url('/small.bin'), FAST)).rejects.toThrow(
        /small\.bin: invalid SKYBOOK_HTTP_TIMEOUT: 'soon' \(seconds, a number > 0\)/,
      );
    } finally {
      for (const k of ['SKYBOOK_HTTP_DEADLINE', 'SKYBOOK_HTTP_MIN_RATE', 'SKYBOOK_HTTP_TIMEOUT']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('rejects bad limits by name', async () => {
    await expect(HttpSource.open(server.url('/small.bin'), { deadlineMs: 0 })).rejects.toThrow(/invalid deadlineMs: 0/);
    await expect(HttpSource.open(server.url('/small.bin'), { minBytesPerSecond: -1 })).rejects.toThrow(/invalid minBytesPerSecond: -1/);
  });
});

describe.skipIf(!haveFixtures)('FITS headers over HTTP', () => {
  let fits: TestHttpServer;
  beforeAll(async () => {
    fits = await TestHttpServer.start({ files: { '/tb.fits': TB, '/coadd.fits': COADD } });
  });
  afterAll(async () => fits.close());

  it.each([
    ['/tb.fits', TB, 2],
    ['/coadd.fits', COADD, 21],
  ])('walkHdus(%s) matches the local file with few requests', async (path, local, maxRequests) => {
    const src = await openSource(fits.url(path));
    const remote = await walkHdus(src);
    const file = await FileSource.open(local);
    const expected = await walkHdus(file);
    await file.close();
    const layout = (h: (typeof remote)[number]) => [
      h.index,
      h.name,
      h.type,
      h.headerOffset,
      h.dataOffset,
      h.dataSize,
      h.header.cards.length,
    ];
    expect(remote.map(layout)).toEqual(expected.map(layout));
    expect(fits.requests).toBeLessThanOrEqual(maxRequests);
    expect(fits.requests).toBeLessThan(expected.length + 3);
    const whole = readFileSync(local);
    const last = expected.at(-1)!;
    const tail = await src.read(last.dataOffset, last.dataSize);
    expect(Buffer.from(tail).equals(whole.subarray(last.dataOffset, last.dataOffset + last.dataSize))).toBe(true);
    await src.close();
    fits.resetStats();
  });
});
