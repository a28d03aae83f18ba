import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors/index.js';
import { DatasetsRegistry, governanceHtml, governanceReport, reportPeriod, RunHistory } from '../../pipeline/index.js';
import { RunLedger } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { writeOutput } from '../output-file.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

/** The registry read when `--datasets` is not given and the working directory has one. */
const DEFAULT_REGISTRY = 'datasets.yaml';

/**
 * `skybook report governance --since DATE [--until DATE] [--datasets datasets.yaml] [--ledger URL] [--out DIR] [--json]`:
 * every dataset the ledger's runs touched in a period, with its licence and access level from the registry (or listed
 * as unregistered), its hashes, and every run that read or wrote it, by whom and with which software.
 *
 * @example
 * skybook report governance --since 2025-06-01 --until 2025-06-30 --out reports/2025-06
 */
export const reportGovernance: Command = {
  name: 'report governance',
  usage: 'skybook report governance --since DATE [--until DATE] [--datasets datasets.yaml] [--ledger URL] [--out DIR] [--json]',
  summary:
    'every dataset touched in a period (licence, access level and source from datasets.yaml, or unregistered), its hashes, and every run that read or wrote it, by whom, with which software; JSON and HTML',
  flags: [
    { flag: '--since DATE', help: 'the first day (YYYY-MM-DD, UTC) or time (ISO 8601) of the period; required' },
    { flag: '--until DATE', help: 'the last day of the period, included (or an ISO time, excluded); default: no end' },
    {
      flag: '--datasets datasets.yaml',
      help: 'the datasets registry (default: datasets.yaml in the working directory when there is one, else none: every file unregistered)',
    },
    {
      flag: '--ledger URL',
      help: 'the run ledger: duckdb:PATH or postgres://URL (default: SKYBOOK_LEDGER, else .skybook/ledger.duckdb here)',
    },
    { flag: '--out DIR', help: 'write governance.json and governance.html (self-contained) into DIR, made if needed' },
    { flag: '--json', help: 'print the report as JSON (what it does anyway without --out)' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['since', 'until', 'datasets', 'ledger', 'out'], switches: ['json'] });
    if (args.values.since === undefined) throw new UsageError('missing --since DATE (the start of the period)', { option: 'since' });
    const period = reportPeriod(args.values.since, args.values.until);
    const registryPath = args.values.datasets ?? (existsSync(DEFAULT_REGISTRY) ? DEFAULT_REGISTRY : undefined);
    const registry = registryPath === undefined ? DatasetsRegistry.empty() : DatasetsRegistry.read(registryPath);
    const ledger = RunLedger.resolve(args.values.ledger);
    let report;
    try {
      report = governanceReport(await RunHistory.read(ledger), registry, period);
    } finally {
      await ledger.close();
    }
    const json = `${toJson(report, 1)}\n`;
    const out = args.values.out;
    if (out !== undefined) {
      try {
        mkdirSync(out, { recursive: true });
      } catch (e) {
        throw new UsageError(`--out ${out}: cannot make the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
          option: 'out',
          value: out,
        });
      }
      await writeOutput('--out', join(out, 'governance.json'), json);
      await writeOutput('--out', join(out, 'governance.html'), governanceHtml(report));
    }
    if (out === undefined || args.switches.has('json')) io.stdout(json);
    else {
      const s = report.summary;
      io.stdout(
        `${resolve(out)}: governance.json, governance.html: ${s.datasets} dataset(s), ${s.unregistered} unregistered file(s), ` +
          `${s.runs} run(s) from ${period.since} to ${period.until ?? 'now'}\n`,
      );
    }
    return 0;
  },
};
