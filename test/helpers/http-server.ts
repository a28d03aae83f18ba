import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the test server saw it. */
export interface RequestRecord {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  /** Body bytes actually written for this request. */
  bytesSent: number;
}

/**
 * A scripted failure for the next matching request(s): an HTTP status, a connection dropped before any response
 * (`hangup`), a response cut off after half its body (`reset`), no answer at all until the server closes (`stall`),
 * or a redirect elsewhere (`redirect`). The hostile roles answer as a broken or malicious server would: `endless`, the
 * right status and Content-Range but no Content-Length and a body that never ends (the asked bytes, then the rest of
 * the file, then zeros, as fast as the client takes them); `drip`, the right headers, then one body byte every
 * `intervalMs`; `hang`, the right headers, then nothing until the client gives up; `headers`, the right body under the headers given
 * (a lie). Give `times: Infinity` for a server
 * that always does it.
 */
export interface Fault {
  kind: 'status' | 'hangup' | 'reset' | 'stall' | 'redirect' | 'endless' | 'drip' | 'hang' | 'headers';
  /** For `status` (default 500) and `redirect` (default 302). */
  status?: number;
  /** For `redirect`: the Location header. */
  location?: string;
  /** For `drip`: milliseconds between body bytes (default 1000). */
  intervalMs?: number;
  /** For `headers`: response headers to set over the right ones (a server that lies about its Content-Range). */
  headers?: Record<string, string>;
  /** Only requests for this path (default: any). */
  path?: string;
  /** Only this method (default: any). */
  method?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

/**
 * A file too big to hold: `head`, then zeros up to `size` bytes, made piece by piece as they are sent (a 1 GB body
 * costs the test no memory).
 */
export interface SparseFile {
  head: Uint8Array;
  size: number;
}

/** What the server can serve at a path: a file on disk (read once), bytes, or a {@link SparseFile}. */
export type ServedFile = string | Uint8Array | SparseFile;

/** Behaviour switches; all may be changed while the server runs. */
export interface TestServerOptions {
  /** URL path -> file path on disk (read once), bytes, or a sparse file. */
  files?: Record<string, ServedFile>;
  /** Answer every GET with 200 and the whole body, as a server without Range support does. */
  ignoreRange?: boolean;
  /** Answer HEAD with 405 (as some presigned-URL hosts do). */
  rejectHead?: boolean;
  /** Send ETag and Last-Modified headers (default true). */
  validators?: boolean;
}

/**
 * A local HTTP server for tests: 127.0.0.1 only, a random port, single-range `Range` support, ETag/If-Match, and counts of
 * requests and body bytes sent, so a test can check how much a reader really fetched. Faults can be scripted.
 *
 * @example
 * const server = await TestHttpServer.start({ files: { '/tb.fits': 'fixtures/tb.fits' } });
 * const src = await HttpSource.open(server.url('/tb.fits'));
 * expect(server.bytesSent).toBeLessThan(100_000);
 * await server.close();
 */
export class TestHttpServer {
  readonly log: RequestRecord[] = [];
  ignoreRange: boolean;
  rejectHead: boolean;
  validators: boolean;
  private readonly files = new Map<string, { body: Body; etag: string; modified: Date }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly faults: Fault[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    options: TestServerOptions,
  ) {
    this.ignoreRange = options.ignoreRange ?? false;
    this.rejectHead = options.rejectHead ?? false;
    this.validators = options.validators ?? true;
  }

