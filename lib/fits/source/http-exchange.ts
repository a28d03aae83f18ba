import http from 'node:http';
import https from 'node:https';
import { SourceError } from '../../errors/index.js';

/** Bytes [start, end) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What one exchange brought back: status, headers, the body bytes kept, and the URL that answered. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** A 206's bytes, or the asked range's bytes of a 200; empty for HEAD and any other status. */
  body: Uint8Array;
  url: URL;
}

/** How long an exchange may take. */
export interface ExchangeLimits {
  /** Nothing received for this long: abandoned with code ETIMEDOUT, which the retry policy retries. */
  idleMs: number;
  /** The `performance.now()` time the whole request (all its attempts) must be done by: past it, code EDEADLINE, final. */
  deadline: number;
  /** When the request's first attempt began, and its whole budget in ms: for the message. */
  startedAt: number;
  budgetMs: number;
}

/**
 * One HTTP exchange of an {@link HttpSource}. A GET always asks for a range, and its body is never buffered past it.
 *
 * @example
 * await exchange({ name, method: 'GET', url, headers: { Range: 'bytes=0-99' }, range: { start: 0, end: 100 }, agent, limits });
 */
export type ExchangeRequest = {
  /** The source's name, for messages. */
  name: string;
  url: URL;
  headers: Record<string, string>;
  agent: http.Agent;
  limits: ExchangeLimits;
  /** Called with the size of every body chunk received, kept or not. */
  onBytes?(n: number): void;
} & ({ method: 'HEAD' } | { method: 'GET'; range: ByteRange });

/** The most of an unwanted body (an error page, a redirect's) read so the connection can be reused; past it, hung up on. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * Sends one request and reads its answer within bounds: a 206 must carry a Content-Range inside the asked range and is
 * cut off (an error) the moment its body runs past that length; a 200 to a Range request (a server that ignores Range)
 * is read only up to the end of the asked range, keeping just the asked bytes, and then hung up on; any other body is
 * drained up to 64 KiB. Rejects with a Node network error, or a SourceError whose `code` tells a network failure:
 * ETIMEDOUT (nothing received for `idleMs`), EPREMATURE (a body cut short), EDEADLINE (past `deadline`); a SourceError
 * without `code` for a server that broke the protocol.
 *
 * @example
 * const r = await exchange({ name: url.href, method: 'HEAD', url, headers: {}, agent, limits });
 * console.log(r.status, r.headers['content-length']);
 */
