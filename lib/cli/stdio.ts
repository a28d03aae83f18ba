import { UsageError } from '../errors/index.js';
import type { CommandIO } from './commands/command.js';
import { progressBar } from './progress.js';
import type { Progress } from '../core/index.js';

/**
 * Refuses a binary format bound for stdout when stdout is a terminal (bytes there garble the screen): a usage error,
 * exit 2, before any work. Piped or redirected stdout takes it.
 *
 * @example
 * if (!out) refuseBinaryOnTerminal(io, 'arrow'); // "--format arrow writes binary and stdout is a terminal: ..."
 */
export function refuseBinaryOnTerminal(io: CommandIO, format: string): void {
  const tty = io.stdoutIsTTY ?? process.stdout.isTTY === true;
  if (tty)
    throw new UsageError(`--format ${format} writes binary and stdout is a terminal: give -o OUT, or redirect stdout (> FILE, | program)`, {
      option: 'format',
      value: format,
    });
}

/**
 * Writes bytes to the command's stdout and waits until they are handed on (back-pressure for large outputs).
 *
 * @example
 * await writeStdoutBytes(io, tableToIPC(table, 'stream'));
 */
export function writeStdoutBytes(io: CommandIO, bytes: Uint8Array): Promise<void> {
  if (io.stdoutBytes) return io.stdoutBytes(bytes);
  return new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
}

/**
 * The command's progress bar: drawn on `io.terminal` (process.stderr by default) when that is a terminal and `enabled`
 * (commands pass false with `--json`), else silent.
 *
 * @example
 * const progress = progressFor(io, !json);
 */
export function progressFor(io: CommandIO, enabled = true): Progress {
  return progressBar(enabled, io.terminal ?? process.stderr);
}
