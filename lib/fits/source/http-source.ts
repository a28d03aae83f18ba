import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import {
  DEFAULT_RETRY,
  isTransientNetworkError,
  redactUrl,
  retryAfterMs,
  TRANSIENT_HTTP_STATUS as TRANSIENT_STATUS,
  withRetry,
} from '../../core/index.js';
import { SkybookError, SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';

/**
 * How an {@link HttpSource} fetches. Every field is optional; the defaults suit FITS headers on a public server.
 *
 * @example
 * await HttpSource.open(url, { readAheadBytes: 256 * 1024, retries: 2, timeoutMs: 10_000 });
 */
export interface HttpSourceOptions {
  /** What to call the source in messages (default: the URL). */
  name?: string;
  /** A small read fetches at least this many bytes and keeps them, so walking 2880-byte header blocks is one request (default 64 KiB). */
  readAheadBytes?: number;
  /** Most bytes the read-ahead cache keeps (default 1 MiB). Reads of `readAheadBytes` or more bypass the cache. */
  cacheBytes?: number;
  /** Retries after a transient failure: HTTP 429/500/502/503/504, a reset or timed-out connection (default 4). */
  retries?: number;
  /** First retry delay; each retry doubles it, with jitter (default 200 ms). */
  retryBaseMs?: number;
  /** Longest retry delay, also the cap on a server's Retry-After (default 10 s). */
  retryMaxMs?: number;
  /** A request that receives nothing for this long is abandoned and retried (default 30 s). */
  timeoutMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/**
 * What an {@link HttpSource} has cost so far.
 *
 * @example
 * console.log(`${src.stats.requests} requests, ${src.stats.bytesFetched} bytes`);
 */
export interface HttpSourceStats {
  /** HTTP requests sent, retries and redirects included. */
  requests: number;
  /** Response body bytes received, including bytes skipped when the server ignores Range. */
  bytesFetched: number;
  /** Requests repeated after a transient failure. */
  retries: number;
  /** Reads answered from the read-ahead cache. */
  cacheHits: number;
  /** The server answered a Range request with the whole file: reads work, but each downloads from the start. */
  rangeIgnored: boolean;
}

const optionsSchema = z.object({
  name: z.string().optional(),
  readAheadBytes: z
    .number()
    .int()
    .min(0)
    .default(64 * 1024),
  cacheBytes: z
    .number()
    .int()
    .min(0)
    .default(1024 * 1024),
  retries: z.number().int().min(0).max(20).default(DEFAULT_RETRY.retries),
  retryBaseMs: z.number().min(0).default(DEFAULT_RETRY.baseMs),
  retryMaxMs: z.number().min(0).default(DEFAULT_RETRY.maxMs),
  timeoutMs: z.number().positive().default(30_000),
  headers: z.record(z.string(), z.string()).default({}),
});
type Options = z.output<typeof optionsSchema>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
  url: URL;
}

/** For a 200 answer to a Range request: keep only bytes [start, end) of the full body and hang up after them. */
interface Slice {
  start: number;
  end: number;
}

/**
 * A FITS file on an HTTP(S) server, read by byte range. Small reads are coalesced through a bounded read-ahead cache, transient
 * failures are retried with exponential backoff, and a file that changes on the server mid-read (ETag / Last-Modified) is an
 * error rather than a mix of two versions. A server that ignores Range still works (see `stats.rangeIgnored`).
 *
 * @example
 * const src = await HttpSource.open('https://data.desi.lbl.gov/public/dr1/.../coadd.fits');
 * const hdus = await walkHdus(src);
 * console.log(src.stats.requests, src.stats.bytesFetched);
 */
export class HttpSource implements ByteSource {
  readonly stats: HttpSourceStats = { requests: 0, bytesFetched: 0, retries: 0, cacheHits: 0, rangeIgnored: false };
  readonly name: string;
  size = 0;
  private etag: string | undefined;
  private lastModified: string | undefined;
  private closed = false;
  private readonly cache: SegmentCache;
  private readonly agent: http.Agent;

  private constructor(
    readonly url: URL,
    private readonly options: Options,
  ) {
    this.name = options.name ?? redactUrl(url.href); // a name is printed: never with the URL's password
    this.cache = new SegmentCache(options.cacheBytes);
    this.agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /** Opens `url` and learns its size (HEAD, or a ranged GET where HEAD is refused). */
  static async open(url: string | URL, options: HttpSourceOptions = {}): Promise<HttpSource> {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.');
      const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k as PropertyKey], options);
      throw new SourceError(String(url), `invalid ${key}: ${JSON.stringify(value)} (${issue.message})`);
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch (e) {
      throw new SourceError(String(url), 'not a valid URL', { cause: e });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceError(u.href, `not an http(s) URL`);
    const src = new HttpSource(u, parsed.data);
    try {
      await src.probe();
    } catch (e) {
      await src.close();
      throw e;
    }
    return src;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) throw new SourceError(this.name, 'read after close');
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length))
      throw new SourceError(this.name, `invalid read of ${length} bytes at ${offset}`);
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    const hit = this.cache.find(start, end);
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    const window = this.options.readAheadBytes;
    if (end - start >= window) return this.fetchRange(start, end); // a big read is one request of exactly its range
    const prefix = this.cache.prefix(start);
    const from = start + (prefix?.length ?? 0);
    const got = await this.fetchRange(from, Math.min(this.size, Math.max(end, from + window)));
    this.cache.put(from, got);
    if (!prefix) return got.subarray(0, end - start);
    const out = new Uint8Array(end - start);
    out.set(prefix);
    out.set(got.subarray(0, end - from), prefix.length);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cache.clear();
    this.agent.destroy();
  }

  /** Learns size and validators; a refused HEAD falls back to a ranged GET whose bytes seed the cache. */
  private async probe(): Promise<void> {
    const head = await this.send('HEAD', {});
    const length = head.headers['content-length'];
    if (head.status >= 200 && head.status < 300 && length !== undefined) {
      this.size = Number(length);
      this.remember(head.headers);
      return;
    }
    // a refused HEAD (405, 501, or 403 from a URL signed for GET only) falls back to GET; missing or failing does not
    if (head.status === 404 || head.status === 410 || TRANSIENT_STATUS.has(head.status)) this.fail(head);
    const end = Math.max(1, this.options.readAheadBytes);
    const r = await this.send('GET', { Range: `bytes=0-${end - 1}` }, { start: 0, end });
    if (r.status === 416) {
      this.size = parseContentRange(r.headers['content-range'])?.total ?? 0;
      return;
    }
    if (r.status === 206) {
      const cr = parseContentRange(r.headers['content-range']);
      if (cr?.start !== 0 || cr.total === undefined) throw new SourceError(this.name, `bad Content-Range '${r.headers['content-range']}'`);
      this.size = cr.total;
    } else if (r.status === 200) {
      if (r.headers['content-length'] === undefined) throw new SourceError(this.name, 'the server reports no size (no Content-Length)');
      this.size = Number(r.headers['content-length']);
      this.noteRangeIgnored();
    } else {
      this.fail(r);
    }
    this.remember(r.headers);
    this.cache.put(0, r.body);
  }

  /** Bytes [start, end) by Range requests; a server may answer a range in parts, so loop until all have come. */
  private async fetchRange(start: number, end: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let pos = start;
    while (pos < end) {
      const headers: Record<string, string> = { Range: `bytes=${pos}-${end - 1}` };
      if (this.etag && !this.etag.startsWith('W/')) headers['If-Match'] = this.etag;
      else if (this.lastModified) headers['If-Unmodified-Since'] = this.lastModified;
      const r = await this.send('GET', headers, { start: pos, end });
      this.checkSameVersion(r);
      if (r.status === 200) {
        this.noteRangeIgnored();
        if (Number(r.headers['content-length'] ?? this.size) !== this.size) this.changed(`its size is now ${r.headers['content-length']}`);
      } else if (r.status === 206) {
        const cr = parseContentRange(r.headers['content-range']);
        if (!cr || cr.start !== pos || cr.end >= end || cr.end - cr.start + 1 !== r.body.length) {
          throw new SourceError(
            this.name,
            `asked for bytes ${pos}-${end - 1}, got Content-Range '${r.headers['content-range']}' with ${r.body.length} bytes`,
          );
        }
        if (cr.total !== undefined && cr.total !== this.size) this.changed(`its size is now ${cr.total}`);
      } else {
        this.fail(r);
      }
      if (r.body.length === 0) throw new SourceError(this.name, `no bytes returned for bytes ${pos}-${end - 1}`);
      parts.push(r.body);
      pos += r.body.length;
    }
    return parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts));
  }

  private remember(headers: http.IncomingHttpHeaders): void {
    this.etag ??= headers.etag;
    this.lastModified ??= headers['last-modified'];
  }

  private checkSameVersion(r: Reply): void {
    if (r.status === 412) this.changed('the server reports its ETag / Last-Modified no longer match');
    const etag = r.headers.etag;
    if (etag && this.etag && stripWeak(etag) !== stripWeak(this.etag)) this.changed(`ETag ${this.etag} became ${etag}`);
    const modified = r.headers['last-modified'];
    if (!this.etag && modified && this.lastModified && modified !== this.lastModified)
      this.changed(`Last-Modified ${this.lastModified} became ${modified}`);
    this.remember(r.headers);
  }

  private changed(how: string): never {
    throw new SourceError(this.name, `changed on the server while being read (${how}); open it again`);
  }

  private noteRangeIgnored(): void {
    this.stats.rangeIgnored = true;
  }

  private fail(r: Reply): never {
    const at = redactUrl(r.url.href) === this.name ? '' : ` at ${redactUrl(r.url.href)}`;
    const s = r.status;
    const why =
      s === 401 || s === 403
        ? 'access denied'
        : s === 404 || s === 410
          ? 'not found'
          : TRANSIENT_STATUS.has(s)
            ? `server error, gave up after ${this.options.retries + 1} attempts`
            : 'unexpected response';
    throw new SourceError(this.name, `${why} (HTTP ${s})${at}`);
  }

  /** One logical request: redirects followed, transient failures retried with lib/core's backoff. Other statuses are the caller's. */
  private async send(method: 'GET' | 'HEAD', headers: Record<string, string>, slice?: Slice): Promise<Reply> {
    const { retries, retryBaseMs, retryMaxMs } = this.options;
    // a network failure is Node's error or our SourceError with its `code` (a timeout, a body cut short); others are final
    const network = (e: unknown) => !(e instanceof SkybookError) || (e instanceof SourceError && e.code !== undefined);
    return withRetry({ retries, baseMs: retryBaseMs, maxMs: retryMaxMs }, () => this.follow(method, headers, slice), {
      again: (r) => TRANSIENT_STATUS.has(r.status) && (retryAfterMs(r.headers['retry-after']) ?? true),
      transient: (e) => network(e) && isTransientNetworkError(e),
      fail: (e, { exhausted, attempts }) => {
        if (!network(e)) return e;
        const code = (e as NodeJS.ErrnoException).code ?? '';
        const message = e instanceof SourceError ? e.problem : (e as Error).message;
        const what = `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
        return new SourceError(this.name, `network error: ${what}${exhausted ? `, gave up after ${attempts} attempts` : ''}`, { cause: e });
      },
      beforeWait: () => {
        if (this.closed) throw new SourceError(this.name, 'closed while retrying');
        this.stats.retries++;
      },
    });
  }

  private async follow(method: 'GET' | 'HEAD', headers: Record<string, string>, slice?: Slice): Promise<Reply> {
    let url = this.url;
    let hdrs: Record<string, string> = { 'User-Agent': 'skybook', 'Accept-Encoding': 'identity', ...this.options.headers, ...headers };
    for (let hop = 0; ; hop++) {
      const r = await this.once(method, url, hdrs, slice);
      const location = r.headers.location;
      if (!REDIRECTS.has(r.status) || !location) return r;
      if (hop >= MAX_REDIRECTS) throw new SourceError(this.name, `more than ${MAX_REDIRECTS} redirects (last to ${location})`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) hdrs = Object.fromEntries(Object.entries(hdrs).filter(([k]) => k.toLowerCase() !== 'authorization'));
      url = next;
    }
  }

  /** One HTTP exchange. Rejects with a Node error, or a SourceError with its `code`, on network failure or a body cut short. */
  private once(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, slice?: Slice): Promise<Reply> {
    const lib = url.protocol === 'https:' ? https : http;
    this.stats.requests++;
    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      const done = (err: Error | undefined, reply?: Reply): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(reply!);
      };
      const req = lib.request(url, { method, headers, agent: this.agent }, (res) => {
        const status = res.statusCode ?? 0;
        const reply = (body: Uint8Array): Reply => ({ status, headers: res.headers, body, url });
        if (method === 'HEAD' || (status !== 200 && status !== 206)) {
          res.resume(); // drain a short error body so the connection can be reused
          done(undefined, reply(new Uint8Array(0)));
          return;
        }
        const expected = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
        const ignoring = status === 200 && slice !== undefined;
        const chunks: Buffer[] = [];
        let seen = 0;
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          this.stats.bytesFetched += chunk.length;
          if (!ignoring) {
            chunks.push(chunk);
            seen += chunk.length;
            return;
          }
          const from = Math.max(0, slice.start - seen);
          const to = Math.min(chunk.length, slice.end - seen);
          seen += chunk.length;
          if (to > from) {
            chunks.push(chunk.subarray(from, to));
            kept += to - from;
          }
          if (seen >= slice.end) {
            done(undefined, reply(Buffer.concat(chunks, kept)));
            res.destroy();
          }
        });
        res.on('end', () => {
          if (expected !== undefined && seen < expected) return done(premature(this.name, seen, expected));
          done(undefined, reply(Buffer.concat(chunks)));
        });
        res.on('error', (e) => done(e));
        res.on('close', () => done(premature(this.name, seen, expected)));
      });
      req.setTimeout(this.options.timeoutMs, () => {
        req.destroy(new SourceError(this.name, `timed out: nothing received for ${this.options.timeoutMs} ms`, { code: 'ETIMEDOUT' }));
      });
      req.on('error', (e) => done(e));
      req.end();
    });
  }
}

function premature(name: string, seen: number, expected: number | undefined): SourceError {
  const of = expected === undefined ? '' : ` of ${expected}`;
  return new SourceError(name, `connection closed after ${seen}${of} bytes`, { code: 'EPREMATURE' });
}

function stripWeak(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/** `bytes 0-99/1000` -> {start 0, end 99, total 1000}; `bytes *\/1000` -> {start -1, end -1, total 1000}. */
export function parseContentRange(value: string | undefined): { start: number; end: number; total: number | undefined } | undefined {
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return undefined;
  return { start: m[1] ? Number(m[1]) : -1, end: m[2] ? Number(m[2]) : -1, total: m[3] === '*' ? undefined : Number(m[3]) };
}

/** Recently fetched read-ahead windows, oldest evicted first once their total passes `limit` bytes. */
class SegmentCache {
  private segments: { start: number; bytes: Uint8Array }[] = [];
  private total = 0;

  constructor(private readonly limit: number) {}

  /** The bytes [start, end) when one segment holds them all. */
  find(start: number, end: number): Uint8Array | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.start <= start && s.start + s.bytes.length >= end) return s.bytes.subarray(start - s.start, end - s.start);
    }
    return undefined;
  }

  /** The longest cached run of bytes beginning at `start`, if any. */
  prefix(start: number): Uint8Array | undefined {
    let best: Uint8Array | undefined;
    for (const s of this.segments) {
      if (s.start <= start && s.start + s.bytes.length > start) {
        const run = s.bytes.subarray(start - s.start);
        if (!best || run.length > best.length) best = run;
      }
    }
    return best;
  }

  put(start: number, bytes: Uint8Array): void {
    if (bytes.length === 0 || bytes.length > this.limit) return;
    this.segments.push({ start, bytes });
    this.total += bytes.length;
    while (this.total > this.limit) this.total -= this.segments.shift()!.bytes.length;
  }

  clear(): void {
    this.segments = [];
    this.total = 0;
  }
}
