import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CappedRun, runCapped } from '../helpers/capped.js';
import { TestHttpServer } from '../helpers/http-server.js';
import { block, card, concat, tinyTable } from '../helpers/tiny-fits.js';

// Issue 13, item 3: the loopback server plays each hostile role and the built CLI, under the 1 GB / 10 s watchdog,
// must give up on it with exit 2 and one line naming the URL and what the server did (or, for a server that merely
// ignores Range, succeed after one warning, having downloaded only what it needed).

/** A primary header of two blocks (5,760 bytes, the issue's "5.7 KB header"), the tiny BINTABLE, then a 1 GiB image. */
function hugeFits(): { head: Uint8Array; size: number } {
  const comments = Array.from({ length: 40 }, (_, i) => card('COMMENT', undefined, `padding card ${i}`));
  const primary = block(
    [card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 0), card('EXTEND', true), ...comments, card('END')].join(''),
  );
  const image = block(
    [
      card('XTENSION', 'IMAGE'),
      card('BITPIX', 32),
      card('NAXIS', 2),
      card('NAXIS1', 32768),
      card('NAXIS2', 8192),
      card('PCOUNT', 0),
      card('GCOUNT', 1),
      card('END'),
    ].join(''),
  );
  const head = concat(primary, tinyTable().subarray(2880), image);
  return { head, size: head.length + 32768 * 8192 * 4 };
}

let server: TestHttpServer;
beforeAll(async () => {
  server = await TestHttpServer.start({ files: { '/tiny.fits': tinyTable(), '/huge.fits': hugeFits() } });
});
afterAll(async () => server.close());
afterEach(() => {
  server.clearFaults();
  server.ignoreRange = false;
  server.resetStats();
});

/**
 * The run stayed inside the acceptance limits: not killed, under 1 GB and 10 s of work (CPU seconds: a loaded machine
 * stretches wall seconds; the tests about deadlines check those themselves).
 */
function withinLimits(r: CappedRun): void {
  expect(r.killed, `killed (${r.peakRssMb.toFixed(0)} MB, ${r.seconds.toFixed(1)} s)`).toBeUndefined();
  expect(r.peakRssMb).toBeLessThan(1024);
  expect(r.cpuSeconds, `${r.seconds.toFixed(1)} s wall`).toBeLessThan(10);
}

/** Exit 2 and exactly one stderr line, naming the URL and matching `what`. */
function refused(r: CappedRun, url: string, what: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(url);
  expect(lines[0]).toMatch(what);
  expect(r.stdout).toBe('');
}

describe('hostile HTTP servers: skybook fits info URL', () => {
  it('an endless 206 is cut off at its Content-Range: exit 2 at once', async () => {
    server.fault({ kind: 'endless', method: 'GET', times: Infinity });
    const url = server.url('/tiny.fits');
    const r = await runCapped(['fits', 'info', url]);
    refused(
      r,
      url,
      /^skybook fits info: .*: HTTP 206 for bytes 0-8639 sent more than its Content-Range 'bytes 0-8639\/8640' \(8640 bytes\); cut off there$/,
    );
    withinLimits(r);
    expect(r.peakRssMb).toBeLessThan(200);
    expect(server.log.filter((q) => q.method === 'GET')).toHaveLength(1); // a server that breaks the protocol is not asked again
  });

  it('a server dripping a byte a second is abandoned at the deadline (SKYBOOK_HTTP_DEADLINE=2)', async () => {
    server.fault({ kind: 'drip', method: 'GET', intervalMs: 1000, times: Infinity });
    const url = server.url('/tiny.fits');
    const r = await runCapped(['fits', 'info', url], { env: { SKYBOOK_HTTP_DEADLINE: '2' } });
    // the deadline is 2 s plus 1 s per 64 KiB asked (8640 bytes: 0.13 s)
    refused(
      r,
      url,
      /: network error: too slow: \d of 8640 bytes in 2\.1 s, past this request's deadline of 2\.1 s \(SKYBOOK_HTTP_DEADLINE\)$/,
    );
    withinLimits(r);
    expect(r.seconds).toBeGreaterThan(2);
  });

  it('a server that hangs after its headers is timed out, retried by the policy, then given up (SKYBOOK_HTTP_TIMEOUT=0.3)', async () => {
    server.fault({ kind: 'hang', method: 'GET', times: Infinity });
    const url = server.url('/tiny.fits');
    const r = await runCapped(['fits', 'info', url], { env: { SKYBOOK_HTTP_TIMEOUT: '0.3' } });
    refused(
      r,
      url,
      /: network error: timed out: nothing received for 0\.3 s after the headers and 0 of 8640 bytes, gave up after 5 attempts$/,
    );
    withinLimits(r);
    expect(server.log.filter((q) => q.method === 'GET')).toHaveLength(5); // lib/core's policy: 4 retries
  });

  it('a hang with a deadline shorter than the retries gives up at the deadline', async () => {
    server.fault({ kind: 'hang', method: 'GET', times: Infinity });
    const url = server.url('/tiny.fits');
    const r = await runCapped(['fits', 'info', url], { env: { SKYBOOK_HTTP_TIMEOUT: '0.5', SKYBOOK_HTTP_DEADLINE: '1' } });
    refused(
      r,
      url,
      /: network error: (timed out: .* gave up after \d attempts?, no time left before its deadline of 1\.1 s|too slow: 0 of 8640 bytes in 1\.1 s, past this request's deadline of 1\.1 s) \(SKYBOOK_HTTP_DEADLINE\)$/,
    );
    withinLimits(r);
    expect(r.seconds).toBeLessThan(5);
  });

  it('a server that ignores Range with a 1 GB body: one warning, only what is needed downloaded', async () => {
    server.ignoreRange = true;
    const url = server.url('/huge.fits');
    const r = await runCapped(['fits', 'info', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { hdus: { name: string; naxis: number[] | null; rows: number | null }[] };
    expect(info.hdus.map((h) => [h.name, h.naxis ?? h.rows])).toEqual([
      ['PRIMARY', []],
      ['OBJECTS', 3],
      ['', [32768, 8192]],
    ]);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `skybook: warning: ${url}: the server ignores Range requests (HTTP 200 with the whole file): each read downloads from the start of the file to the end of what it needs, and no further`,
    ]);
    withinLimits(r);
    expect(r.peakRssMb).toBeLessThan(200);
    // the server pushes what the socket buffers take before the client hangs up: megabytes at most, not the 1 GB
    expect(server.bytesSent).toBeLessThan(16 << 20);
  });
});

describe('hostile HTTP servers: a table read', () => {
  it('fits export of a table behind a server that ignores Range reads the rows, not the 1 GB after them', async () => {
    server.ignoreRange = true;
    const url = server.url('/huge.fits');
    const r = await runCapped(['fits', 'export', url, '--hdu', 'OBJECTS', '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { NAME: string }).NAME),
    ).toEqual(['M31', 'M33', 'NGC1']);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1); // the one warning
    withinLimits(r);
    expect(server.bytesSent).toBeLessThan(16 << 20);
  });

  it('fits export from an endless 206 is refused as fits info is', async () => {
    server.fault({ kind: 'endless', method: 'GET', times: Infinity });
    const url = server.url('/tiny.fits');
    const r = await runCapped(['fits', 'export', url, '--hdu', '1', '--format', 'ndjson']);
    refused(r, url, /^skybook fits export: .*: HTTP 206 for bytes 0-8639 sent more than its Content-Range/);
    withinLimits(r);
  });
});
