import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { KernelError, UsageError } from '../errors/index.js';

/** JupyterLab's default port, tried first when no `--port` is given. */
export const DEFAULT_LAB_PORT = 8888;

/** What {@link startJupyterLab} needs: the server program, where it serves, and how it is reached. */
export interface LabOptions {
  /** The `jupyter-lab` program of the project's environment (.venv/bin/jupyter-lab). */
  program: string;
  /** A free port on 127.0.0.1 ({@link choosePort}). */
  port: number;
  token: string;
  /** The folder JupyterLab's file browser opens (its root_dir). */
  dir: string;
  openBrowser: boolean;
  env: NodeJS.ProcessEnv;
  /** Where JupyterLab's own log lines go (the command's stderr). */
  log(text: string): void;
  /** How long the server may take to answer /api/status; default 120 s. */
  readyTimeoutMs?: number;
}

/** A JupyterLab server that answers: its URL (with the token) and how to stop it. */
export interface RunningLab {
  url: string;
  child: ChildProcess;
  /** Resolves with JupyterLab's exit code once it has exited, whoever stopped it. */
  exited: Promise<number | null>;
  /** SIGTERM (JupyterLab then shuts its kernels down), SIGKILL if it has not exited within `graceMs` (default 20 s). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * The port to serve on: `requested` exactly (a usage error when something already listens there), any free port for 0,
 * and for none JupyterLab's 8888 or, when that is taken, a free one. Checked by binding 127.0.0.1, as JupyterLab will.
 *
 * @example
 * await choosePort(undefined); // 8888, or e.g. 40213 when 8888 is in use
 */
export async function choosePort(requested: number | undefined): Promise<number> {
  if (requested !== undefined && requested !== 0) {
    if ((await bindable(requested)) === undefined)
      throw new UsageError(`port ${requested} is already in use on 127.0.0.1; give another --port, or --port 0 for any free one`, {
        option: 'port',
        value: String(requested),
      });
    return requested;
  }
  return (requested === undefined ? await bindable(DEFAULT_LAB_PORT) : undefined) ?? (await bindable(0))!;
}

/** Binds and releases 127.0.0.1:port; the port bound, or undefined when it is taken. */
function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      const bound = (s.address() as { port: number }).port;
      s.close(() => resolve(bound));
    });
  });
}

/**
 * Starts JupyterLab on 127.0.0.1 with a token and resolves once its REST API answers (GET /api/status polled until a
 * deadline), so the URL it returns is one a browser can open at once. JupyterLab runs in its own process group: a
 * Ctrl+C in the terminal reaches skybook, which stops it with SIGTERM, instead of JupyterLab's "Shutdown this server?"
 * prompt. Rejects (exit 1, with the end of JupyterLab's log) when it exits or does not answer in time.
 *
 * @example
 * const lab = await startJupyterLab({ program: '.venv/bin/jupyter-lab', port: 8888, token: 't', dir: '.', openBrowser: false, env: process.env, log: (t) => process.stderr.write(t) });
 * console.log(lab.url); // http://127.0.0.1:8888/lab?token=t
 */
export async function startJupyterLab(opts: LabOptions): Promise<RunningLab> {
  const args = [
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${opts.port}`,
    '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${opts.token}`,
    `--ServerApp.root_dir=${opts.dir}`,
    `--ServerApp.open_browser=${opts.openBrowser ? 'True' : 'False'}`,
    // JupyterLab refuses to run as root without it (containers, CI).
    ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : []),
  ];
  const child = spawn(opts.program, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const keep = (b: Buffer) => {
    const text = b.toString();
    tail = (tail + text).slice(-4000);
    opts.log(text);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      tail += `\n${e.message}`;
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  // If skybook itself exits without stopping it (an uncaught error), JupyterLab does not outlive it.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  void exited.then(() => process.off('exit', orphan));

  const stop = async (graceMs = 20_000): Promise<number | null> => {
    if (!gone) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const base = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  while (!(await answers(`${base}/api/status`, opts.token))) {
    if (gone) throw new KernelError(`JupyterLab exited (code ${await exited}) before it served ${base}:\n${tail.trim()}`);
    if (Date.now() > deadline) {
      await stop(5_000);
      throw new KernelError(`JupyterLab did not answer ${base}/api/status within ${opts.readyTimeoutMs ?? 120_000} ms:\n${tail.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `${base}/lab?token=${opts.token}`, child, exited, stop };
}

/** Whether GET url answers 200 with this token (a refused or hanging connection is "not yet"). */
async function answers(url: string, token: string): Promise<boolean> {
  try {
    const r = await fetch(url, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(5_000) });
    await r.body?.cancel();
    return r.ok;
  } catch {
    return false;
  }
}
