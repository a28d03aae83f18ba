import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PipelineError } from '../../errors/index.js';
import { EXPOSITION_CONTENT_TYPE } from './ledger-metrics.js';

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** Where Prometheus scrapes it: `http://HOST:PORT/metrics`. */
  url: string;
  port: number;
  /** Stops listening and ends open connections; resolves when the server is closed. */
  close(): Promise<void>;
}

/** Where to listen, and how to render the exposition on each scrape. */
export interface MetricsServerOptions {
  /** 0 picks a free port (see `url`). */
  port: number;
  /** Default 127.0.0.1: metrics name users, hosts and files, so they are served beyond this machine only when asked. */
  host?: string;
  /** Renders the exposition; called once per scrape, so every scrape sees the ledger as it is then. */
  render(): Promise<string>;
  /** Told of a scrape that failed (it is answered 500). */
  onError?(e: unknown): void;
}

/**
 * An HTTP server answering `GET /metrics` (and `HEAD`) with the text exposition format, freshly rendered for each scrape;
 * anything else is 404, another method 405. A render that fails is answered 500, so Prometheus marks the target down
 * (`up == 0`) rather than keeping stale values.
 *
 * @example
 * const server = await serveMetrics({ port: 9464, render: () => ledgerExposition(ledger) });
 * console.log(server.url); // 'http://127.0.0.1:9464/metrics'
 * await server.close();
 */
export async function serveMetrics(opts: MetricsServerOptions): Promise<MetricsServer> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: skybook serves /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' }).end('method not allowed\n');
      return;
    }
    opts.render().then(
      (text) => {
        const body = Buffer.from(text, 'utf8');
        res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (e: unknown) => {
        opts.onError?.(e);
        res
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end(`skybook metrics: ${e instanceof Error ? e.message : String(e)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new PipelineError(`cannot listen on ${host}:${opts.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`, {}, 1),
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
