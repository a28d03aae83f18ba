import { spawnSync } from 'node:child_process';
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

/**
 * Runs the CLI in this process (no Node start-up per call; the tests that spawn the built binary are the few that must).
 *
 * @example
 * const r = await skybookInProcess(['fits', 'info', 'x.fits']); // { code: 2, stdout: '', stderr: 'skybook fits info: x.fits: no such file\n' }
 */
export async function skybookInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../lib/cli/run-cli.js');
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}
