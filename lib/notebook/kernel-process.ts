import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelError } from '../errors/index.js';
import { startKernelGuardian, type KernelGuardian } from './kernel-guardian.js';
import { canWatchMemory, watchGroupMemory } from './kernel-memory.js';
import type { KernelSpec } from './kernelspec.js';

/** The contents of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** How a kernel process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Bytes as MiB, or GiB (two decimals) from 1 GiB on. `round` is Math.ceil for a figure over a limit, so 300.2 MiB
 * over a limit of 300 MiB reads 301, never "reached 300 MiB, over the limit of 300 MiB".
 *
 * @example sizeText(300 * 2 ** 20) // '300 MiB'
 */
function sizeText(bytes: number, round: (x: number) => number = Math.round): string {
  return bytes < 2 ** 30 ? `${round(bytes / 2 ** 20)} MiB` : `${round((bytes / 2 ** 30) * 100) / 100} GiB`;
}

/** Five distinct free TCP ports on 127.0.0.1 (held open together so none is handed out twice). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * A kernel process started from a kernelspec with a fresh connection file (random key, free ports). The kernel gets
 * its own process group, so a Ctrl-C at the terminal reaches skybook, which decides how to interrupt it.
 *
 * A kernel never outlives this process: `kill` stops its whole group; on `process.exit` and uncaught errors an exit
 * hook does; and when this process is killed outright (SIGKILL, or a signal it does not handle) a guardian
 * (kernel-guardian.ts) that notices our end of its pipe closing does, and removes the connection file with it.
 * `memoryLimit` (bytes) stops the kernel once its group's resident memory passes it (kernel-memory.ts, Linux).
 *
 * @example
 * const k = await KernelProcess.launch(findKernelSpec('python3'), { cwd: process.cwd() });
 * k.interrupt(); await k.kill();
 */
export class KernelProcess {
  /** Resolves when the process exits, for death detection. */
  readonly exited: Promise<KernelExit>;
  exit: KernelExit | undefined;
  /** Set when the memory limit stopped the kernel: its resident bytes then and the limit. */
  overLimit: { bytes: number; limit: number } | undefined;
  private stderrTail = '';
  private guardian: KernelGuardian | undefined;
  private stopWatching = () => {};
  private unhook = () => {};

  private constructor(
    readonly spec: KernelSpec,
    readonly connection: ConnectionInfo,
    readonly child: ChildProcess,
    private readonly runtimeDir: string,
  ) {
    this.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        res(this.exit);
      });
      child.once('error', () => {
        this.exit = { code: -1, signal: null };
        res(this.exit);
      });
    });
    child.stderr?.on('data', (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString('utf8')).slice(-4000);
    });
    child.stdout?.resume();
  }

  /**
   * Launches `spec` with `{connection_file}` (and `{resource_dir}`) substituted in its argv. `memoryLimit`: the most
   * resident memory, in bytes, the kernel and its subprocesses may take (a KernelError, exit 2, where it cannot be
   * measured).
   */
  static async launch(
    spec: KernelSpec,
    opts: { cwd?: string; env?: NodeJS.ProcessEnv; memoryLimit?: number } = {},
  ): Promise<KernelProcess> {
    if (opts.memoryLimit !== undefined && !canWatchMemory())
      throw new KernelError("a memory limit needs Linux's /proc to measure the kernel", { kernel: spec.name }, 2);
    const [shell, iopub, stdin, control, hb] = (await freePorts(5)) as [number, number, number, number, number];
    const connection: ConnectionInfo = {
      transport: 'tcp',
      ip: '127.0.0.1',
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      key: randomBytes(32).toString('hex'),
      signature_scheme: 'hmac-sha256',
      kernel_name: spec.name,
    };
    const runtimeDir = mkdtempSync(join(tmpdir(), 'skybook-kernel-'));
    const file = join(runtimeDir, `kernel-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(connection, null, 1), { mode: 0o600 });
    const argv = spec.argv.map((a) => a.replaceAll('{connection_file}', file).replaceAll('{resource_dir}', spec.dir));
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, ...spec.env, JPY_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const k = new KernelProcess(spec, connection, child, runtimeDir);
    // A kernel must not outlive skybook: the exit hook covers process.exit and uncaught errors, the guardian SIGKILL.
    const reap = () => {
      k.killSync();
      rmSync(runtimeDir, { recursive: true, force: true });
    };
    process.once('exit', reap);
    k.unhook = () => process.off('exit', reap);
    if (child.pid) {
      k.guardian = startKernelGuardian(child.pid, runtimeDir);
      const limit = opts.memoryLimit;
      if (limit !== undefined)
        k.stopWatching = watchGroupMemory(child.pid, limit, (bytes) => {
          k.overLimit = { bytes, limit };
          k.killSync();
        });
    }
    return k;
  }

  /** The last lines the kernel wrote to stderr (shown when it dies). */
  get stderr(): string {
    return this.stderrTail;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** SIGINT to the kernel's process group (interrupt_mode "signal"); the client sends interrupt_request for "message". */
  signalInterrupt(): void {
    if (this.alive && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGINT');
      } catch {
        this.child.kill('SIGINT');
      }
    }
  }

  private killSync(): void {
    if (this.alive && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  /** Waits up to `graceMs` for a clean exit (after shutdown_request), then SIGKILLs; removes the connection file. */
  async kill(graceMs = 2000): Promise<KernelExit> {
    if (this.alive) {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise((r) => (t = setTimeout(r, graceMs)))]);
      clearTimeout(t);
      this.killSync();
    }
    const exit = await this.exited;
    this.stopWatching();
    rmSync(this.runtimeDir, { recursive: true, force: true });
    this.unhook();
    this.guardian?.release();
    return exit;
  }

  /** A KernelError describing how the kernel died, with the tail of its stderr. */
  deathError(cell?: number): KernelError {
    if (this.overLimit)
      return new KernelError(
        `kernel stopped: its memory reached ${sizeText(this.overLimit.bytes, Math.ceil)}, over the limit of ${sizeText(this.overLimit.limit)}`,
        { kernel: this.spec.name, cell },
      );
    const how = this.exit?.signal ? `signal ${this.exit.signal}` : `exit code ${this.exit?.code}`;
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return new KernelError(`kernel died (${how})${tail ? `: ${tail}` : ''}`, { kernel: this.spec.name, cell });
  }
}
