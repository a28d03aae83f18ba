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
 * The reader of stdout has gone (`skybook query ... | head -1` after its line): the command stops where it is and the
 * CLI exits 0 without a message, as Unix tools do. Not a SkybookError: nothing went wrong.
 *
 * @example
 * try { await writeStdoutText(io, lines); } catch (e) { if (e instanceof OutputClosed) return 0; throw e; }
 */
export class OutputClosed extends Error {
  constructor(cause: unknown) {
    super('stdout was closed by its reader', { cause });
    this.name = 'OutputClosed';
  }
}

/** A write error that means the reader has gone: EPIPE, or a stream already destroyed by it. */
function closedOutput(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' ? new OutputClosed(e) : e;
}

/**
 * Writes bytes to the command's stdout and waits until they are handed on (back-pressure for large outputs). A reader
 * that has gone rejects it with {@link OutputClosed}.
 *
 * @example
 * await writeStdoutBytes(io, tableToIPC(table, 'stream'));
 */
export function writeStdoutBytes(io: CommandIO, bytes: Uint8Array): Promise<void> {
  const written = io.stdoutBytes
    ? io.stdoutBytes(bytes)
    : new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
  return written.catch((e: unknown) => {
    throw closedOutput(e);
  });
}

/**
 * Writes one part of a streamed text result to the command's stdout and waits until it is handed on, so a producer
 * that is faster than its reader waits for it and one whose reader has gone stops at its next part
 * ({@link OutputClosed}) instead of running on to the end.
 *
 * @example
 * for await (const batch of store.stream(q)) await writeStdoutText(io, ndjsonLines(batch));
 */
export async function writeStdoutText(io: CommandIO, text: string): Promise<void> {
  if (!io.stdoutText) return io.stdout(text);
  await io.stdoutText(text).catch((e: unknown) => {
    throw closedOutput(e);
  });
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
