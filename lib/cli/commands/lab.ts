import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot, skybookVersion } from '../../core/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { choosePort, startJupyterLab } from '../jupyter-lab.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { kernelSpec, writeKernelSpec } from './kernel-spec.js';

/**
 * `skybook lab [--port P] [--token T] [--no-browser] [--dir DIR] [--json]`: JupyterLab 4 from the project's Python
 * environment (.venv, made by `npm run setup:python`) with the skybook kernel, for a new user's first five minutes.
 * The kernelspec goes into a private prefix put first on JUPYTER_PATH for this server only (as `npm run pipelines`
 * does with runs/jupyter), so the user's own Jupyter set-up is never touched and a stale `skybook` kernelspec there
 * cannot shadow this clone's. SKYBOOK_VENV names another environment to take `bin/jupyter-lab` from. It serves on 127.0.0.1 with a token, prints the URL once the server answers, and stops
 * JupyterLab (and its kernels) on SIGINT or SIGTERM.
 *
 * @example
 * skybook lab --no-browser   # JupyterLab: http://127.0.0.1:8888/lab?token=3f9c…
 */
export const lab: Command = {
  name: 'lab',
  usage: 'skybook lab [--port P] [--token T] [--no-browser] [--dir DIR] [--json]',
  summary: 'starts JupyterLab (from .venv) with the skybook kernel on 127.0.0.1 and prints its URL; Ctrl+C stops it',
  flags: [
    { flag: '--port P', help: 'the port on 127.0.0.1 (default 8888, or a free one when 8888 is taken; 0: any free port)' },
    { flag: '--token T', help: 'the token the URL carries (default: a new random one); letters, digits, . _ ~ -' },
    { flag: '--no-browser', help: 'do not open a browser (print the URL only)' },
    { flag: '--dir DIR', help: "the folder JupyterLab's file browser opens (default: the current folder)" },
    { flag: '--json', help: 'print {"url", "port", "token", "dir", "kernelPath"} as one JSON line once it answers' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['port', 'token', 'dir'], switches: ['no-browser', 'json'] });
    const port = portOption(args.values.port);
    const token = args.values.token ?? randomBytes(24).toString('hex');
    if (!/^[A-Za-z0-9._~-]+$/.test(token))
      throw UsageError.invalid('token', token, 'letters, digits and . _ ~ - only; an empty token would switch authentication off');
    const dir = resolve(args.values.dir ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--dir ${args.values.dir}: no such folder`, { option: 'dir', value: args.values.dir ?? '.' });
    // SKYBOOK_VENV: another Python environment holding JupyterLab 4 (a user's own); by default this clone's .venv.
    const venv = process.env.SKYBOOK_VENV ? resolve(process.env.SKYBOOK_VENV) : join(packageRoot(), '.venv');
    const program = join(venv, 'bin', 'jupyter-lab');
    if (!existsSync(program))
      throw new UsageError(
        `JupyterLab is not installed: ${program} is missing; run npm run setup:python in ${packageRoot()} (it makes .venv with JupyterLab 4)`,
      );
    const spec = kernelSpec(skybookVersion());
    if (!existsSync(spec.argv[1]!))
      throw new UsageError(`the kernel entry ${spec.argv[1]} is missing; build skybook first (npm run build)`);

    const prefix = mkdtempSync(join(tmpdir(), 'skybook-lab-'));
    try {
      const kernelPath = join(prefix, 'share', 'jupyter');
      writeKernelSpec(kernelPath, spec);
      const env = { ...process.env, JUPYTER_PATH: [kernelPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter) };
      const server = await startJupyterLab({
        program,
        port: await choosePort(port),
        token,
        dir,
        openBrowser: !args.switches.has('no-browser'),
        env,
        log: (text) => io.stderr(text),
      });
      const stopped = new Promise<'signal'>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done('signal');
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      const served = Number(new URL(server.url).port);
      io.stdout(
        args.switches.has('json')
          ? toJson({ url: server.url, port: served, token, dir, kernelPath }) + '\n'
          : `JupyterLab: ${server.url}\nKernel "TypeScript (skybook)" is in its launcher. Ctrl+C stops JupyterLab.\n`,
      );
      const why = await Promise.race([stopped, server.exited]);
      if (why !== 'signal') return why === 0 ? 0 : 1; // shut down from JupyterLab's File menu, or it failed
      const code = await server.stop();
      io.stderr(`skybook lab: JupyterLab stopped${code === 0 ? '' : ` (exit ${code})`}\n`);
      return 0;
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  },
};

/** `--port P` as a number: 0-65535, or undefined when not given. */
function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw UsageError.invalid('port', text, 'a TCP port, 0 to 65535; 0: any free port');
  return port;
}
