import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT } from './cli.js';

/** A `skybook` child running in the background, for tests that signal it mid-run. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stderr or stdout has shown `text` (the test's synchronisation point: no sleeps). */
  waitFor(text: string | RegExp): Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * Starts the built CLI without waiting for it.
 *
 * @example
 * const r = spawnSkybook(['run', 'slow.ipynb', '--log-output']); await r.waitFor('sleeping'); r.child.kill('SIGINT');
 */
export function spawnSkybook(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string | RegExp; resolve(): void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const all = stdout + stderr;
      if (typeof w.text === 'string' ? all.includes(w.text) : w.text.test(all)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
    check();
  });
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
    check();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
    child.on('close', (code) => res({ code, stdout, stderr })),
  );
  return {
    child,
    done,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        void done.then((r) => reject(new Error(`skybook exited (${r.code}) before printing ${text}: ${r.stderr}`)));
      }),
  };
}
