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
import { InternalError, SkybookError, SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { HTTP_DEADLINE_ENV, httpLimitsFromEnv } from './http-env.js';
import { type ByteRange, exchange, parseContentRange, type Reply, seconds } from './http-exchange.js';
import { SegmentCache } from './segment-cache.js';

/**
 * How an {@link HttpSource} fetches. Every field is optional; the defaults suit FITS headers on a public server. The time
 * limits may also come from the environment (`SKYBOOK_HTTP_TIMEOUT`, `SKYBOOK_HTTP_DEADLINE` in seconds,
 * `SKYBOOK_HTTP_MIN_RATE` in bytes per second); an option given here wins over its variable.
 *
 * @example
 * await HttpSource.open(url, { readAheadBytes: 256 * 1024, retries: 2, timeoutMs: 10_000, deadlineMs: 30_000 });
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
  /** A request that receives nothing for this long is abandoned and retried (default 30 s; `SKYBOOK_HTTP_TIMEOUT`). */
  timeoutMs?: number;
  /**
   * The most one request may take, its retries included, before the allowance for its size: a server that sends too
   * slowly (a byte every few seconds never trips `timeoutMs`) is abandoned, not retried (default 60 s; `SKYBOOK_HTTP_DEADLINE`).
   */
  deadlineMs?: number;
  /** The deadline grows by 1 s for every this many bytes asked, so a big read is allowed time at this rate (default 64 KiB/s; `SKYBOOK_HTTP_MIN_RATE`). */
  minBytesPerSecond?: number;
  /** Where a warning goes (the server ignores Range; said once per source). Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
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
  deadlineMs: z.number().positive().default(60_000),
  minBytesPerSecond: z
    .number()
    .positive()
    .default(64 * 1024),
  headers: z.record(z.string(), z.string()).default({}),
});
type Options = z.output<typeof optionsSchema>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** A reply, and how many attempts it took. */
type Sent = Reply & { attempts: number };

/** The time a request has: its deadline on the `performance.now()` clock, when it began, and its whole budget in ms. */
interface Limit {
  deadline: number;
  startedAt: number;
  budgetMs: number;
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
    private readonly warn: (message: string) => void,
  ) {
    this.name = options.name ?? redactUrl(url.href); // a name is printed: never with the URL's password
    this.cache = new SegmentCache(options.cacheBytes);
    this.agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /** Opens `url` and learns its size (HEAD, or a ranged GET where HEAD is refused). */
  static async open(url: string | URL, options: HttpSourceOptions = {}): Promise<HttpSource> {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const merged = { ...httpLimitsFromEnv(process.env, options.name ?? String(url)), ...given };
    const parsed = optionsSchema.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.');
      const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k as PropertyKey], merged);
      throw new SourceError(String(url), `invalid ${key}: ${JSON.stringify(value)} (${issue.message})`);
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch (e) {
      throw new SourceError(String(url), 'not a valid URL', { cause: e });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SourceError(u.href, `not an http(s) URL`);
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, { type: 'SkybookWarning', code: 'SKYBOOK_HTTP' }));
    const src = new HttpSource(u, parsed.data, warn);
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
      const cr = parseContentRange(r.headers['content-range']); // within the asked range: exchange() checked
      if (cr?.total === undefined) throw new SourceError(this.name, `bad Content-Range '${r.headers['content-range']}'`);
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
        // exchange() saw to it that the Content-Range is within what was asked and the body is exactly its length
        const cr = parseContentRange(r.headers['content-range']);
        if (cr?.total !== undefined && cr.total !== this.size) this.changed(`its size is now ${cr.total}`);
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

  private checkSameVersion(r: Sent): void {
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

  /** Marks the server as one that ignores Range, and says so once. */
  private noteRangeIgnored(): void {
    if (this.stats.rangeIgnored) return;
    this.stats.rangeIgnored = true;
    this.warn(
      `${this.name}: the server ignores Range requests (HTTP 200 with the whole file): each read downloads from the start of the file to the end of what it needs, and no further`,
    );
  }

  private fail(r: Sent): never {
    const at = redactUrl(r.url.href) === this.name ? '' : ` at ${redactUrl(r.url.href)}`;
    const s = r.status;
    const why =
      s === 401 || s === 403
        ? 'access denied'
        : s === 404 || s === 410
          ? 'not found'
          : TRANSIENT_STATUS.has(s)
            ? `server error, gave up after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`
            : 'unexpected response';
    throw new SourceError(this.name, `${why} (HTTP ${s})${at}`);
  }

  /**
   * One logical request: redirects followed, transient failures retried with lib/core's backoff, all within one deadline
   * (`deadlineMs` plus 1 s per `minBytesPerSecond` bytes asked). Other statuses are the caller's.
   */
  private async send(method: 'GET' | 'HEAD', headers: Record<string, string>, range?: ByteRange): Promise<Sent> {
    const { retries, retryBaseMs, retryMaxMs, deadlineMs, minBytesPerSecond } = this.options;
    // a server that ignores Range sends from byte 0: allow time for all it must send
    const bytes = range ? range.end - (this.stats.rangeIgnored ? 0 : range.start) : 0;
    const startedAt = performance.now();
    const budgetMs = deadlineMs + (bytes / minBytesPerSecond) * 1000;
    const limit: Limit = { deadline: startedAt + budgetMs, startedAt, budgetMs };
    // a network failure is Node's error or our SourceError with its `code` (a timeout, a body cut short); others are final
    const network = (e: unknown) => !(e instanceof SkybookError) || (e instanceof SourceError && e.code !== undefined);
    let attempts = 0;
    const attempt = (n: number) => {
      attempts = n + 1;
      return this.follow(method, headers, limit, range);
    };
    const reply = await withRetry({ retries, baseMs: retryBaseMs, maxMs: retryMaxMs }, attempt, {
      again: (r) => TRANSIENT_STATUS.has(r.status) && (retryAfterMs(r.headers['retry-after']) ?? true),
      transient: (e) => network(e) && isTransientNetworkError(e),
      fail: (e, { exhausted, attempts, outOfTime }) => {
        if (!network(e)) return e;
        // our own messages say what happened; Node's get their code
        const code = e instanceof SourceError ? '' : ((e as NodeJS.ErrnoException).code ?? '');
        const message = e instanceof SourceError ? e.problem : (e as Error).message;
        const what = `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
        const late = outOfTime || (e instanceof SourceError && e.code === 'EDEADLINE');
        const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
        const gaveUp = outOfTime
          ? `, gave up after ${tries}, no time left before its deadline of ${seconds(budgetMs)}`
          : exhausted
            ? `, gave up after ${tries}`
            : '';
        return new SourceError(this.name, `network error: ${what}${gaveUp}${late ? ` (${HTTP_DEADLINE_ENV})` : ''}`, { cause: e });
      },
      beforeWait: () => {
        if (this.closed) throw new SourceError(this.name, 'closed while retrying');
        this.stats.retries++;
      },
      until: limit.deadline,
    });
    return { ...reply, attempts };
  }

  private async follow(method: 'GET' | 'HEAD', headers: Record<string, string>, limit: Limit, range?: ByteRange): Promise<Reply> {
    let url = this.url;
    let hdrs: Record<string, string> = { 'User-Agent': 'skybook', 'Accept-Encoding': 'identity', ...this.options.headers, ...headers };
    for (let hop = 0; ; hop++) {
      const r = await this.once(method, url, hdrs, limit, range);
      const location = r.headers.location;
      if (!REDIRECTS.has(r.status) || !location) return r;
      if (hop >= MAX_REDIRECTS) throw new SourceError(this.name, `more than ${MAX_REDIRECTS} redirects (last to ${location})`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) hdrs = Object.fromEntries(Object.entries(hdrs).filter(([k]) => k.toLowerCase() !== 'authorization'));
      url = next;
    }
  }

  /** One HTTP exchange, its body bounded by what was asked (http-exchange.ts). */
  private once(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, limit: Limit, range?: ByteRange): Promise<Reply> {
    this.stats.requests++;
    const common = {
      name: this.name,
      url,
      headers,
      agent: this.agent,
      limits: { idleMs: this.options.timeoutMs, ...limit },
      onBytes: (n: number) => {
        this.stats.bytesFetched += n;
      },
    };
    if (method === 'HEAD') return exchange({ ...common, method });
    if (!range) throw new InternalError('HttpSource: a GET without a range (every body must be bounded)');
    return exchange({ ...common, method, range });
  }
}

function stripWeak(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

export { parseContentRange };
