import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, ROOT } from './cli.js';

/** What a capped run of the CLI did: its exit, output, and the most memory and time it took. */
export interface CappedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the process, MB (its VmHWM, read while it ran). */
  peakRssMb: number;
  seconds: number;
  /** Why the watchdog stopped it, if it did: `rss` over the cap or `time` over the limit. */
  killed?: 'rss' | 'time';
  /** With `head`: seconds from the start until its last wanted line came (undefined if it never did). */
  headSeconds?: number;
}

/** The process's peak and current resident memory in kB, from /proc (0 once it has gone). */
function rssOf(pid: number): { peak: number; now: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { peak: kb('VmHWM'), now: kb('VmRSS') };
  } catch {
    return { peak: 0, now: 0 };
  }
}

/**
 * Runs the built `skybook` CLI under a watchdog, for hostile inputs: it samples the child's memory every 50 ms and
 * kills it (SIGKILL) past `maxRssMb` or `maxSeconds`, so a bomb cannot take the machine down with the test. The caps
 * are the acceptance limits themselves (1 GB, 10 s by default): a run that hits one reports `killed`, and the test's
 * assertions on exit code and memory fail with the figures.
 *
 * @example
 * const r = await runCapped(['fits', 'stats', bomb]);
 * expect(r.code).toBe(2); expect(r.peakRssMb).toBeLessThan(1024);
 */
export function runCapped(
  args: string[],
  opts: {
    maxRssMb?: number;
    maxSeconds?: number;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    /** Node arguments to run instead of the CLI (the harness's own tests). */
    node?: string[];
    /**
     * Read this many lines of stdout, then close it, as `| head -N` does: the child's next write meets a closed pipe
     * (EPIPE). `stdout` holds those lines; `headSeconds` when the last of them came.
     */
    head?: number;
  } = {},
): Promise<CappedRun> {
  const maxRssKb = (opts.maxRssMb ?? 1024) * 1024;
  const maxMs = (opts.maxSeconds ?? 10) * 1000;
  const t0 = performance.now();
  const child = spawn(process.execPath, opts.node ?? [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  let killed: CappedRun['killed'];
  let headSeconds: number | undefined;
  child.stdout!.on('data', (b: Buffer) => {
    if (headSeconds !== undefined) return;
    stdout += b.toString();
    if (opts.head === undefined) return;
    const lines = stdout.split('\n');
    if (lines.length > opts.head) {
      headSeconds = (performance.now() - t0) / 1000;
      stdout = lines.slice(0, opts.head).join('\n') + '\n';
      child.stdout!.destroy(); // the reader goes away, as head does after its lines
    }
  });
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const watch = setInterval(() => {
    const { peak } = rssOf(child.pid!);
    peakKb = Math.max(peakKb, peak);
    if (peak > maxRssKb) killed ??= 'rss';
    else if (performance.now() - t0 > maxMs) killed ??= 'time';
    if (killed) child.kill('SIGKILL');
  }, 50);
  return new Promise((resolve) => {
    child.on('exit', () => {
      // the last sample before exit: /proc still holds the zombie's figures until it is reaped
      peakKb = Math.max(peakKb, rssOf(child.pid!).peak);
    });
    child.on('close', (code, signal) => {
      clearInterval(watch);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        peakRssMb: peakKb / 1024,
        seconds: (performance.now() - t0) / 1000,
        ...(killed ? { killed } : {}),
        ...(headSeconds !== undefined ? { headSeconds } : {}),
      });
    });
  });
}

/** The repository root, for tests that build paths next to the CLI. */
export { ROOT };
