import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = resolve(ROOT, 'dist/lib/cli/main.js');

/** Runs the built `skybook` CLI (npm test builds it first) and returns exit code and output. */
export function skybook(
  args: string[],
  opts: { cwd?: string; timeoutMs?: number } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 256 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What {@link skybookInProcess} can stand in for: a terminal on stdout, the stream progress bars are drawn on. */
export interface InProcessOptions {
  /** stdout is a terminal (binary formats are refused there); default false, as a pipe. */
  stdoutIsTTY?: boolean;
  /** Where progress bars go when it has `isTTY` set (see test/cli/progress-bar.test.ts); default none. */
  terminal?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * Runs the CLI in this process (no Node start-up per call; the tests that spawn the built binary are the few that must).
 * Binary output (Arrow, Parquet to stdout) comes back in `bytes`.
 *
 * @example
 * const r = await skybookInProcess(['fits', 'info', 'x.fits']); // { code: 2, stdout: '', stderr: 'skybook fits info: x.fits: no such file\n' }
 */
export async function skybookInProcess(
  args: string[],
  opts: InProcessOptions = {},
): Promise<{ code: number; stdout: string; stderr: string; bytes: Buffer }> {
  const { runCli } = await import('../../lib/cli/run-cli.js');
  let stdout = '';
  let stderr = '';
  const bytes: Buffer[] = [];
  const code = await runCli(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stdoutBytes: async (b) => {
      bytes.push(Buffer.from(b));
    },
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    terminal: opts.terminal ?? Object.assign(new PassThrough(), { isTTY: false }),
  });
  return { code, stdout, stderr, bytes: Buffer.concat(bytes) };
}
