import { spawn } from 'node:child_process';

/**
 * The guardian's whole program, for /bin/sh: it ignores the signals a terminal or `timeout` sends to a process group,
 * then waits for one line on stdin. `done` (the runner stopped the kernel itself) lets it go quietly; end of file
 * without it means the runner is gone, however it went (SIGKILL included: the OS closes its end of the pipe when the
 * process dies), so it kills the kernel's process group and removes the folder holding the connection file.
 * $1 is the process group, $2 the folder.
 */
const SCRIPT = `trap '' INT TERM HUP QUIT
IFS= read -r said
[ "$said" = done ] || kill -s KILL -- "-$1" 2>/dev/null
rm -rf -- "$2"`;

/** A started guardian: `release` once the kernel has been stopped and its folder removed. */
export interface KernelGuardian {
  /** Says `done` and closes the pipe: the guardian exits without killing anything. Safe to call twice. */
  release(): void;
}

/**
 * Starts the guardian of one kernel: a tiny `/bin/sh` (about 2 MB resident, a millisecond to start) in its own session,
 * holding the read end of a pipe whose write end only this process has. It is what makes a kernel die with a runner
 * that was SIGKILLed (no handler of ours runs then), for any kernel: skybook's own and the ones we do not control
 * (ipykernel only polls for its parent becoming pid 1, which a subreaper defeats). Not on Windows (no process groups);
 * if `/bin/sh` cannot be started the exit hook in KernelProcess still covers every path but SIGKILL.
 *
 * @example
 * const g = startKernelGuardian(child.pid, runtimeDir); // ... kill the kernel, remove the folder ...; g.release();
 */
export function startKernelGuardian(pgid: number, dir: string): KernelGuardian {
  if (process.platform === 'win32') return { release() {} };
  const g = spawn('/bin/sh', ['-c', SCRIPT, 'skybook-kernel-guardian', String(pgid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true, // its own session: a Ctrl-C, `timeout`'s group signal or a kill of our group does not reach it
  });
  g.on('error', () => {}); // no /bin/sh: see above
  g.stdin!.on('error', () => {}); // EPIPE if it has gone already
  g.unref(); // neither it nor its pipe keeps the runner alive
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      g.stdin!.end('done\n');
    },
  };
}
