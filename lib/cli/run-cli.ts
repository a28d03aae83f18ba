import { memoryBudget, Redactor, setWarningHost, skybookVersion } from '../core/index.js';
import { InternalError, SkybookError } from '../errors/index.js';
import type { Command, CommandIO } from './commands/command.js';
import { OutputClosed } from './stdio.js';

/**
 * Every command, by its words, loaded on demand: a command's module pulls in its whole stack (DuckDB, zeromq, the
 * FITS readers), and importing all of them cost every `skybook` call about a second. New commands register here;
 * test/cli checks that each entry's name matches the command it loads.
 */
export const COMMANDS: readonly { name: string; load(): Promise<Command> }[] = [
  { name: 'fits info', load: async () => (await import('./commands/fits-info.js')).fitsInfo },
  { name: 'fits stats', load: async () => (await import('./commands/fits-stats.js')).fitsStatsCommand },
  { name: 'fits export', load: async () => (await import('./commands/fits-export.js')).fitsExport },
  { name: 'fits verify', load: async () => (await import('./commands/fits-verify.js')).fitsVerify },
  { name: 'desi info', load: async () => (await import('./commands/desi-info.js')).desiInfoCommand },
  { name: 'datasets make', load: async () => (await import('./commands/datasets-make.js')).datasetsMake },
  { name: 'voids find', load: async () => (await import('./commands/voids-find.js')).voidsFind },
  { name: 'ingest', load: async () => (await import('./commands/ingest.js')).ingestCommand },
  { name: 'inventory', load: async () => (await import('./commands/inventory.js')).inventoryCommand },
  { name: 'query', load: async () => (await import('./commands/query.js')).queryCommand },
  { name: 'store roles', load: async () => (await import('./commands/store-roles.js')).storeRoles },
  { name: 'kernel install', load: async () => (await import('./commands/kernel-install.js')).kernelInstall },
  { name: 'kernel doctor', load: async () => (await import('./commands/kernel-doctor.js')).kernelDoctor },
  { name: 'lab', load: async () => (await import('./commands/lab.js')).lab },
  { name: 'run', load: async () => (await import('./commands/run.js')).run },
  { name: 'verify', load: async () => (await import('./commands/verify.js')).verify },
  { name: 'export', load: async () => (await import('./commands/export.js')).exportCommand },
  { name: 'publish', load: async () => (await import('./commands/publish.js')).publish },
  { name: 'qa', load: async () => (await import('./commands/qa.js')).qaCommand },
  { name: 'voids classify', load: async () => (await import('./commands/voids-classify.js')).voidsClassify },
  { name: 'quasar features', load: async () => (await import('./commands/quasar-features.js')).quasarFeatures },
  { name: 'quasar anomalies', load: async () => (await import('./commands/quasar-anomalies.js')).quasarAnomalies },
  { name: 'cloudy deck', load: async () => (await import('./commands/cloudy-deck.js')).cloudyDeck },
  { name: 'cloudy run', load: async () => (await import('./commands/cloudy-run.js')).cloudyRun },
  { name: 'cloudy parse', load: async () => (await import('./commands/cloudy-parse.js')).cloudyParse },
  { name: 'ray submit', load: async () => (await import('./commands/ray-submit.js')).raySubmit },
  { name: 'ray status', load: async () => (await import('./commands/ray-status.js')).rayStatus },
  { name: 'ray logs', load: async () => (await import('./commands/ray-logs.js')).rayLogs },
  { name: 'ray stop', load: async () => (await import('./commands/ray-stop.js')).rayStop },
  { name: 'ray delete', load: async () => (await import('./commands/ray-delete.js')).rayDelete },
  { name: 'ray list', load: async () => (await import('./commands/ray-list.js')).rayList },
  { name: 'ray fanout', load: async () => (await import('./commands/ray-fanout.js')).rayFanout },
  { name: 'ray manifest', load: async () => (await import('./commands/ray-manifest.js')).rayManifest },
  { name: 'lineage', load: async () => (await import('./commands/lineage.js')).lineage },
  { name: 'report governance', load: async () => (await import('./commands/report-governance.js')).reportGovernance },
  { name: 'pipeline run', load: async () => (await import('./commands/pipeline-run.js')).pipelineRun },
  { name: 'pipeline status', load: async () => (await import('./commands/pipeline-status.js')).pipelineStatusCommand },
  { name: 'pipeline dag', load: async () => (await import('./commands/pipeline-dag.js')).pipelineDag },
  { name: 'pipeline watch', load: async () => (await import('./commands/pipeline-watch.js')).pipelineWatch },
  { name: 'metrics', load: async () => (await import('./commands/metrics.js')).metrics },
  { name: 'metrics serve', load: async () => (await import('./commands/metrics-serve.js')).metricsServe },
  { name: 'dashboard', load: async () => (await import('./commands/dashboard.js')).dashboard },
];