export function exchange(x: ExchangeRequest): Promise<Reply> {
  const { name, url, limits } = x;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    let deadlineTimer: NodeJS.Timeout | undefined;
    let headersIn = false;
    let seen = 0;
    let expected: number | undefined = x.method === 'GET' ? x.range.end - x.range.start : undefined;
    const done = (err: Error | undefined, reply?: Reply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      if (err) reject(err);
      else resolve(reply!);
    };
    // what has come so far, for the messages: `no response`, or `1234 of 65536 bytes`
    const progress = (): string => (headersIn ? `${seen} of ${expected ?? '?'} bytes` : 'no response');
    const left = limits.deadline - performance.now();
    if (left <= 0) return done(tooSlow(name, progress(), limits));

    const req = lib.request(url, { method: x.method, headers: x.headers, agent: x.agent }, (res) => {
      headersIn = true;
      const status = res.statusCode ?? 0;
      const reply = (body: Uint8Array): Reply => ({ status, headers: res.headers, body, url });
      // settle first, then hang up: the error that settles is ours, not the 'close' the hang-up causes
      const abort = (err: Error): void => {
        done(err);
        res.destroy();
      };
      if (x.method === 'HEAD' || (status !== 200 && status !== 206)) {
        done(undefined, reply(new Uint8Array(0)));
        let drained = 0;
        res.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAIN_LIMIT) res.destroy();
        });
        res.on('error', () => {}); // settled already; a broken error page is no one's concern
        return;
      }
      const { range } = x;
      const asked = `bytes ${range.start}-${range.end - 1}`;
      const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
      // a 206 must stay within what was asked, and its body is cut off at its Content-Range's length
      let cap = Number.POSITIVE_INFINITY;
      if (status === 206) {
        const text = res.headers['content-range'];
        const cr = parseContentRange(text);
        if (!cr || cr.start !== range.start || cr.end < cr.start || cr.end >= range.end) {
          return abort(new SourceError(name, `asked for ${asked}, got HTTP 206 with Content-Range '${text ?? ''}'`));
        }
        cap = cr.end - cr.start + 1;
        if (declared !== undefined && declared !== cap) {
          return abort(
            new SourceError(name, `HTTP 206 for ${asked}: its Content-Length ${declared} disagrees with its Content-Range '${text}'`),
          );
        }
        expected = cap;
      } else {
        expected = range.end; // a 200 starts at the file's first byte
      }
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        x.onBytes?.(chunk.length);
        const at = seen;
        seen += chunk.length;
        if (status === 206) {
          if (seen > cap) {
            const what = `'${res.headers['content-range']}' (${cap} bytes)`;
            return abort(new SourceError(name, `HTTP 206 for ${asked} sent more than its Content-Range ${what}; cut off there`));
          }
          chunks.push(chunk);
          kept = seen;
          return;
        }
        // a 200: the server ignores Range; keep only the asked bytes and hang up once they are in
        const from = Math.max(0, range.start - at);
        const to = Math.min(chunk.length, range.end - at);
        if (to > from) {
          chunks.push(chunk.subarray(from, to));
          kept += to - from;
        }
        if (seen >= range.end) {
          done(undefined, reply(Buffer.concat(chunks, kept)));
          res.destroy();
        }
      });
      res.on('end', () => {
        const whole = status === 206 ? cap : declared;
        if (whole !== undefined && seen < whole) return done(premature(name, seen, whole));
        done(undefined, reply(Buffer.concat(chunks, kept)));
      });
      res.on('error', (e) => done(e));
      res.on('close', () => done(premature(name, seen, status === 206 ? cap : declared)));
    });
    const fail = (err: Error): void => {
      done(err);
      req.destroy();
    };
    deadlineTimer = setTimeout(() => fail(tooSlow(name, progress(), limits)), left);
    req.setTimeout(limits.idleMs, () => {
      const idle = seconds(limits.idleMs);
      const what = headersIn ? `nothing received for ${idle} after the headers and ${progress()}` : `no response in ${idle}`;
      fail(new SourceError(name, `timed out: ${what}`, { code: 'ETIMEDOUT' }));
    });
    req.on('error', (e) => done(e));
    req.end();
  });
}

function tooSlow(name: string, progress: string, limits: ExchangeLimits): SourceError {
  const took = seconds(performance.now() - limits.startedAt);
  return new SourceError(name, `too slow: ${progress} in ${took}, past this request's deadline of ${seconds(limits.budgetMs)}`, {
    code: 'EDEADLINE',
  });
}

function premature(name: string, seen: number, expected: number | undefined): SourceError {
  const of = expected === undefined ? '' : ` of ${expected}`;
  return new SourceError(name, `connection closed after ${seen}${of} bytes`, { code: 'EPREMATURE' });
}

/** `1.5 s`, `12 s`, `90 s`, `2 min 33 s`: precise where it is short. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Number(s.toFixed(1))} s`;
  const r = Math.round(s);
  return r < 120 ? `${r} s` : `${Math.floor(r / 60)} min ${r % 60} s`;
}

/** `bytes 0-99/1000` -> {start 0, end 99, total 1000}; `bytes *\/1000` -> {start -1, end -1, total 1000}. */
export function parseContentRange(value: string | undefined): { start: number; end: number; total: number | undefined } | undefined {
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return { start: m[1] ? Number(m[1]) : -1, end: m[2] ? Number(m[2]) : -1, total: m[3] === '*' ? undefined : Number(m[3]) };
}
