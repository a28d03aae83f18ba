import { redactUrl } from '../../core/index.js';
import { UsageError } from '../../errors/index.js';
import { writeDashboard } from '../../pipeline/index.js';
import { RunLedger } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { LEDGER_FLAG } from './metrics.js';

/**
 * `skybook dashboard [--ledger URL] --out DIR [--json]`: the run ledger as one static HTML page, `DIR/index.html`.
 *
 * @example
 * skybook dashboard --out site/ && chromium site/index.html
 */
export const dashboard: Command = {
  name: 'dashboard',
  usage: 'skybook dashboard [--ledger URL] --out DIR [--json]',
  summary:
    'a static, self-contained HTML page of the run ledger: failures first, QA results, durations over time, every run with its notebook, manifest and outputs',
  flags: [
    LEDGER_FLAG,
    { flag: '--out DIR', help: 'the site folder; the page is DIR/index.html, its links relative to DIR (required)' },
    { flag: '--json', help: 'print {"page", "runs", "failed", "plots", "qaReports", "ledger"} as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['ledger', 'out'], switches: ['json'] });
    if (!args.values.out) throw new UsageError('missing --out DIR (the folder to write index.html into)', { option: 'out' });
    const ledger = RunLedger.resolve(args.values.ledger);
    try {
      const s = await writeDashboard(ledger, args.values.out);
      if (args.switches.has('json')) io.stdout(toJson({ ...s, ledger: redactUrl(ledger.url) }) + '\n');
      else io.stdout(`${s.page}: ${s.runs} runs (${s.failed} failed or interrupted), ${s.plots} plots, ${s.qaReports} QA reports\n`);
      return 0;
    } finally {
      await ledger.close();
    }
  },
};
