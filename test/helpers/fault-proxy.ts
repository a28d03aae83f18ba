import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * What the proxy does to the next connection: pass it through, answer 503 itself, reset it before forwarding, or
 * forward the request and reset the client's side before the answer gets back (the request took effect, the client
 * never heard: the case a retried submit must survive).
 */
export type Fault = 'pass' | '503' | 'reset' | 'reset-after-forward';

/**
 * A small TCP proxy of the tests' own between a client and a real server (the Ray dashboard), with a queue of faults
 * applied to the next connections in order (then `pass`), a log of what each connection carried, and `cut()`, which
 * closes every connection and stops listening: the server "going away" as the client sees it.
 *
 * @example
 * const proxy = await faultProxy(8265); proxy.faults.push('503', 'reset'); new RayJobsClient({ address: proxy.url });
 */
export async function faultProxy(
  targetPort: number,
): Promise<{ url: string; faults: Fault[]; requests: string[]; cut(): void; close(): void }> {
  const faults: Fault[] = [];
  const requests: string[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    const fault = faults.shift() ?? 'pass';
    client.once('data', (first) => {
      const line = first.toString('latin1').split('\r\n')[0] ?? '';
      requests.push(`${fault} ${line}`);
      if (fault === '503') {
        client.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      if (fault === 'reset') {
        client.resetAndDestroy();
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1');
      open.add(upstream);
      upstream.on('close', () => open.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.write(first);
      if (fault === 'reset-after-forward') {
        // The server got the whole request; the client's connection dies as the answer starts coming back.
        upstream.once('data', () => {
          client.resetAndDestroy();
          upstream.destroy();
        });
        client.on('data', (d) => upstream.write(d));
        return;
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const cut = () => {
    server.close();
    for (const s of open) s.destroy();
  };
  return { url: `http://127.0.0.1:${port}`, faults, requests, cut, close: cut };
}
