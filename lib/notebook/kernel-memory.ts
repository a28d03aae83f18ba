import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Resident memory of one process in bytes, from /proc/PID/status (0 once it has gone). */
function residentBytes(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The processes of group `pgid` other than its leader (a kernel's subprocesses), from /proc/PID/stat. */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === pgid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // after "pid (comm) ": state, ppid, pgrp, ... (comm may hold spaces and parentheses, hence the last ')')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) out.push(pid);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Whether this platform lets the runner measure a kernel's memory (Linux's /proc). @example canWatchMemory() // true on Linux */
export function canWatchMemory(): boolean {
  return existsSync('/proc/self/status');
}

/**
 * Watches the resident memory of a kernel's process group (the kernel, which leads it, and the subprocesses it
 * starts) and calls `over(bytes)` once, the first time the sum passes `limit` bytes. Resident memory, not V8's heap:
 * Buffers and typed arrays live outside the heap, so Node's --max-old-space-size does not cap them, and an address-space
 * limit (RLIMIT_AS) breaks V8's reservations; this is the measure the OS itself would act on. Sampled every `everyMs`
 * (25 ms: a kernel allocating 2 GB/s overshoots by ~50 MB): the leader each time, from /proc/PID/status (~15 µs); the
 * rest of the group as found by the last scan of /proc, redone about once a second (a scan costs a few ms). Returns a
 * function that stops watching.
 *
 * @example
 * const stop = watchGroupMemory(kernel.pid, 300 * 2 ** 20, (b) => kill(kernel, b));
 */
export function watchGroupMemory(pgid: number, limit: number, over: (bytes: number) => void, everyMs = 25): () => void {
  let members: number[] = [];
  let n = 0;
  const rescan = Math.max(1, Math.round(1000 / everyMs));
  const timer = setInterval(() => {
    if (n++ % rescan === 0) members = groupMembers(pgid);
    let bytes = residentBytes(pgid);
    for (const pid of members) bytes += residentBytes(pid);
    if (bytes > limit) {
      clearInterval(timer);
      over(bytes);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
