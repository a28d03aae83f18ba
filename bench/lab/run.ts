/**
 * bench/lab (issue 19): in one run, `--repeat` times (default 3), the time from starting `skybook lab --no-browser
 * --port 0 --json` to a usable kernel, and the first completion's latency, for the skybook kernel and for plain tslab in
 * the same JupyterLab, through JupyterLab's own REST API and kernel websocket (what the browser does, without one).
 * Usage: node dist/bench/lab/run.js [--repeat 3] [--idle-ms 0]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CLI, numArg, ROOT } from '../runner/common.js';
import { writeTslabSpec } from '../runner/kernel-start.js';

const REPEAT = numArg('repeat', 3);
/** Milliseconds to leave the kernel idle between `1+1` and the first completion (0: ask at once, the worst case). */
const IDLE_MS = numArg('idle-ms', 0);
const TIMEOUT_MS = 180_000;
const KERNELS = {
  skybook: { code: 'sky.read', expect: 'readZcatalog' },
  tslab: { code: 'Math.ma', expect: 'max' },
} as const;
type KernelName = keyof typeof KERNELS;

/** One kernel's figures in one run, seconds. */
interface KernelTiming {
  /** POST /api/sessions -> the execute_reply of `1+1` (its result checked to be 2). */
  kernel: number;
  /**
   * `skybook lab` spawned -> its server answering, plus this kernel's session -> first reply: what a user waits for before
   * a first result in a fresh lab (the kernel started second in a run does not count the first one's time).
   */
  usable: number;
  /** complete_request -> complete_reply, the kernel's first completion. */
  completion: number;
  /** The same complete_request again: the latency once the kernel has what completion needs loaded. */
  again: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** `skybook lab` on a free port with Jupyter's config and runtime folders in `dir`, tslab's kernelspec on JUPYTER_PATH. */
async function startLab(dir: string): Promise<{ child: ChildProcess; base: string; token: string; log: () => string }> {
  const prefix = join(dir, 'tslab-prefix');
  writeTslabSpec(prefix, ROOT);
  const env = {
    ...process.env,
    // skybook lab puts its own kernel prefix in front of this.
    JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
    JUPYTER_CONFIG_DIR: join(dir, 'config'),
    JUPYTER_DATA_DIR: join(dir, 'data'),
    JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
  };
  const child = spawn(process.execPath, [CLI, 'lab', '--no-browser', '--port', '0', '--json', '--dir', dir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`skybook lab exited (${code}) before it printed its URL:\n${stderr}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { child, base: `127.0.0.1:${port}`, token, log: () => stderr };
}

/** A Jupyter message (protocol 5.3) on `channel`, as JupyterLab's websocket takes it without a subprotocol: JSON. */
function message(channel: string, msgType: string, session: string, content: object) {
  const header = { msg_id: randomUUID(), msg_type: msgType, session, username: 'bench', date: new Date().toISOString(), version: '5.3' };
  return { channel, header, parent_header: {}, metadata: {}, content, buffers: [] };
}

interface Reply {
  content: Record<string, unknown>;
  /** iopub messages for this request that arrived before the reply (execute_result, stream, error). */
  iopub: { msg_type: string; content: Record<string, unknown> }[];
}

/** Kernel channels of one kernel over JupyterLab's websocket: send a shell request, resolve with its reply. */
class Channels {
  readonly #session = randomUUID();
  #pending = new Map<string, { reply?: Reply; iopub: Reply['iopub']; idle: boolean; done: (r: Reply) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as {
        channel: string;
        header: { msg_type: string };
        parent_header: { msg_id?: string };
        content: Record<string, unknown>;
      };
      const p = this.#pending.get(m.parent_header.msg_id ?? '');
      if (!p) return;
      if (m.channel === 'iopub') {
        if (m.header.msg_type === 'status' && m.content.execution_state === 'idle') p.idle = true;
        else p.iopub.push({ msg_type: m.header.msg_type, content: m.content });
      } else if (m.channel === 'shell') p.reply = { content: m.content, iopub: p.iopub };
      // The reply and the idle status may come in either order; a request is answered when both have.
      if (p.reply && p.idle) {
        this.#pending.delete(m.parent_header.msg_id!);
        p.done(p.reply);
      }
    });
  }

  static async open(base: string, token: string, kernelId: string): Promise<Channels> {
    const ws = new WebSocket(`ws://${base}/api/kernels/${kernelId}/channels?session_id=${randomUUID()}`, {
      headers: { Authorization: `token ${token}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Channels(ws);
  }

  request(msgType: string, content: object): Promise<Reply> {
    const m = message('shell', msgType, this.#session, content);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${msgType} reply within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.#pending.set(m.header.msg_id, {
        iopub: [],
        idle: false,
        done: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      this.ws.send(JSON.stringify(m));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** JupyterLab's REST API with the token. */
async function api(base: string, token: string, method: string, path: string, body?: object): Promise<Record<string, unknown>> {
  const r = await fetch(`http://${base}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.status === 204 ? {} : ((await r.json()) as Record<string, unknown>);
}

/** A notebook session of `name` made through the REST API, `1+1` run and checked, one completion; then shut down. */
async function timeKernel(base: string, token: string, name: KernelName, server: number): Promise<KernelTiming> {
  const k0 = process.hrtime.bigint();
  const session = await api(base, token, 'POST', '/api/sessions', {
    path: `bench-${name}-${randomUUID()}.ipynb`,
    type: 'notebook',
    name: '',
    kernel: { name },
  });
  const kernelId = (session.kernel as { id: string }).id;
  const ch = await Channels.open(base, token, kernelId);
  try {
    const run = await ch.request('execute_request', {
      code: '1+1',
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
    });
    const kernel = seconds(k0);
    const usable = server + kernel;
    // skybook shows the value as an execute_result; plain tslab prints it to stdout.
    const text = run.iopub
      .map((m) =>
        m.msg_type === 'execute_result'
          ? (m.content.data as Record<string, string>)['text/plain']
          : m.msg_type === 'stream'
            ? m.content.text
            : '',
      )
      .join('');
    if (run.content.status !== 'ok' || String(text).trim() !== '2')
      throw new Error(`kernel ${name}: 1+1 gave ${String(run.content.status)} ${JSON.stringify(text)}`);

    const { code, expect } = KERNELS[name];
    if (IDLE_MS > 0) await new Promise((r) => setTimeout(r, IDLE_MS));
    const c0 = process.hrtime.bigint();
    const done = await ch.request('complete_request', { code, cursor_pos: code.length });
    const completion = seconds(c0);
    const matches = (done.content.matches as string[] | undefined) ?? [];
    if (done.content.status !== 'ok' || !matches.includes(expect))
      throw new Error(`kernel ${name}: completing ${code} gave ${JSON.stringify(matches.slice(0, 10))}, not ${expect}`);
    const a0 = process.hrtime.bigint();
    await ch.request('complete_request', { code, cursor_pos: code.length });
    return { kernel, usable, completion, again: seconds(a0) };
  } finally {
    ch.close();
    await api(base, token, 'DELETE', `/api/sessions/${String(session.id)}`);
  }
}

/** Stops `skybook lab` as Ctrl+C would, and waits for it (JupyterLab and its kernels) to exit. */
async function stopLab(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

const times: Record<KernelName, KernelTiming[]> = { skybook: [], tslab: [] };
const servers: number[] = [];
const loads = [loadavg()[0]!.toFixed(1)];
const out = join(ROOT, 'bench', 'out');
mkdirSync(out, { recursive: true });
for (let i = 0; i < REPEAT; i++) {
  const dir = mkdtempSync(join(out, 'lab-'));
  const t0 = process.hrtime.bigint();
  const lab = await startLab(dir);
  try {
    servers.push(seconds(t0));
    // Alternate which kernel starts first, so neither always meets a JupyterLab still warming up.
    const order: KernelName[] = i % 2 === 0 ? ['skybook', 'tslab'] : ['tslab', 'skybook'];
    for (const name of order) times[name].push(await timeKernel(lab.base, lab.token, name, servers[i]!));
  } catch (e) {
    throw new Error(`${(e as Error).message}\nskybook lab's log:\n${lab.log()}`);
  } finally {
    await stopLab(lab.child);
    rmSync(dir, { recursive: true, force: true });
  }
  console.error(
    `run ${i + 1}/${REPEAT}: server ${servers[i]!.toFixed(2)} s; ` +
      (Object.keys(times) as KernelName[])
        .map(
          (k) =>
            `${k} kernel ${times[k][i]!.kernel.toFixed(2)} s, completion ${(1000 * times[k][i]!.completion).toFixed(0)} then ${(1000 * times[k][i]!.again).toFixed(0)} ms`,
        )
        .join('; '),
  );
}
loads.push(loadavg()[0]!.toFixed(1));

const m = (k: KernelName, f: keyof KernelTiming) => median(times[k].map((t) => t[f]));
console.log(
  `\nbench/lab: medians of ${REPEAT} runs; first completion ${IDLE_MS} ms after the 1+1 reply; load ${loads.join(' -> ')}; \`skybook lab\` answered /api/status after ${median(servers).toFixed(2)} s\n`,
);
console.log(
  '| kernel | session -> first `1+1` reply (s) | `skybook lab` start -> first reply (s) | first completion (ms) | second completion (ms) |',
);
console.log('|---|---:|---:|---:|---:|');
for (const k of Object.keys(KERNELS) as KernelName[])
  console.log(
    `| ${k} (\`${KERNELS[k].code}\`) | ${m(k, 'kernel').toFixed(2)} | ${m(k, 'usable').toFixed(2)} | ${(1000 * m(k, 'completion')).toFixed(0)} | ${(1000 * m(k, 'again')).toFixed(0)} |`,
  );
const ratio = (f: keyof KernelTiming) => (m('skybook', f) / m('tslab', f)).toFixed(2);
console.log(`| skybook/tslab | ${ratio('kernel')}x | ${ratio('usable')}x | ${ratio('completion')}x | ${ratio('again')}x |`);