/** What each command group is about, for `skybook GROUP --help` (a group is the first word of several commands). */
export const GROUPS: Readonly<Record<string, string>> = {
  cloudy: 'Cloudy photoionization models: decks from data, a parallel resumable runner, outputs and save files into tables',
  fits: 'FITS files: HDUs, header cards and statistics, export to NDJSON/CSV/Arrow/Parquet, checksums',
  desi: 'DESI products: what a file (or every file in a folder) is, and its summary',
  datasets: 'deterministic mock DESI DR1 surveys with truth tables',
  kernel: 'the skybook Jupyter kernel: install its kernelspec, check an installed one',
  metrics: 'the run ledger as Prometheus metrics: written to a file for the textfile collector, or served on /metrics',
  ray: 'jobs on a Ray cluster: submit with a packaged working_dir, status, logs (live), stop, delete, list; fan-out of shards over its nodes; KubeRay RayJob and Indexed Job manifests',
  pipeline: 'chains of stages (commands and notebooks) with hashed deps and outs: run what is stale, status, the graph, watch for new data',
  store: 'PostgreSQL stores: a read-only analyst role and a loader role for a schema',
  report: 'reports from the run ledger: governance (datasets touched, their licences and access levels, who ran what with which software)',
  quasar:
    'quasar spectra: continuum, emission lines, BAL indices and luminosities per spectrum; the ML matrix; anomaly scores (PCA or an ONNX model)',
  voids:
    "cosmic voids as VAST finds them: VoidFinder catalogues from galaxy tables, and galaxies' environments (void, wall, edge) against one",
};

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  // Usages are long (every option spelled out), so each summary goes on its own indented line.
  return (
    [
      'skybook: notebooks and pipelines for spectroscopic survey astronomy',
      '',
      'Usage:',
      ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
      '',
      'Options: --help, --version; skybook COMMAND --help describes every option of a command.',
      'Exit codes: 0 ok, 1 the work failed, 2 bad usage or bad input.',
    ].join('\n') + '\n'
  );
}

/** `skybook GROUP --help`: the group's subcommands with their summaries. */
async function groupHelp(group: string): Promise<string> {
  const entries = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const commands = await Promise.all(entries.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length)) + 'skybook '.length;
  return (
    [
      `skybook ${group}: ${GROUPS[group] ?? ''}`,
      '',
      'Commands:',
      ...commands.map((c) => `  ${`skybook ${c.name}`.padEnd(width)}  ${c.summary}`),
      '',
      `skybook ${group} COMMAND --help describes its options.`,
    ].join('\n') + '\n'
  );
}

/** Wraps `text` to `width` columns, every line after the first indented by `indent` spaces. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/**
 * A command's `--help`: its usage, summary, and a line (or more) per positional and option from its `flags`.
 *
 * @example
 * commandHelp(await COMMANDS[0]!.load()); // 'Usage: skybook fits info FILE [--json]\n...\n  FILE    the FITS file ...'
 */
export function commandHelp(cmd: Command): string {
  const rows = [...cmd.flags, { flag: '-h, --help', help: 'print this help and exit' }];
  const width = Math.min(30, Math.max(...rows.map((r) => r.flag.length)));
  const column = 2 + width + 2;
  const lines = rows.map((r) => {
    const help = wrap(r.help, Math.max(40, 120 - column), column);
    return r.flag.length > width ? `  ${r.flag}\n${' '.repeat(column)}${help}` : `  ${r.flag.padEnd(width)}  ${help}`;
  });
  return `Usage: ${cmd.usage}\n${cmd.summary}\n\nArguments and options:\n${lines.join('\n')}\n`;
}

