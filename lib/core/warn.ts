/**
 * Where warnings go instead of Node's `process.emitWarning`: the CLI prints them on stderr and keeps them for `--json`.
 *
 * @example
 * const host: WarningHost = (message) => log.push(message);
 */
export type WarningHost = (message: string) => void;

let host: WarningHost | undefined;

/**
 * Reports a problem that does not stop the work (bytes after the last HDU, a header card that is not ASCII, a helper
 * thread that failed and was replaced): the one path every layer uses. The message names where, as an error's would
 * (`x.fits: HDU 0: ...`). It goes to the host when one is set (synchronously, so a command can still print it in its
 * `--json` document), else to `process.emitWarning` as a `SkybookWarning`.
 *
 * @example
 * warn(`${src.name}: 1234 bytes after the last HDU are not an HDU; ignored`);
 */
export function warn(message: string): void {
  if (host) host(message);
  else process.emitWarning(message, { type: 'SkybookWarning' });
}

/**
 * Sets where {@link warn} sends warnings (undefined: back to `process.emitWarning`); returns the previous host, so a
 * caller can restore it.
 *
 * @example
 * const previous = setWarningHost((m) => io.stderr(`skybook fits info: warning: ${m}\n`));
 * try { ... } finally { setWarningHost(previous); }
 */
export function setWarningHost(next: WarningHost | undefined): WarningHost | undefined {
  const previous = host;
  host = next;
  return previous;
}

/**
 * Runs `work` and returns what it returned with the warnings it raised (they are not passed on): for tests, and for
 * code that reports warnings in its own output.
 *
 * @example
 * const { result, warnings } = await collectWarnings(() => openFits('trailing.fits'));
 */
export async function collectWarnings<T>(work: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const previous = setWarningHost((m) => void warnings.push(m));
  try {
    return { result: await work(), warnings };
  } finally {
    setWarningHost(previous);
  }
}
