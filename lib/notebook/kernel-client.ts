import * as zmq from 'zeromq';
import { KernelError } from '../errors/index.js';
import type { ConnectionInfo } from './kernel-process.js';
import { Wire, type Message } from './wire.js';

type Channel = 'shell' | 'control' | 'stdin';
type Handler = (msg: Message) => void;

/**
 * A Jupyter client over ZeroMQ: DEALER sockets for shell, control and stdin, a SUB socket for iopub and a REQ
 * heartbeat. Replies and iopub messages are routed to whoever sent the request, by parent msg_id; every incoming
 * message is checked against the connection's HMAC key.
 *
 * @example
 * const c = await KernelClient.connect(kernel.connection);
 * const info = await c.request('shell', 'kernel_info_request', {});
 * c.close();
 */
export class KernelClient {
  readonly wire: Wire;
  private readonly sockets: { shell: zmq.Dealer; control: zmq.Dealer; stdin: zmq.Dealer; iopub: zmq.Subscriber };
  private readonly replyWaiters = new Map<string, Handler>();
  private readonly iopubHandlers = new Map<string, Handler>();
  private closed = false;
  /** Messages that failed signature checks: counted, never delivered. */
  badSignatures = 0;

  private constructor(private readonly conn: ConnectionInfo) {
    this.wire = new Wire(conn.key);
    const opts = { linger: 0 };
    this.sockets = {
      shell: new zmq.Dealer(opts),
      control: new zmq.Dealer(opts),
      stdin: new zmq.Dealer(opts),
      iopub: new zmq.Subscriber(opts),
    };
  }

  private url(port: number): string {
    return `${this.conn.transport}://${this.conn.ip}:${port}`;
  }

  /** Connects to a kernel described by a connection file's contents. */
  static async connect(conn: ConnectionInfo): Promise<KernelClient> {
    const c = new KernelClient(conn);
    const s = c.sockets;
    s.shell.connect(c.url(conn.shell_port));
    s.control.connect(c.url(conn.control_port));
    s.stdin.connect(c.url(conn.stdin_port));
    s.iopub.connect(c.url(conn.iopub_port));
    s.iopub.subscribe();
    for (const ch of ['shell', 'control', 'stdin'] as const) void c.pump(s[ch], (m) => c.onReply(ch, m));
    void c.pump(s.iopub, (m) => c.iopubHandlers.get(m.parent_header.msg_id ?? '')?.(m));
    return c;
  }

  private async pump(sock: zmq.Dealer | zmq.Subscriber, deliver: Handler): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = this.wire.deserialize(frames);
        } catch {
          this.badSignatures++;
          continue;
        }
        deliver(msg);
      }
    } catch (e) {
      if (!this.closed) throw e;
    }
  }

  private onReply(ch: Channel, m: Message): void {
    if (ch === 'stdin' && m.header.msg_type === 'input_request') {
      // Headless runs have no one to type: answer empty rather than hang (we also send allow_stdin: false).
      void this.send('stdin', this.wire.message('input_reply', { value: '' }, m.header));
      return;
    }
    this.replyWaiters.get(m.parent_header.msg_id ?? '')?.(m);
  }

  private async send(ch: Channel, msg: Message<object>): Promise<void> {
    await this.sockets[ch].send(this.wire.serialize(msg) as (string | Buffer)[]);
  }

  /** Routes iopub messages whose parent is `msgId` to `handler` until the returned function is called. */
  onIopub(msgId: string, handler: Handler): () => void {
    this.iopubHandlers.set(msgId, handler);
    return () => this.iopubHandlers.delete(msgId);
  }

  /**
   * Sends a request and resolves with its reply; `beforeSend` sees the message first (to register iopub handlers).
   * Rejects after `timeoutMs` (when given) so a dead kernel never hangs the caller.
   */
  async request(
    ch: Channel,
    type: string,
    content: object,
    opts: { timeoutMs?: number; beforeSend?: (m: Message<object>) => void } = {},
  ): Promise<Message> {
    const msg = this.wire.message(type, content);
    opts.beforeSend?.(msg);
    const id = msg.header.msg_id;
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<Message>((res, rej) => {
      this.replyWaiters.set(id, res);
      if (opts.timeoutMs !== undefined)
        timer = setTimeout(
          () => rej(new KernelError(`no ${type.replace('_request', '_reply')} within ${opts.timeoutMs} ms`)),
          opts.timeoutMs,
        );
    });
    try {
      await this.send(ch, msg);
      return await reply;
    } finally {
      clearTimeout(timer);
      this.replyWaiters.delete(id);
    }
  }

  /**
   * Waits until the kernel answers kernel_info_request AND its iopub reaches us (a SUB socket misses whatever is
   * published before it joins), retrying as nbclient does; returns the kernel_info_reply content.
   */
  async waitReady(timeoutMs: number, dead: Promise<unknown>): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let lost = false;
    void dead.then(() => (lost = true));
    while (Date.now() < deadline && !lost) {
      let sawIopub = false;
      let off: () => void = () => {};
      try {
        const reply = await Promise.race([
          this.request(
            'shell',
            'kernel_info_request',
            {},
            {
              timeoutMs: Math.max(1, Math.min(1000, deadline - Date.now())),
              beforeSend: (m) => (off = this.onIopub(m.header.msg_id, () => (sawIopub = true))),
            },
          ),
          dead.then(() => undefined),
        ]);
        if (!reply) break;
        // The status messages of this request may trail the reply by a moment.
        for (let i = 0; i < 20 && !sawIopub && !lost; i++) await new Promise((r) => setTimeout(r, 10));
        if (sawIopub) return reply.content;
      } catch {
        /* no reply yet: the kernel is still starting */
      } finally {
        off();
      }
    }
    if (lost) throw new KernelError('kernel died while starting', { kernel: this.conn.kernel_name });
    throw new KernelError(`kernel did not start within ${timeoutMs / 1000} s`, { kernel: this.conn.kernel_name });
  }

  /**
   * Pings the heartbeat channel every `intervalMs`; calls `onDead` once when `misses` pings in a row get no echo
   * within the interval (a kernel on another host, or hung, has no exit event to watch; one slow echo on a busy
   * machine is not a death). Returns a stop function.
   */
  heartbeat(intervalMs: number, onDead: () => void, misses = 3): () => void {
    let stopped = false;
    let missed = 0;
    let timer: NodeJS.Timeout | undefined;
    let hb: zmq.Request | undefined;
    const beat = async () => {
      hb = new zmq.Request({ linger: 0, receiveTimeout: intervalMs });
      hb.connect(this.url(this.conn.hb_port));
      try {
        await hb.send('ping');
        await hb.receive();
        missed = 0;
      } catch {
        if (++missed >= misses && !stopped) {
          onDead();
          stopped = true;
        }
      } finally {
        hb.close();
      }
      // unref: a pending beat must never keep the process alive after the run.
      if (!stopped) (timer = setTimeout(() => void beat(), intervalMs)).unref();
    };
    (timer = setTimeout(() => void beat(), intervalMs)).unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (hb && !hb.closed) hb.close();
    };
  }

  /** Sends interrupt_request on control (for kernels whose interrupt_mode is "message"). */
  async interrupt(timeoutMs = 5000): Promise<void> {
    await this.request('control', 'interrupt_request', {}, { timeoutMs }).catch(() => undefined);
  }

  /** Asks the kernel to exit (shutdown_request on control); resolves on the reply or after `timeoutMs`. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    await this.request('control', 'shutdown_request', { restart: false }, { timeoutMs }).catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    for (const s of Object.values(this.sockets)) s.close();
  }
}
