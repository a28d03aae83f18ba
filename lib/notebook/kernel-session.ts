import { KernelError } from '../errors/index.js';
import { KernelClient } from './kernel-client.js';
import { KernelProcess } from './kernel-process.js';
import type { KernelSpec } from './kernelspec.js';
import type { Output } from './nbformat.js';
import { OutputCollector } from './output-collector.js';

/**
 * What one execute_request produced. `timeout`: the kernel was interrupted after the cell's time ran out;
 * `terminated`: the run was stopped and the cell did not end within its grace after the interrupt, so the kernel was
 * killed (the outputs so far are kept).
 */
export interface ExecuteResult {
  status: 'ok' | 'error' | 'aborted' | 'timeout' | 'terminated';
  outputs: Output[];
  executionCount: number | null;
  error?: { ename: string; evalue: string; traceback: string[] };
}

/** Options of `KernelSession.start`. */
export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds to wait for kernel_info_reply (default 60). */
  startupTimeout?: number;
  /**
   * Ping the heartbeat every this many ms and count the kernel dead after three silent beats. Off by default: we
   * launch kernels ourselves, so their process exit is the authoritative death signal, and a kernel that runs cells on
   * the thread that echoes heartbeats (the skybook kernel) would look dead during any long synchronous cell.
   */
  heartbeatMs?: number;
  /** The most resident memory, in bytes, the kernel and its subprocesses may take; past it the kernel is stopped. */
  memoryLimit?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A running kernel and a client connected to it: launch, execute, interrupt (by signal or interrupt_request, as the
 * kernelspec's interrupt_mode says), shutdown, and death detection (process exit; optionally a silent heartbeat).
 *
 * @example
 * const k = await KernelSession.start(findKernelSpec('python3'));
 * const r = await k.execute('print(1 + 1)');
 * r.outputs[0].text // '2\n'
 * await k.shutdown();
 */
export class KernelSession {
  /** kernel_info_reply content: language_info, implementation, banner. */
  info: Record<string, unknown> = {};
  /** Resolves (with an error to throw) when the kernel is found dead. */
  readonly dead: Promise<KernelError>;
  private stopHeartbeat: () => void = () => {};
  private markDead!: (e: KernelError) => void;
  private isDead = false;

  private constructor(
    readonly spec: KernelSpec,
    readonly process: KernelProcess,
    readonly client: KernelClient,
  ) {
    this.dead = new Promise(
      (res) =>
        (this.markDead = (e) => {
          if (!this.isDead) {
            this.isDead = true;
            res(e);
          }
        }),
    );
    void process.exited.then(() => this.markDead(process.deathError()));
  }

  /** Launches the kernel and waits until it answers (start-up timeout), or throws a KernelError. */
  static async start(spec: KernelSpec, opts: StartOptions = {}): Promise<KernelSession> {
    const proc = await KernelProcess.launch(spec, { cwd: opts.cwd, env: opts.env, memoryLimit: opts.memoryLimit });
    const client = await KernelClient.connect(proc.connection);
    const s = new KernelSession(spec, proc, client);
    try {
      s.info = await client.waitReady((opts.startupTimeout ?? 60) * 1000, proc.exited);
    } catch (e) {
      const died = !proc.alive;
      await s.shutdown(0);
      if (died) throw proc.deathError();
      throw e;
    }
    if (opts.heartbeatMs)
      s.stopHeartbeat = client.heartbeat(opts.heartbeatMs, () =>
        s.markDead(new KernelError('kernel stopped answering its heartbeat', { kernel: spec.name })),
      );
    return s;
  }

  get alive(): boolean {
    return !this.isDead && this.process.alive;
  }

  /** The kernel's language: from kernel_info_reply, else the kernelspec. */
  get language(): string {
    const li = this.info.language_info as { name?: string } | undefined;
    return (li?.name ?? this.spec.language ?? '').toLowerCase();
  }

  /** Interrupts the running cell, the way the kernelspec asks. */
  async interrupt(): Promise<void> {
    if (this.spec.interrupt_mode === 'message') await this.client.interrupt();
    else this.process.signalInterrupt();
  }

  /**
   * Executes `code` and resolves once both its execute_reply and its final idle status arrived (outputs can trail the
   * reply). A cell running past `timeoutMs` is interrupted and reported as `timeout`; a kernel death rejects.
   * `stopOnError` (default true) lets the kernel abort requests queued behind a failing cell; pass false where an
   * error is expected (nbclient does the same for `raises-exception` cells), or the next cell may come back aborted.
   * Aborting `terminate` interrupts the cell; one that has not ended `terminateGraceMs` (2000) later is abandoned:
   * the kernel is killed and the result is `terminated`, with the outputs so far.
   */
  async execute(
    code: string,
    opts: {
      timeoutMs?: number;
      onOutput?: (o: Output) => void;
      cell?: number;
      stopOnError?: boolean;
      terminate?: AbortSignal;
      terminateGraceMs?: number;
    } = {},
  ): Promise<ExecuteResult> {
    const collector = new OutputCollector(opts.onOutput);
    let idle!: () => void;
    const gotIdle = new Promise<void>((r) => (idle = r));
    let off = () => {};
    const content = {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: opts.stopOnError ?? true,
    };
    const done = this.client
      .request('shell', 'execute_request', content, {
        beforeSend: (m) => {
          off = this.client.onIopub(m.header.msg_id, (msg) => {
            if (msg.header.msg_type === 'status' && (msg.content as { execution_state?: string }).execution_state === 'idle') idle();
            else collector.add(msg);
          });
        },
      })
      .then(async (reply) => {
        await gotIdle;
        return reply;
      });
    const dead = this.dead.then((e) =>
      Promise.reject(new KernelError(e.message.replace(/^kernel [^:]+: /, ''), { kernel: this.spec.name, cell: opts.cell })),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      if (opts.timeoutMs !== undefined) timer = setTimeout(() => r('timeout'), opts.timeoutMs);
    });
    let onTerminate = () => {};
    const terminated = new Promise<'terminate'>((r) => (onTerminate = () => r('terminate')));
    opts.terminate?.addEventListener('abort', onTerminate);
    if (opts.terminate?.aborted) onTerminate();
    try {
      let first = await Promise.race([done, dead, timedOut, terminated]);
      if (first === 'terminate') {
        await this.interrupt();
        let graceTimer: NodeJS.Timeout | undefined;
        const grace = new Promise<'late'>((r) => (graceTimer = setTimeout(() => r('late'), opts.terminateGraceMs ?? 2000)));
        const ended = await Promise.race([done, this.dead.then(() => 'late' as const), grace]);
        clearTimeout(graceTimer);
        if (ended === 'late') {
          await this.process.kill(0);
          return { status: 'terminated', outputs: collector.outputs, executionCount: null };
        }
        first = ended; // the cell stopped (KeyboardInterrupt): its reply, as any other
      }
      if (first === 'timeout') {
        await this.interrupt();
        // Give the kernel a moment to report the interruption; its outputs so far are kept either way.
        await Promise.race([done, dead, sleep(5000)]);
        return { status: 'timeout', outputs: collector.outputs, executionCount: null };
      }
      const rc = first.content as {
        status: ExecuteResult['status'];
        execution_count?: number;
        ename?: string;
        evalue?: string;
        traceback?: string[];
      };
      const result: ExecuteResult = { status: rc.status, outputs: collector.outputs, executionCount: rc.execution_count ?? null };
      if (rc.status === 'error') result.error = { ename: rc.ename ?? 'Error', evalue: rc.evalue ?? '', traceback: rc.traceback ?? [] };
      return result;
    } finally {
      clearTimeout(timer);
      opts.terminate?.removeEventListener('abort', onTerminate);
      off();
    }
  }

  /**
   * shutdown_request, then the process is reaped (killed after `graceMs`; 0 kills at once without asking, for a
   * kernel that never answered); sockets closed. Safe to call twice.
   */
  async shutdown(graceMs = 3000): Promise<void> {
    this.stopHeartbeat();
    if (this.process.alive && graceMs > 0) await this.client.shutdown(2000);
    await this.process.kill(graceMs);
    this.markDead(new KernelError('kernel shut down', { kernel: this.spec.name }));
    this.client.close();
  }
}