  static async start(options: TestServerOptions = {}): Promise<TestHttpServer> {
    let self: TestHttpServer | undefined;
    const server = createServer((req, res) => self!.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    self = new TestHttpServer(server, (server.address() as AddressInfo).port, options);
    for (const [path, content] of Object.entries(options.files ?? {})) self.setFile(path, content);
    return self;
  }

  /** `http://127.0.0.1:PORT/path`. */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** Serves (or replaces, with a new ETag) the bytes at `path`. */
  setFile(path: string, content: ServedFile): void {
    const bytes = typeof content === 'string' ? new Uint8Array(readFileSync(content)) : content;
    const body = bytes instanceof Uint8Array ? bytesBody(bytes) : sparseBody(bytes);
    const hash = createHash('sha1').update(bytes instanceof Uint8Array ? bytes : bytes.head);
    if (!(bytes instanceof Uint8Array)) hash.update(String(bytes.size));
    const etag = `"${hash.digest('hex').slice(0, 16)}"`;
    // Last-Modified has one-second resolution: make each version distinct
    const prev = this.files.get(path)?.modified.getTime() ?? Date.UTC(2024, 0, 1);
    this.files.set(path, { body, etag, modified: new Date(prev + 1000) });
  }

  /** Queues a fault for the next matching request(s). */
  fault(f: Fault): void {
    this.faults.push({ ...f, times: f.times ?? 1 });
  }

  /** Drops faults not yet used up. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Number of requests received (all methods). */
  get requests(): number {
    return this.log.length;
  }

  /** Body bytes sent, summed over all requests. */
  get bytesSent(): number {
    return this.log.reduce((n, r) => n + r.bytesSent, 0);
  }

  /** Forgets the request log. */
  resetStats(): void {
    this.log.length = 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.path || f.path === path) && (!f.method || f.method === method));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times = f.times! - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range;
    const rec: RequestRecord = { method, path, range, status: 0, bytesSent: 0 };
    this.log.push(rec);
    const fault = this.takeFault(method, path);
    const file = this.files.get(path);
    if (fault?.kind === 'stall') return;
    if (fault?.kind === 'hangup') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'redirect')
      return this.finish(res, rec, fault.status ?? 302, { Location: fault.location ?? '/' }, new Uint8Array(0));
    if (fault?.kind === 'status') return this.finish(res, rec, fault.status ?? 500, {}, new Uint8Array(0));
    if (!file) return this.finish(res, rec, 404, {}, new TextEncoder().encode('not found'));
    if (method === 'HEAD' && this.rejectHead) return this.finish(res, rec, 405, {}, new Uint8Array(0));
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (this.validators) {
      headers.ETag = file.etag;
      headers['Last-Modified'] = file.modified.toUTCString();
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== '*' && !ifMatch.split(',').some((t) => t.trim() === file.etag)) {
        return this.finish(res, rec, 412, {}, new Uint8Array(0));
      }
    }
    const size = file.body.length;
    let status = 200;
    let body = file.body;
    let from = 0;
    if (!this.ignoreRange) headers['Accept-Ranges'] = 'bytes';
    if (range && !this.ignoreRange && method === 'GET') {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range);
      if (m && (m[1] || m[2])) {
        const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
        const end = m[1] ? (m[2] ? Math.min(Number(m[2]), size - 1) : size - 1) : size - 1;
        if (start >= size || end < start) {
          return this.finish(res, rec, 416, { 'Content-Range': `bytes */${size}` }, new Uint8Array(0));
        }
        status = 206;
        headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
        body = sliceBody(file.body, start, end + 1);
        from = start;
      }
    }
    if (fault?.kind === 'reset') {
      res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
      const half = body.piece(0, Math.floor(body.length / 2));
      rec.status = status;
      rec.bytesSent = half.length;
      res.write(half, () => req.socket.destroy());
      return;
    }
    if (fault?.kind === 'headers') Object.assign(headers, fault.headers);
    if (method !== 'HEAD' && fault?.kind === 'endless') return this.endless(res, rec, status, headers, file.body, from);
    if (method !== 'HEAD' && fault?.kind === 'hang') {
      rec.status = status;
      res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
      res.flushHeaders();
      return;
    }
    if (method !== 'HEAD' && fault?.kind === 'drip') return this.drip(res, rec, status, headers, body, fault.intervalMs ?? 1000);
    this.finish(res, rec, status, headers, method === 'HEAD' ? bytesBody(new Uint8Array(0)) : body, body.length);
  }

  /** The asked bytes' headers with no Content-Length, then the file from the range's start on, then zeros, forever. */
  private endless(
    res: ServerResponse,
    rec: RequestRecord,
    status: number,
    headers: Record<string, string>,
    file: Body,
    start: number,
  ): void {
    rec.status = status;
    res.writeHead(status, headers); // no Content-Length: chunked, so the body has no declared end
    const zeros = new Uint8Array(CHUNK);
    let pos = start;
    const pump = (): void => {
      while (!res.destroyed) {
        const piece = pos < file.length ? file.piece(pos, Math.min(file.length, pos + CHUNK)) : zeros;
        pos += piece.length;
        rec.bytesSent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  }

  /** The right headers, then one body byte every `intervalMs` until the body is done or the client hangs up. */
  private drip(
    res: ServerResponse,
    rec: RequestRecord,
    status: number,
    headers: Record<string, string>,
    body: Body,
    intervalMs: number,
  ): void {
    rec.status = status;
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
    res.flushHeaders();
    let pos = 0;
    const timer = setInterval(() => {
      if (res.destroyed || pos >= body.length) {
        clearInterval(timer);
        this.timers.delete(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(body.piece(pos, pos + 1));
      pos++;
      rec.bytesSent++;
    }, intervalMs);
    this.timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      this.timers.delete(timer);
    });
  }

  /** Writes the response in 64 KiB chunks with backpressure, counting bytes handed to the socket (a client that hangs up stops the count). */
  private finish(
    res: ServerResponse,
    rec: RequestRecord,
    status: number,
    headers: Record<string, string>,
    content: Uint8Array | Body,
    length = content.length,
  ): void {
    const body = content instanceof Uint8Array ? bytesBody(content) : content;
    rec.status = status;
    res.writeHead(status, { ...headers, 'Content-Length': String(length) });
    let pos = 0;
    const pump = (): void => {
      while (pos < body.length) {
        if (res.destroyed) return;
        const piece = body.piece(pos, Math.min(body.length, pos + CHUNK));
        pos += piece.length;
        rec.bytesSent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }
}

const CHUNK = 64 * 1024;

/** A response body made piece by piece: `piece(start, end)` is bytes [start, end) of it. */
interface Body {
  length: number;
  piece(start: number, end: number): Uint8Array;
}

function bytesBody(bytes: Uint8Array): Body {
  return { length: bytes.length, piece: (start, end) => bytes.subarray(start, end) };
}

function sparseBody({ head, size }: SparseFile): Body {
  return {
    length: size,
    piece(start, end) {
      const out = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      if (start < head.length) out.set(head.subarray(start, Math.min(end, head.length)));
      return out;
    },
  };
}

function sliceBody(body: Body, start: number, end: number): Body {
  return { length: end - start, piece: (a, b) => body.piece(start + a, start + Math.min(b, end - start)) };
}
