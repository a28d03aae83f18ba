import { redactUrl } from '../../core/index.js';
import { UsageError } from '../../errors/index.js';
import { ledgerExposition, serveMetrics } from '../../pipeline/index.js';
import { RunLedger } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { LEDGER_FLAG } from './metrics.js';

/**
 * `skybook metrics serve --port P [--host H] [--ledger URL] [--json]`: `GET /metrics` reads the ledger on each scrape.
 * It prints the URL it listens on once it does (scripts and tests wait for that line) and stops on SIGINT or SIGTERM.
 *
 * @example
 * skybook metrics serve --port 9464   # listening on http://127.0.0.1:9464/metrics
 */
export const metricsServe: Command = {
  name: 'metrics serve',
  usage: 'skybook metrics serve --port P [--host 127.0.0.1] [--ledger URL] [--json]',
  summary: 'serves the run ledger as Prometheus metrics on /metrics (read afresh on each scrape) until SIGINT or SIGTERM',
  flags: [
    { flag: '--port P', help: 'the TCP port to listen on (0: any free port; the URL printed names it); required' },
    { flag: '--host 127.0.0.1', help: 'the address to listen on (default 127.0.0.1; 0.0.0.0 for a Prometheus on another host)' },
    LEDGER_FLAG,
    { flag: '--json', help: 'print {"url", "ledger"} as one JSON line once listening' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['ledger', 'port', 'host'], switches: ['json'] });
    const portText = args.values.port;
    if (portText === undefined) throw new UsageError('missing --port P (the port to serve /metrics on)', { option: 'port' });
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65_535)
      throw new UsageError(`invalid --port ${portText}: a TCP port, 0 to 65535`, { option: 'port' });
    const ledger = RunLedger.resolve(args.values.ledger);
    const errors: string[] = [];
    const server = await serveMetrics({
      port,
      host: args.values.host,
      render: () => ledgerExposition(ledger),
      onError: (e) => {
        // One line per distinct failure, so a broken ledger does not fill the log once per scrape.
        const m = e instanceof Error ? e.message : String(e);
        if (!errors.includes(m)) io.stderr(`skybook metrics serve: scrape failed: ${m}\n`);
        errors.push(m);
      },
    });
    io.stdout(
      args.switches.has('json') ? toJson({ url: server.url, ledger: redactUrl(ledger.url) }) + '\n' : `listening on ${server.url}\n`,
    );
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    await ledger.close();
    return 0;
  },
};
