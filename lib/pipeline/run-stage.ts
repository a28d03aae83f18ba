import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot } from '../core/index.js';
import { PipelineError } from '../errors/index.js';
import type { Pipeline, Stage } from './pipeline-file.js';

/** How a stage's process ended. */
export interface StageExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it printed (stdout and stderr), for the ledger's error and the summary. */
  tail: string;
  /** Its whole output, kept in `.skybook/logs/STAGE.log`. */
  log: string;
}

/** What a stage's process gets besides the stage itself. */
export interface StageRunOptions {
  env: NodeJS.ProcessEnv;
  /** Each line the stage prints, as it comes (the CLI shows them prefixed by the stage's name). */
  onLine?: (line: string) => void;
  /** Aborting kills the stage's whole process group (SIGTERM, then SIGKILL after 5 s). */
  signal?: AbortSignal;
}

/** The built CLI, which notebook stages run (`skybook run`, `skybook export`) and cmd stages find as `skybook`. */
function cliPath(): string {
  const cli = join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');
  if (!existsSync(cli)) throw new PipelineError(`skybook is not built: no ${cli} (npm run build)`);
  return cli;
}

/**
 * A folder holding a `skybook` that runs this skybook, put first on a stage's PATH, so a `cmd: skybook ...` stage runs
 * the same version as the runner whether or not skybook is installed globally.
 */
function skybookOnPath(p: Pipeline): string {
  const bin = join(p.dir, '.skybook', 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'skybook');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath())} "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

/**
 * Runs one stage as a child process in the pipeline's folder, in its own process group: a cmd stage through `sh -c`,
 * with its params as `SKYBOOK_PARAM_NAME` variables; a notebook stage as `skybook run NOTEBOOK -o OUT -f PARAMS --input
 * DEP... --json` (typed params through a JSON file; deps hashed into its provenance manifest), then `skybook export`
 * when it names an HTML page. Output goes to `.skybook/logs/STAGE.log` and to `onLine`.
 *
 * @example
 * const exit = await runStage(p, stage, { env: process.env }); exit.code === 0
 */
export async function runStage(p: Pipeline, stage: Stage, opts: StageRunOptions): Promise<StageExit> {
  const logs = join(p.dir, '.skybook', 'logs');
  mkdirSync(logs, { recursive: true });
  const logPath = join(logs, `${stage.name}.log`);
  const log = createWriteStream(logPath);
  const env: NodeJS.ProcessEnv = { ...opts.env, PATH: `${skybookOnPath(p)}${delimiter}${opts.env.PATH ?? ''}` };
  try {
    if (stage.kind === 'cmd') {
      for (const [k, v] of Object.entries(stage.params))
        env[`SKYBOOK_PARAM_${k.toUpperCase().replace(/\W/g, '_')}`] = typeof v === 'string' ? v : JSON.stringify(v);
      return await spawnLogged(['sh', '-c', stage.cmd!], p.dir, env, log, logPath, opts);
    }
    const paramsFile = join(p.dir, '.skybook', 'params', `${stage.name}.json`);
    mkdirSync(join(p.dir, '.skybook', 'params'), { recursive: true });
    writeFileSync(paramsFile, JSON.stringify(stage.params));
    const args = [cliPath(), 'run', stage.notebook!, '-o', stage.out!, '-f', paramsFile, '--json'];
    if (stage.kernel) args.push('--kernel', stage.kernel);
    if (stage.timeout) args.push('--timeout', String(stage.timeout));
    // Files go into the run's manifest as inputs (skybook run hashes files, not folders; the pipeline hashes both).
    for (const d of stage.deps) if (!isFolder(resolve(p.dir, d))) args.push('--input', d);
    const ran = await spawnLogged([process.execPath, ...args], p.dir, env, log, logPath, opts);
    if (ran.code !== 0 || !stage.html) return ran;
    const exported = await spawnLogged(
      [process.execPath, cliPath(), 'export', stage.out!, '--html', stage.html],
      p.dir,
      env,
      log,
      logPath,
      opts,
    );
    return { ...exported, tail: exported.code === 0 ? ran.tail : exported.tail };
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

function spawnLogged(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: NodeJS.WritableStream,
  logPath: string,
  opts: StageRunOptions,
): Promise<StageExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail: string[] = [];
    const take = (stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.on('data', (b: Buffer) => {
        log.write(b);
        const lines = (partial + b.toString()).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 20) tail.shift();
          opts.onLine?.(line);
        }
      });
      stream.on('end', () => {
        if (partial) {
          tail.push(partial);
          opts.onLine?.(partial);
        }
      });
    };
    take(child.stdout!);
    take(child.stderr!);
    let killer: NodeJS.Timeout | undefined;
    const abort = () => {
      signalGroup(child.pid, 'SIGTERM');
      killer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
      killer.unref();
    };
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (e) => reject(new PipelineError(`cannot start: ${e.message}`, { stage: argv.join(' ') })));
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', abort);
      if (killer) clearTimeout(killer);
      resolve({ code, signal, tail: tail.join('\n'), log: logPath });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function isFolder(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
