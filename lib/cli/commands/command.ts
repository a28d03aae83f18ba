import type { BarStream } from '../progress.js';

/**
 * Where a command writes: stdout for results, stderr for progress and messages (tests capture both). The optional
 * members default to the process's own streams; a test sets them to stand in for a terminal.
 */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Binary results (Arrow IPC, Parquet) on stdout, in order; absent: process.stdout. */
  stdoutBytes?(bytes: Uint8Array): Promise<void>;
  /**
   * Text results streamed in parts, resolved when a part is handed on (back-pressure) and rejected when the reader
   * has gone (`| head`); absent: `stdout(text)`, at once.
   */
  stdoutText?(text: string): Promise<void>;
  /** Whether stdout is a terminal, where binary output is refused; absent: process.stdout.isTTY. */
  stdoutIsTTY?: boolean;
  /** The stream progress bars are drawn on when it is a terminal; absent: process.stderr. */
  terminal?: BarStream;
  /**
   * The warnings raised so far in this run (`core.warn`), filled by `runCli`, which prints them on stderr once the
   * command has finished; a command with `--json` output lists them in its document too.
   */
  warnings?: readonly string[];
}

/**
 * One line of a command's `--help`: an option (or positional) as typed, and what it does, with its default.
 *
 * @example
 * const f: FlagHelp = { flag: '--hdu NAME|N', help: 'the table HDU, by EXTNAME or index (required)' };
 */
export interface FlagHelp {
  /** As typed: `--hdu NAME|N`, `-o, --out OUT`, `--json`, or a positional such as `FILE`. */
  flag: string;
  /** What it does; the default when it has one. */
  help: string;
}

/**
 * One `skybook` subcommand. `run` returns the exit code (0 ok, 1 the work failed); bad input throws a SkybookError (2).
 * `flags` is what `--help` prints under the usage line: every option the usage names (test/cli/registry.test.ts checks
 * the two agree).
 *
 * @example
 * const hello: Command = { name: 'hello', usage: 'skybook hello', summary: 'says hello', flags: [], run: async (_argv, io) => (io.stdout('hello\n'), 0) };
 */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  flags: readonly FlagHelp[];
  run(argv: string[], io: CommandIO): Promise<number>;
}
