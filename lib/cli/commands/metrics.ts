import { resolve } from 'node:path';
import { redactUrl } from '../../core/index.js';
import { UsageError } from '../../errors/index.js';
import { ledgerExposition, replaceFile } from '../../pipeline/index.js';
import { RunLedger } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

/** `--ledger URL`, as every command that reads the run ledger spells it. */
export const LEDGER_FLAG = {
  flag: '--ledger URL',
  help: 'the run ledger: duckdb:PATH or postgres://URL (default: SKYBOOK_LEDGER, else .skybook/ledger.duckdb here)',
};

/**
 * `skybook metrics [--ledger URL] --out FILE [--json]`: the run ledger as Prometheus metrics in a file, replaced whole
 * (written beside it, then renamed), for node_exporter's textfile collector.
 *
 * @example
 * skybook metrics --out /var/lib/prometheus/node-exporter/skybook.prom
 */
export const metrics: Command = {
  name: 'metrics',
  usage: 'skybook metrics [--ledger URL] --out FILE [--json]',
  summary: "the run ledger as Prometheus metrics (text format 0.0.4) in FILE, replaced atomically, for node_exporter's textfile collector",
  flags: [
    LEDGER_FLAG,
    { flag: '--out FILE', help: 'where to write the exposition (a *.prom file in the textfile collector folder); required' },
    { flag: '--json', help: 'print {"out", "ledger", "series", "bytes"} as JSON' },
    { flag: 'skybook metrics serve', help: 'the same metrics over HTTP for Prometheus to scrape (skybook metrics serve --help)' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['ledger', 'out'], switches: ['json'] });
    if (!args.values.out) throw new UsageError('missing --out FILE (where to write the metrics)', { option: 'out' });
    const out = resolve(args.values.out);
    const ledger = RunLedger.resolve(args.values.ledger);
    try {
      const text = await ledgerExposition(ledger);
      await replaceFile(out, text);
      const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      if (args.switches.has('json'))
        io.stdout(toJson({ out, ledger: redactUrl(ledger.url), series, bytes: Buffer.byteLength(text) }) + '\n');
      else io.stdout(`${out}: ${series} series from ${redactUrl(ledger.url)}\n`);
      return 0;
    } finally {
      await ledger.close();
    }
  },
};
