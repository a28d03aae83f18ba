/** Where a command writes: stdout for results, stderr for progress and messages (tests capture both). */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The warnings raised so far in this run (`core.warn`), filled by `runCli`, which prints them on stderr once the
   * command has finished; a command with `--json` output lists them in its document too.
   */
  warnings?: readonly string[];
}

/** One `skybook` subcommand. `run` returns the exit code (0 ok, 1 the work failed); bad input throws a SkybookError (2). */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(argv: string[], io: CommandIO): Promise<number>;
}
