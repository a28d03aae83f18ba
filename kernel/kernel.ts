import { createRequire } from 'node:module';
import type * as Zmq from 'zeromq';
import type { Compiler } from './compiler.js';
import { buildEngine, type Engine } from './engine.js';
import { IoCapture } from './io-capture.js';
import { KernelProgress } from './progress-display.js';
import { CellHistory } from './history.js';
import { handleShell, kernelInfo, publishDisplay } from './shell.js';
import { KernelError } from '../lib/errors/index.js';
import { type Message, Wire } from '../lib/notebook/index.js';

/** How long the kernel must have nothing to do before the compiler works in the background. */
const IDLE_MS = 300;

/** The connection file Jupyter writes for a kernel it starts. */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  control_port: number;
  stdin_port: number;
  hb_port: number;
}

/**
 * The skybook Jupyter kernel: binds the five sockets of a connection file, answers control messages at once (kernel
 * info, interrupt, shutdown), and runs shell requests one at a time from a queue, so a failing cell can abort the
 * execute requests queued behind it, visibly. The cell engine (tslab's converter plus skybook's preload) is built
 * right after the sockets are up; requests that need it wait for it.
 *
 * @example
 * await new Kernel(JSON.parse(readFileSync(connectionFile, 'utf8')), { root, cwd: process.cwd() }).start();
 */
export class Kernel {
  readonly wire: Wire;
  readonly io: IoCapture;
  readonly queue: Message[] = [];
  engine!: Promise<Engine>;
  /** Set by the shell handler; the current request, whose id stream output and displays are sent under. */
  current: Message | undefined;
  executionCount = 0;
  /** The cells run with store_history, for history_request. */
  readonly history = new CellHistory();
  /** When the last cell failed (ms since epoch) and what was queued then: execute requests sent before it are aborted. */
  failedAt: { time: number; count: number | null; summary: string; queued: Set<string> } | undefined;
  #displayCount = 0;
  #progressCount = 0;
  #sockets!: { shell: Zmq.Router; control: Zmq.Router; iopub: Zmq.Publisher; stdin: Zmq.Router; hb: Zmq.Reply };
  #working = false;
  /** Shell requests received so far (an idle moment is one in which this does not change). */
  #received = 0;

