import { spawn } from 'node:child_process';
import { constants, existsSync, openSync, closeSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Progress } from '../core/index.js';
import { CloudyError } from '../errors/index.js';
import type { CloudyModel } from './grid.js';
import { parseOutText } from './out-file.js';

/**
 * Options of {@link runCloudyModels}.
 *
 * @example
 * const o: RunModelsOptions = { cloudy: '/opt/c17/source/cloudy.exe', outDir: 'runs/grid', jobs: 4, timeoutSeconds: 600 };
 */
export interface RunModelsOptions {
  /** The Cloudy executable (default: CLOUDY_EXE). */
  cloudy?: string;
  /** Cloudy's data folder, passed as CLOUDY_DATA_PATH (default: the environment's). */
  dataPath?: string;
  /** Where each model's folder goes: OUT/NAME/NAME.in, NAME.out, its save files, NAME.done.json. */
  outDir: string;
  /** Cloudy processes at once (default 1). */
  jobs?: number;
  /** A model still running after this many seconds is killed and reported (default none). */
  timeoutSeconds?: number;
  /** Run models that already have a good output for the same input too (default false: they are skipped). */
  force?: boolean;
  progress?: Progress;
}

/**
 * How one model went: `ok` (Cloudy printed "Cloudy exited OK" and exited 0), `skipped` (a good output for the same
 * input hash was already there; nothing was rewritten), or `failed` with the reason (timeout, a signal, a non-zero exit,
 * no "exited OK"); with the seconds it ran, the counts of Cloudy's warnings and cautions, and the output's path.
 *
 * @example
 * const r: ModelRun = (await runCloudyModels(models, opts)).find((x) => x.status === 'failed')!;
 * r.reason; // 'timed out after 600 s (killed)'
 */
export interface ModelRun {
  name: string;
  status: 'ok' | 'skipped' | 'failed';
  reason: string | null;
  seconds: number;
  exitCode: number | null;
  signal: string | null;
  warnings: number;
  cautions: number;
  out: string;
  sha256: string;
  params: Record<string, number>;
}

/** What a good run records beside its output (written last, by rename): the input hash the output belongs to. */
interface DoneRecord {
  sha256: string;
  seconds: number;
  warnings: number;
  cautions: number;
}

/**
 * Runs Cloudy on each model, `jobs` processes at a time: the model's deck is written to OUT/NAME/NAME.in and Cloudy
 * runs in that folder with the deck on its standard input and NAME.out as its standard output (the invocation every
 * Cloudy version reads; save files land beside). A model succeeds only when its output says "Cloudy exited OK" and
 * the process exits 0; a timeout (SIGTERM, then SIGKILL after 5 s), a signal, a non-zero exit or an output without
 * "exited OK" is a failed model with its reason, never an exception: the other models run on. A model whose
 * NAME.done.json records the same input hash, with its output still there, is skipped, so a re-run after failures or
 * a kill runs only what is missing and rewrites nothing already good. Results come back in model order. A missing or
 * non-executable Cloudy, or duplicate model names, are CloudyErrors before anything runs.
 *
 * @example
 * const runs = await runCloudyModels(gridModels(deck, axes), { cloudy: 'cloudy.exe', outDir: 'runs/grid', jobs: 2 });
 * runs.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.reason}`);
 */
