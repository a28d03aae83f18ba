import { PipelineError, UsageError } from '../../errors/index.js';
import { breachLines, qaReportHtml, qaReportJson, qaSummary, readChecksFile, runQaChecks, type QaReport } from '../../pipeline/index.js';
import { hashFile } from '../../provenance/index.js';
import { LEDGER_ENV, openStore } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { ledgerFiles, withLedgerRun } from '../ledger-hook.js';
import { OutputFile } from '../output-file.js';
import type { Command } from './command.js';

/**
 * `skybook qa CHECKS.yaml --db URL`: declarative data-quality checks on store tables, a JSON and HTML report, exit 1 on
 * a breach so a pipeline stage can gate the next (docs/qa.md).
 *
 * @example
 * skybook qa checks/zcat.yaml --db duckdb:survey.duckdb --report qa/zcat.json --html qa/zcat.html
 */
export const qaCommand: Command = {
  name: 'qa',
  usage: 'skybook qa CHECKS.yaml --db URL [--report REPORT.json] [--html REPORT.html] [--ledger URL] [--json]',
  summary:
    'data-quality gates on store tables (rows, null and NaN rates, ranges, allowed values, good redshifts, KS drift); exit 1 on a breach',
  flags: [
    { flag: 'CHECKS.yaml', help: 'the checks file (docs/qa.md); reference files in it are relative to its folder' },
    { flag: '--db URL', help: 'the store to check, opened read-only: duckdb:PATH (must exist) or postgres://USER@HOST:PORT/DB (required)' },
    { flag: '--report REPORT.json', help: 'write the report as JSON (written whole, then renamed into place)' },
    { flag: '--html REPORT.html', help: 'write the report as a self-contained HTML page, failed checks first' },
    {
      flag: '--ledger URL',
      help: `record the run in this run ledger (kind qa); default ${LEDGER_ENV} when set, else no ledger row`,
    },
    { flag: '--json', help: 'print the report as JSON instead of the summary' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['checks'], values: ['db', 'report', 'html', 'ledger'], switches: ['json'] });
    const db = args.values.db;
    if (!db) throw new UsageError('missing --db URL', { option: 'db' });
    const checksPath = args.positionals.checks!;
    const checks = await readChecksFile(checksPath);
    const outputs: [string, OutputFile][] = [];
    try {
      if (args.values.report) outputs.push(['json', await OutputFile.open('--report', args.values.report)]);
      if (args.values.html) outputs.push(['html', await OutputFile.open('--html', args.values.html)]);
    } catch (e) {
      for (const [, f] of outputs) await f.abandon();
      throw e;
    }
    // A bare `skybook qa` records nothing (it must not make .skybook/ in whatever folder it is run from); --ledger
    // names a ledger as SKYBOOK_LEDGER does.
    const env = args.values.ledger ? { ...process.env, [LEDGER_ENV]: args.values.ledger } : process.env;
    const { report, breaches } = await withLedgerRun(
      { kind: 'qa', name: checksPath, params: { db }, inputs: ledgerFiles([await hashFile(checksPath)]) },
      async () => {
        try {
          const store = await openStore(db, { readOnly: true, create: false });
          let report: QaReport;
          try {
            report = await runQaChecks(checks, store);
          } finally {
            await store.close();
          }
          for (const [kind, file] of outputs) {
            await file.write(kind === 'json' ? qaReportJson(report) : qaReportHtml(report));
            await file.commit();
          }
          const written = await Promise.all(outputs.map(([, f]) => hashFile(f.path)));
          return { report, breaches: breachLines(report), written };
        } catch (e) {
          for (const [, f] of outputs) await f.abandon();
          throw e;
        }
      },
      (r) => ({
        status: r.report.passed ? 'completed' : 'failed',
        outputs: ledgerFiles(r.written),
        ...(r.breaches.length && { error: r.breaches.join('; ') }),
      }),
      env,
    );
    io.stdout(args.switches.has('json') ? qaReportJson(report) : qaSummary(report));
    if (!report.passed)
      throw new PipelineError(
        `${breaches.length} of ${report.results.length} checks failed: ${breaches.join('; ')}`,
        { file: checksPath },
        1,
      );
    return 0;
  },
};