  constructor(
    private readonly conn: ConnectionInfo,
    readonly opts: { root: string; cwd: string; compiler?: Compiler },
  ) {
    if (conn.signature_scheme && conn.signature_scheme !== 'hmac-sha256')
      throw new KernelError(`unsupported signature_scheme '${conn.signature_scheme}' (only hmac-sha256)`, { kernel: 'skybook' }, 2);
    this.wire = new Wire(conn.key, undefined, 'skybook-kernel');
    this.io = new IoCapture((name, text) => this.#publishNow('stream', { name, text }));
  }

  async start(): Promise<void> {
    const zmq = createRequire(import.meta.url)('zeromq') as typeof Zmq;
    const s = {
      shell: new zmq.Router(),
      control: new zmq.Router(),
      iopub: new zmq.Publisher(),
      stdin: new zmq.Router(),
      hb: new zmq.Reply(),
    };
    this.#sockets = s;
    const url = (port: number) => `${this.conn.transport}://${this.conn.ip}${this.conn.transport === 'ipc' ? '-' : ':'}${port}`;
    await Promise.all([
      s.shell.bind(url(this.conn.shell_port)),
      s.control.bind(url(this.conn.control_port)),
      s.iopub.bind(url(this.conn.iopub_port)),
      s.stdin.bind(url(this.conn.stdin_port)),
      s.hb.bind(url(this.conn.hb_port)),
    ]);
    this.io.install();
    void this.#loop(s.hb, async (frames) => {
      await s.hb.send(frames);
    });
    void this.#loop(s.control, async (frames) => this.#control(this.wire.deserialize(frames)));
    void this.#loop(s.shell, async (frames) => {
      this.#received++;
      this.queue.push(this.wire.deserialize(frames));
      void this.#work();
    });
    this.publish('status', { execution_state: 'starting' }, undefined);
    const hosts = { display: (v: unknown) => this.display(v), progress: () => new KernelProgress(this) };
    this.engine = buildEngine(this.opts.cwd, this.opts.root, hosts, this.opts.compiler);
    void this.engine.then(
      () => this.#whenIdle(),
      () => {
        /* logged below */
      },
    );
    this.engine.catch((e: unknown) => this.io.log(`skybook kernel: the engine failed to start: ${(e as Error).stack ?? String(e)}\n`));
  }

  async #loop(sock: Zmq.Router | Zmq.Reply, handle: (frames: Buffer[]) => Promise<void>): Promise<void> {
    try {
      for await (const frames of sock) {
        try {
          await handle(frames);
        } catch (e) {
          this.io.log(`skybook kernel: ${(e as Error).message}\n`);
        }
      }
    } catch {
      /* the socket closed: shutting down */
    }
  }

  async #work(): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    try {
      for (let msg = this.queue.shift(); msg; msg = this.queue.shift()) {
        await handleShell(this, msg, this.#sockets.shell);
      }
    } finally {
      this.#working = false;
    }
    this.#whenIdle();
  }

  /**
   * Nothing queued: if nothing arrives for a moment (a person reading, not a runner sending the next cell a few ms
   * later), the compiler does its background work (see Executor.warmWhenIdle).
   */
  #whenIdle(): void {
    const seen = this.#received;
    const idle = () => !this.#working && this.queue.length === 0 && this.#received === seen;
    if (!idle()) return;
    setTimeout(() => {
      if (idle())
        void this.engine.then(
          (e) => {
            if (idle()) e.executor.warmWhenIdle();
          },
          () => {
            /* reported on requests */
          },
        );
    }, IDLE_MS).unref();
  }

  async #control(msg: Message): Promise<void> {
    const type = msg.header.msg_type;
    this.publish('status', { execution_state: 'busy' }, msg);
    if (type === 'interrupt_request') {
      (await this.engine).executor.interrupt();
      await this.reply(this.#sockets.control, msg, 'interrupt_reply', { status: 'ok' });
    } else if (type === 'shutdown_request') {
      await this.reply(this.#sockets.control, msg, 'shutdown_reply', { status: 'ok', restart: Boolean(msg.content.restart) });
      this.publish('status', { execution_state: 'idle' }, msg);
      await this.shutdown();
      return;
    } else if (type === 'kernel_info_request') {
      await this.reply(this.#sockets.control, msg, 'kernel_info_reply', kernelInfo());
    }
    this.publish('status', { execution_state: 'idle' }, msg);
  }

  /** Sends a reply on `sock` (shell or control) to `msg`. */
  async reply(sock: Zmq.Router, msg: Message, type: string, content: object): Promise<void> {
    this.io.flush();
    await sock.send(this.#frames(type, content, msg, msg.identities));
  }

  /** Publishes on iopub; stream output written so far goes out first, so the order of outputs is kept. */
  publish(type: string, content: object, parent: Message | undefined): void {
    this.io.flush();
    this.#publishNow(type, content, parent);
  }

  #publishNow(type: string, content: object, parent: Message | undefined = this.current): void {
    void this.#sockets.iopub.send(this.#frames(type, content, parent, [Buffer.from(`kernel.${type}`)])).catch(() => {
      /* closing */
    });
  }

  #frames(type: string, content: object, parent: Message | undefined, identities: Buffer[]): (string | Buffer)[] {
    return this.wire.serialize({ ...this.wire.message(type, content, parent?.header ?? {}), identities });
  }

  /** A counter-based id for the next rich output of the current cell (same notebook, same ids, every run). */
  nextOutputId(): string {
    return `skybook-${this.executionCount}-${++this.#displayCount}`;
  }

  /** A display id for a progress display, counted apart so rich outputs keep their ids whether or not work showed progress. */
  nextProgressId(): string {
    return `skybook-${this.executionCount}-progress-${++this.#progressCount}`;
  }

  /** Starts a cell: output ids restart at 1. */
  beginCell(): void {
    this.#displayCount = 0;
    this.#progressCount = 0;
  }

  /** `display(value)` in a cell: publishes `display_data` now and returns its display id. */
  display(value: unknown): string {
    return publishDisplay(this, value);
  }

  async shutdown(): Promise<void> {
    const s = this.#sockets;
    for (const sock of [s.shell, s.control, s.stdin, s.hb]) sock.close();
    // Let the idle status leave before iopub closes.
    await new Promise((r) => setImmediate(r));
    s.iopub.close();
    process.exit(0);
  }
}
