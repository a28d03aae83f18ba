import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as zmq from 'zeromq';
import { Wire, type Message } from '../../lib/notebook/wire.js';
import { ROOT } from '../helpers/cli.js';

export const KERNEL_MAIN = resolve(ROOT, 'dist/kernel/main.js');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

/** Everything one request caused: its reply and the iopub messages sent under it, up to its idle status. */
export interface Exchange {
  reply: Message;
  iopub: Message[];
}

/**
 * A minimal Jupyter client for the tests (a real ZeroMQ client over the real protocol, signed with HMAC): it starts
 * the built kernel from a connection file, sends requests, and collects replies and iopub messages per request.
 */
export class TestKernel {
  readonly iopubLog: Message[] = [];
  readonly stderr: string[] = [];
  #waiters: (() => void)[] = [];
  readonly #replies = new Map<string, Message>();
  /** The heartbeat socket's address. */
  hbUrl = '';

  private constructor(
    readonly proc: ChildProcess,
    readonly wire: Wire,
    readonly shell: zmq.Dealer,
    readonly control: zmq.Dealer,
    readonly iopub: zmq.Subscriber,
    readonly startedAt: number,
  ) {
    proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    void this.#read(iopub, (m) => this.iopubLog.push(m));
    void this.#read(shell, (m) => this.#replies.set(m.parent_header.msg_id!, m));
    void this.#read(control, (m) => this.#replies.set(m.parent_header.msg_id!, m));
  }

  async #read(sock: zmq.Dealer | zmq.Subscriber, keep: (m: Message) => void): Promise<void> {
    try {
      for await (const frames of sock) {
        keep(this.wire.deserialize(frames as Buffer[]));
        for (const w of this.#waiters.splice(0)) w();
      }
    } catch {
      /* closed */
    }
  }

  /** Resolves when `ready()` holds, re-checking on every message received. */
  async until<T>(ready: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = ready();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; kernel stderr: ${this.stderr.join('')}`);
      if (this.proc.exitCode !== null)
        throw new Error(`the kernel exited (${this.proc.exitCode}) while waiting for ${what}: ${this.stderr.join('')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250); // a bound on each wait, not synchronisation: messages wake us first
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  static async start(opts: { cwd?: string; key?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestKernel> {
    const dir = mkdtempSync(join(tmpdir(), 'skybook-kernel-'));
    const key = opts.key ?? randomBytes(16).toString('hex');
    const ports = {
      shell_port: await freePort(),
      iopub_port: await freePort(),
      control_port: await freePort(),
      stdin_port: await freePort(),
      hb_port: await freePort(),
    };
    const conn = { transport: 'tcp', ip: '127.0.0.1', key, signature_scheme: 'hmac-sha256', ...ports };
    const file = join(dir, 'connection.json');
    writeFileSync(file, JSON.stringify(conn));
    const startedAt = Date.now();
    const proc = spawn(process.execPath, [KERNEL_MAIN, file], {
      cwd: opts.cwd ?? dir,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = (p: number) => `tcp://127.0.0.1:${p}`;
    const shell = new zmq.Dealer();
    const control = new zmq.Dealer();
    const iopub = new zmq.Subscriber();
    shell.connect(url(ports.shell_port));
    control.connect(url(ports.control_port));
    iopub.connect(url(ports.iopub_port));
    iopub.subscribe();
    const k = new TestKernel(proc, new Wire(key), shell, control, iopub, startedAt);
    k.hbUrl = url(ports.hb_port);
    return k;
  }

  /** Sends a request and returns its message id. */
  async send(type: string, content: Record<string, unknown>, channel: 'shell' | 'control' = 'shell'): Promise<string> {
    const msg = this.wire.message(type, content);
    await (channel === 'shell' ? this.shell : this.control).send(this.wire.serialize(msg));
    return msg.header.msg_id;
  }

  /** The reply to `id` if it has come. */
  replied(id: string): Message | undefined {
    return this.#replies.get(id);
  }

  /** The reply to `id` and its iopub messages up to the idle status. */
  async exchange(id: string, timeoutMs?: number): Promise<Exchange> {
    const reply = await this.until(() => this.#replies.get(id), `the reply to ${id}`, timeoutMs);
    const mine = () => this.iopubLog.filter((m) => m.parent_header.msg_id === id);
    await this.until(
      () => (mine().some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle') ? true : undefined),
      `idle after ${id}`,
      timeoutMs,
    );
    return { reply, iopub: mine().filter((m) => m.header.msg_type !== 'status') };
  }

  async request(
    type: string,
    content: Record<string, unknown>,
    channel: 'shell' | 'control' = 'shell',
    timeoutMs?: number,
  ): Promise<Exchange> {
    return this.exchange(await this.send(type, content, channel), timeoutMs);
  }

  /** Waits until iopub is connected (the ZeroMQ slow-joiner problem): kernel_info until its status arrives. */
  async ready(): Promise<Message> {
    for (;;) {
      const id = await this.send('kernel_info_request', {});
      const reply = await this.until(() => this.#replies.get(id), 'kernel_info_reply');
      const seen = await this.until(
        () => (this.iopubLog.some((m) => m.parent_header.msg_id === id && m.content.execution_state === 'idle') ? true : undefined),
        'iopub',
        2000,
      ).catch(() => false);
      if (seen) return reply;
    }
  }

  execute(code: string, extra: Record<string, unknown> = {}, timeoutMs?: number): Promise<Exchange> {
    return this.request(
      'execute_request',
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra },
      'shell',
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    for (const s of [this.shell, this.control, this.iopub]) s.close();
  }
}
