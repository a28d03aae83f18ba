/**
 * Whether a process of this host is still running (signal 0: nothing is sent). A process we may not signal (EPERM)
 * is alive; a pid that is not a positive whole number is not. What tells a killed run's leftovers (a ledger row left
 * `running`, a runner's lock file) from a live one's.
 *
 * @example
 * processAlive(process.pid) // true
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
