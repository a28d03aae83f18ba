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
  /** Wall-clock seconds from spawn to close. */
  seconds: number;
  /** CPU seconds the process used (user + system, all its threads), from /proc: the work it did, whatever the load. */
  cpuSeconds: number;
  /** Why the watchdog stopped it, if it did: `rss` over the memory cap, `cpu` over the CPU cap, `wall` hung past the wall cap. */
  killed?: 'rss' | 'cpu' | 'wall';
  /** With `head`: seconds from the start until its last wanted line came (undefined if it never did). */
  headSeconds?: number;
  /** With `head`: CPU seconds the process had used when its last wanted line came (the work before the first rows, whatever the load). */
  headCpuSeconds?: number;
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

/** CPU seconds (utime + stime) the process has used so far, from /proc (0 once it has gone). */
/** CPU seconds (user + system, all threads) a process has used so far, from /proc; 0 once it has gone. */
export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ, the unit of /proc's times (100 on every architecture Node runs on). */
const CLOCK_TICKS = 100;

/**
 * Runs the built `skybook` CLI under a watchdog, for hostile inputs: it samples the child's memory and CPU time every
 * 50 ms and kills it (SIGKILL) past `maxRssMb` or past `maxSeconds` of CPU, so a bomb cannot take the machine down with
 * the test. The caps are the acceptance limits themselves (1 GB, 10 s by default): a run that hits one reports
 * `killed`, and the test's assertions on exit code and memory fail with the figures. Time is capped in CPU seconds,
 * not wall seconds, because the limit is about the work a hostile file can make us do: with another full test run
 * beside this one on two cores, 5 CPU seconds take 10-15 wall seconds. A run that hangs without using CPU is stopped
 * by the wall cap, `maxWallSeconds` (45 s by default, under the suite's 60 s test timeout, so the figures are seen).
 *
 * @example
 * const r = await runCapped(['fits', 'stats', bomb]);
 * expect(r.code).toBe(2); expect(r.peakRssMb).toBeLessThan(1024);
 */
export function runCapped(
  args: string[],
  opts: {
    maxRssMb?: number;
    /** CPU seconds (user + system) before the run is killed as `cpu`. */
    maxSeconds?: number;
    /** Wall seconds before a run is killed as `wall` (hung). */
    maxWallSeconds?: number;
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
  const maxCpu = opts.maxSeconds ?? 10;
  const maxWallMs = (opts.maxWallSeconds ?? Math.max(45, 2 * maxCpu)) * 1000;
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
  let cpu = 0;
  let killed: CappedRun['killed'];
  let headSeconds: number | undefined;
  let headCpuSeconds: number | undefined;
  child.stdout!.on('data', (b: Buffer) => {
    if (headSeconds !== undefined) return;
    stdout += b.toString();
    if (opts.head === undefined) return;
    const lines = stdout.split('\n');
    if (lines.length > opts.head) {
      headSeconds = (performance.now() - t0) / 1000;
      headCpuSeconds = cpuOf(child.pid!);
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
    cpu = Math.max(cpu, cpuOf(child.pid!));
    if (peak > maxRssKb) killed ??= 'rss';
    else if (cpu > maxCpu) killed ??= 'cpu';
    else if (performance.now() - t0 > maxWallMs) killed ??= 'wall';
    if (killed) child.kill('SIGKILL');
  }, 50);
  return new Promise((resolve) => {
    child.on('exit', () => {
      // the last sample before exit: /proc still holds the zombie's figures until it is reaped
      peakKb = Math.max(peakKb, rssOf(child.pid!).peak);
      cpu = Math.max(cpu, cpuOf(child.pid!));
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
        cpuSeconds: cpu,
        ...(killed ? { killed } : {}),
        ...(headSeconds !== undefined ? { headSeconds } : {}),
        ...(headCpuSeconds !== undefined ? { headCpuSeconds } : {}),
      });
    });
  });
}

/** The repository root, for tests that build paths next to the CLI. */
export { ROOT };
