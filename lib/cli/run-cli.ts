import { memoryBudget, setWarningHost, skybookVersion } from '../core/index.js';
import { InternalError, SkybookError } from '../errors/index.js';
import type { Command, CommandIO } from './commands/command.js';

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
  { name: 'ingest', load: async () => (await import('./commands/ingest.js')).ingestCommand },
  { name: 'query', load: async () => (await import('./commands/query.js')).queryCommand },
  { name: 'kernel install', load: async () => (await import('./commands/kernel-install.js')).kernelInstall },
  { name: 'run', load: async () => (await import('./commands/run.js')).run },
  { name: 'verify', load: async () => (await import('./commands/verify.js')).verify },
  { name: 'export', load: async () => (await import('./commands/export.js')).exportCommand },
];

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
      'Options: --help, --version. Exit codes: 0 ok, 1 the work failed, 2 bad usage or bad input.',
    ].join('\n') + '\n'
  );
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
  if (!entry) {
    io.stderr(`skybook: unknown command '${argv.slice(0, 2).join(' ')}'; see skybook --help\n`);
    return 2;
  }
  const cmd = await entry.load();
  const rest = argv.slice(cmd.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${cmd.usage}\n${cmd.summary}\n`);
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
    return reportFailure(cmd.name, e, io);
  } finally {
    setWarningHost(previous);
  }
}

/**
 * How a command's failure reaches the user, by its class only: a SkybookError's message on one line and its exit code;
 * anything else as an InternalError (a bug in skybook), exit 1. SKYBOOK_DEBUG=1 prints the stack trace first.
 *
 * @example
 * reportFailure('fits info', new FitsError('truncated data', { file: 'x.fits', hdu: 1 }), io); // 2, "skybook fits info: x.fits: HDU 1: truncated data"
 */
export function reportFailure(command: string, e: unknown, io: CommandIO): number {
  const err = e instanceof SkybookError ? e : new InternalError(e instanceof Error ? e.message : String(e), {}, { cause: e });
  if (process.env.SKYBOOK_DEBUG) io.stderr(`${e instanceof Error ? e.stack : String(e)}\n`);
  io.stderr(`skybook ${command}: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
  return err.exitCode;
}
