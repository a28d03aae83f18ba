import { spawn } from 'node:child_process';

/** One child-process run: wall-clock seconds, what the child reported about itself, and its output. */
export interface RunResult {
  wallSeconds: number;
  /** The child's own timing of its work (its JSON `seconds`), when it prints one. */
  seconds?: number;
  maxRssBytes?: number;
  stdout: string;
}

/** A measurement repeated: the best run (by `seconds`, else wall clock), every time, and the largest peak RSS seen. */
export interface Series {
  name: string;
  best: RunResult;
  times: number[];
  maxRssBytes?: number;
}

/** Runs `cmd args` to completion; a non-zero exit is an error carrying its stderr. */
export function runOnce(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
      const r: RunResult = { wallSeconds, stdout };
      const hook = /SKYBOOK_BENCH_MAXRSS=(\d+)/.exec(stderr);
      if (hook) r.maxRssBytes = Number(hook[1]);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (last.startsWith('{') && !hook) {
        try {
          const j = JSON.parse(last) as { seconds?: number; maxRssBytes?: number };
          if (typeof j.seconds === 'number') r.seconds = j.seconds;
          if (typeof j.maxRssBytes === 'number') r.maxRssBytes = j.maxRssBytes;
        } catch {
          // not a measurement line
        }
      }
      resolve(r);
    });
  });
}

/**
 * One warm-up run, then `repeat` timed runs, each in a fresh process; the best is kept (the least disturbed by the
 * machine), and the peak RSS is the largest over the timed runs.
 *
 * @example
 * const s = await series('astropy', '/usr/bin/python3', ['astropy_read.py', file], 3, log);
 */
export async function series(name: string, cmd: string, args: string[], repeat: number, log: (line: string) => void): Promise<Series> {
  await runOnce(cmd, args);
  const runs: RunResult[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await runOnce(cmd, args));
  const time = (r: RunResult) => r.seconds ?? r.wallSeconds;
  const best = runs.reduce((a, b) => (time(b) < time(a) ? b : a));
  const rss = runs.map((r) => r.maxRssBytes).filter((x): x is number => x !== undefined);
  const s: Series = { name, best, times: runs.map(time) };
  if (rss.length) s.maxRssBytes = Math.max(...rss);
  log(`  ${name}: ${s.times.map((t) => t.toFixed(3)).join(' ')} s`);
  return s;
}
