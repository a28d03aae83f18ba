import http from 'node:http';
import https from 'node:https';

/** One answer of the dashboard: status and body text. @example const r: RayHttpReply = await rayHttp('GET', url, {}); r.status; */
export interface RayHttpReply {
  status: number;
  ok: boolean;
  text: string;
}

/**
 * One HTTP request to the Ray dashboard, on its own connection, the body read whole. Not `fetch`: Node's fetch sends
 * `Sec-Fetch-Mode`, and the dashboard refuses any POST, PUT or DELETE that carries a Sec-Fetch header as "browser
 * traffic" (405). Network failures reject with Node's error (its `code`: ECONNRESET, ECONNREFUSED, ETIMEDOUT), which
 * the client's retry policy reads.
 *
 * @example
 * const r = await rayHttp('GET', 'http://127.0.0.1:8265/api/version', { headers: {}, timeoutMs: 30_000 });
 */
export function rayHttp(
  method: string,
  url: string,
  options: { headers: Record<string, string>; body?: string | Buffer; timeoutMs: number },
): Promise<RayHttpReply> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string> = { 'user-agent': 'skybook', ...options.headers };
  if (body) {
    headers['content-length'] = String(body.length);
    if (typeof options.body === 'string') headers['content-type'] ??= 'application/json';
  }
  return new Promise<RayHttpReply>((resolve, reject) => {
    const req = lib.request(u, { method, headers, agent: false, timeout: options.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
