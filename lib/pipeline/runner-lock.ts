import { processAlive } from '../core/index.js';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** The lock one pipeline run holds, so two runners (or two watchers) never run the same pipeline at once. */
const RUNNER_LOCK = '.skybook/runner.lock';

/**
 * Takes the pipeline folder's runner lock: a file made with O_EXCL holding `pid@host`. A lock whose process is gone
 * (this host, no such pid: a killed runner) is taken over. Returns a release function, or the holder's pid when another
 * live runner has it.
 *
 * @example
 * const got = takeRunnerLock(dir); if (typeof got === 'number') throw ...; try { ... } finally { got(); }
 */
export function takeRunnerLock(dir: string): (() => void) | number {
  const path = join(dir, RUNNER_LOCK);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}@${hostname()}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = holderOf(path);
      // A lock being written this instant has no pid yet: held.
      if (!holder || !Number.isFinite(holder.pid) || holder.pid <= 0) return -1;
      if (holder.host !== hostname() || processAlive(holder.pid)) return holder.pid;
      rmSync(path, { force: true });
    }
  }
  const holder = holderOf(path);
  return holder?.pid ?? -1;
}

function holderOf(path: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = readFileSync(path, 'utf8').trim().split('@');
    return { pid: Number(pid), host: host ?? '' };
  } catch {
    return undefined;
  }
}