export async function runCloudyModels(models: readonly CloudyModel[], options: RunModelsOptions): Promise<ModelRun[]> {
  const exe = options.cloudy ?? process.env.CLOUDY_EXE;
  if (!exe) throw new CloudyError('no Cloudy executable: give --cloudy PATH or set CLOUDY_EXE', { scope: 'runCloudyModels' });
  const exePath = await executable(exe);
  const names = new Set<string>();
  for (const m of models) {
    if (names.has(m.name)) throw new CloudyError(`two models are named ${m.name}`, { scope: 'runCloudyModels' });
    names.add(m.name);
  }
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) throw new CloudyError(`invalid jobs: ${jobs} (an integer >= 1)`, { scope: 'runCloudyModels' });
  const timeout = options.timeoutSeconds;
  if (timeout !== undefined && !(timeout > 0))
    throw new CloudyError(`invalid timeout: ${timeout} (seconds, > 0)`, { scope: 'runCloudyModels' });
  const env = { ...process.env, ...(options.dataPath ? { CLOUDY_DATA_PATH: options.dataPath } : {}) };
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const progress = options.progress;
  progress?.start({ label: `cloudy on ${jobs} process${jobs === 1 ? '' : 'es'}`, total: models.length, unit: 'models' });
  const results: ModelRun[] = new Array(models.length);
  let next = 0;
  const worker = async () => {
    while (next < models.length) {
      const k = next++;
      const m = models[k]!;
      results[k] = await runOne(m, exePath, outDir, env, timeout, options.force ?? false);
      progress?.advance(1, `${m.name} ${results[k]!.status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, models.length) }, worker));
  } finally {
    progress?.finish();
  }
  return results;
}

async function executable(exe: string): Promise<string> {
  const candidates = isAbsolute(exe) || exe.includes('/') ? [resolve(exe)] : (process.env.PATH ?? '').split(':').map((d) => join(d, exe));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      if ((await stat(c)).isFile()) return c;
    } catch {
      // not here
    }
  }
  throw new CloudyError(
    `Cloudy executable not found or not executable: ${exe}${isAbsolute(exe) || exe.includes('/') ? '' : ' (searched PATH)'}; give --cloudy PATH or set CLOUDY_EXE`,
    { scope: 'runCloudyModels' },
  );
}

async function runOne(
  m: CloudyModel,
  exe: string,
  outDir: string,
  env: NodeJS.ProcessEnv,
  timeout: number | undefined,
  force: boolean,
): Promise<ModelRun> {
  const dir = join(outDir, m.name);
  const inFile = join(dir, `${m.name}.in`);
  const outFile = join(dir, `${m.name}.out`);
  const doneFile = join(dir, `${m.name}.done.json`);
  const base = { name: m.name, out: outFile, sha256: m.sha256, params: m.params };
  if (!force) {
    const done = await readDone(doneFile);
    if (done && done.sha256 === m.sha256 && existsSync(outFile))
      return {
        ...base,
        status: 'skipped',
        reason: null,
        seconds: done.seconds,
        exitCode: 0,
        signal: null,
        warnings: done.warnings,
        cautions: done.cautions,
      };
  }
  await mkdir(dir, { recursive: true });
  await rmDone(doneFile);
  await writeFile(inFile, m.input);
  const t0 = performance.now();
  const { code, signal, timedOut, spawnError } = await runProcess(exe, inFile, outFile, dir, env, timeout);
  const seconds = (performance.now() - t0) / 1000;
  let text = '';
  try {
    text = await readFile(outFile, 'latin1');
  } catch {
    // no output at all: reported below
  }
  let warnings = 0;
  let cautions = 0;
  let exitedOk = false;
  try {
    const o = parseOutText(text, outFile);
    warnings = o.warnings.length;
    cautions = o.cautions.length;
    exitedOk = o.exitedOk;
  } catch {
    // not a Cloudy output (empty, or cut before the banner)
  }
  const failed = (reason: string): ModelRun => ({ ...base, status: 'failed', reason, seconds, exitCode: code, signal, warnings, cautions });
  if (spawnError) return failed(`could not start ${exe}: ${spawnError}`);
  if (timedOut) return failed(`timed out after ${timeout} s (killed)`);
  if (signal) return failed(`crashed: killed by ${signal}`);
  if (code !== 0) return failed(`exit code ${code}${exitedOk ? '' : ' without "Cloudy exited OK"'}`);
  if (!exitedOk) return failed(text === '' ? 'exit code 0 but no output' : 'exit code 0 but the output never says "Cloudy exited OK"');
  const done: DoneRecord = { sha256: m.sha256, seconds, warnings, cautions };
  await writeFile(`${doneFile}.tmp`, JSON.stringify(done, null, 1) + '\n');
  await rename(`${doneFile}.tmp`, doneFile);
  return { ...base, status: 'ok', reason: null, seconds, exitCode: 0, signal: null, warnings, cautions };
}

async function readDone(file: string): Promise<DoneRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DoneRecord;
  } catch {
    return undefined;
  }
}

async function rmDone(file: string): Promise<void> {
  // Gone before the model runs again, so a run killed half-way never leaves an old record beside a new, partial output.
  await rm(file, { force: true });
}

/** Cloudy with the deck on stdin and the output file as stdout, in `cwd`; killed at the timeout. */
function runProcess(
  exe: string,
  inFile: string,
  outFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeout: number | undefined,
): Promise<{ code: number | null; signal: string | null; timedOut: boolean; spawnError: string | null }> {
  const stdin = openSync(inFile, 'r');
  const stdout = openSync(outFile, 'w');
  return new Promise((done) => {
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    let hard: NodeJS.Timeout | undefined;
    const child = spawn(exe, [], { cwd, env, stdio: [stdin, stdout, 'pipe'] });
    child.stderr?.resume(); // Cloudy writes little there; never let the pipe fill
    if (timeout !== undefined)
      killer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      }, timeout * 1000);
    let finished = false;
    const finish = (r: { code: number | null; signal: string | null; spawnError: string | null }) => {
      if (finished) return; // a failed spawn may report both 'error' and 'exit'
      finished = true;
      clearTimeout(killer);
      clearTimeout(hard);
      closeSync(stdin);
      closeSync(stdout);
      done({ ...r, timedOut });
    };
    child.once('error', (e) => finish({ code: null, signal: null, spawnError: e.message }));
    child.once('exit', (code, signal) => finish({ code, signal, spawnError: null }));
  });
}