/**
 * Runs one CLI invocation and returns its exit code. Errors become one line on stderr, by their class alone: a
 * SkybookError's own message and exit code (2 bad usage or input, 1 the work failed); anything else is reported as an
 * InternalError, "internal error: ... (a bug in skybook ...)", exit 1. SKYBOOK_DEBUG=1 adds the stack trace. Warnings
 * (`core.warn`) are printed after a command's output, `skybook COMMAND: warning: ...`, once each, and handed to the command
 * (`io.warnings`) for its `--json` document; a failed command prints only its error.
 *
 * @example
 * const code = await runCli(['fits', 'info', 'm13.fits', '--json'], io);
 */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(await help());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout(`skybook ${skybookVersion()}\n`);
    return 0;
  }
  const entry = [...COMMANDS]
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => {
      const words = c.name.split(' ');
      return words.every((w, i) => argv[i] === w);
    });
  const isHelp = (a: string | undefined) => a === '--help' || a === '-h';
  const group = argv[0]!;
  if (!entry && COMMANDS.some((c) => c.name.startsWith(`${group} `))) {
    // a command group: its list, on stdout when asked for (exit 0), on stderr when a subcommand is missing (exit 2)
    if (isHelp(argv[1])) {
      io.stdout(await groupHelp(group));
      return 0;
    }
    if (argv[1] === undefined || argv[1].startsWith('-')) {
      io.stderr(`skybook ${group}: missing COMMAND\n${await groupHelp(group)}`);
      return 2;
    }
    io.stderr(`skybook: unknown command '${argv.slice(0, 2).join(' ')}'; see skybook ${group} --help\n`);
    return 2;
  }
  if (!entry) {
    io.stderr(`skybook: unknown command '${argv.slice(0, 2).join(' ')}'; see skybook --help\n`);
    return 2;
  }
  const cmd = await entry.load();
  const rest = argv.slice(cmd.name.split(' ').length);
  if (rest.some(isHelp)) {
    io.stdout(commandHelp(cmd));
    return 0;
  }
  // Warnings (core.warn) are kept, once each, and printed after the command's output, one line each; a command that
  // fails prints only its error, so a failure is always exactly one line.
  const warnings: string[] = [];
  const previous = setWarningHost((m) => {
    if (!warnings.includes(m)) warnings.push(m);
  });
  try {
    memoryBudget(); // an unreadable SKYBOOK_MAX_MEMORY is bad usage before any work, whatever the command
    const code = await cmd.run(rest, { ...io, warnings });
    for (const w of warnings) io.stderr(`skybook ${cmd.name}: warning: ${w.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  } catch (e) {
    if (e instanceof OutputClosed) return 0; // the reader had what it wanted (`| head`): stop quietly
    return reportFailure(cmd.name, e, io);
  } finally {
    setWarningHost(previous);
  }
}

/**
 * How a command's failure reaches the user, by its class only: a SkybookError's message on one line and its exit code;
 * anything else as an InternalError (a bug in skybook), exit 1. SKYBOOK_DEBUG=1 prints the stack trace first. Both
 * go through lib/core's one rule of what is secret: a URL quoted with its password (even a malformed one) or the value
 * of a secret-named environment variable is never printed.
 *
 * @example
 * reportFailure('fits info', new FitsError('truncated data', { file: 'x.fits', hdu: 1 }), io); // 2, "skybook fits info: x.fits: HDU 1: truncated data"
 */
export function reportFailure(command: string, e: unknown, io: CommandIO): number {
  const err = e instanceof SkybookError ? e : new InternalError(e instanceof Error ? e.message : String(e), {}, { cause: e });
  const redactor = new Redactor({ env: process.env });
  if (process.env.SKYBOOK_DEBUG) io.stderr(`${redactor.text(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
  io.stderr(`skybook ${command}: ${redactor.text(err.message.replace(/\s*\n\s*/g, ' '))}\n`);
  // the engine's LINE and caret lines under a refused SQL statement, as they are (the caret aligns with its line)
  if (err.detail) io.stderr(`${redactor.text(err.detail.replace(/\n+$/, ''))}\n`);
  return err.exitCode;
}
