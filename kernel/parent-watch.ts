import { Worker } from 'node:worker_threads';

/** The watcher thread: the parent is gone once our parent pid is no longer the one we started with (reparented). */
const WATCHER = `
const { workerData: w } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== w.parent) process.kill(w.self, 'SIGKILL');
}, w.everyMs);
`;

/**
 * Makes the kernel die with the client that started it, as ipykernel does when Jupyter sets JPY_PARENT_PID: a
 * thread polls our parent pid and kills this process when it changes (the parent died and we were reparented to
 * init or a subreaper; ipykernel 6 only notices pid 1). A thread, because a cell spinning in a synchronous loop
 * blocks the main thread's timers. SIGKILL, because a cell may have installed handlers for the others, and the
 * kernel has nothing to save: the connection file belongs to the client. skybook's runner also has a guardian that
 * kills the kernel's whole group (lib/notebook/kernel-guardian.ts); this covers other clients (JupyterLab,
 * nbclient) and the moment before the guardian starts. Costs one idle thread (~10 MB resident, of the kernel's
 * ~240 MB) and a syscall per poll.
 *
 * @example
 * if (process.env.JPY_PARENT_PID) dieWithParent();
 */
export function dieWithParent(everyMs = 500): void {
  const parent = process.ppid;
  if (parent <= 1) return; // started by init or orphaned already: nothing to watch (ipykernel's rule)
  new Worker(WATCHER, { eval: true, workerData: { parent, self: process.pid, everyMs } }).unref();
}
