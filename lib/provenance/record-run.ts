import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { Redactor, type Progress } from '../core/index.js';
import { KernelError, NotebookError } from '../errors/index.js';
import {
  checkParameters,
  findKernelSpec,
  injectParameters,
  notebookLanguage,
  notebookParameters,
  readNotebook,
  redactNotebook,
  runNotebook,
  stringifyNotebook,
  writeFileAtomic,
  writeNotebook,
  type KernelSpec,
  type Notebook,
  type Output,
  type ParamDecl,
  type ParamValue,
  type RunResult,
  type RunStatus,
} from '../notebook/index.js';
import { cacheKey, cacheLookup } from './cache.js';
import { filesNamedBy, snapshotDir, writtenFiles } from './files.js';
import { cellHashes, hashFile, type FileDigest } from './hash.js';
import { manifestPathFor, readManifest, toRoCrate, type RunRecord } from './manifest.js';
import { softwareInfo } from './software.js';

/** A notebook ready to run: its kernel, language and declared parameters. */
export interface LoadedNotebook {
  path: string;
  notebook: Notebook;
  spec: KernelSpec;
  language: string;
  parameters: ParamDecl[];
}

/**
 * Reads a notebook and finds its kernel (`kernel` overrides the notebook's kernelspec) and parameters.
 *
 * @example
 * const nb = await loadNotebookForRun('a.ipynb'); nb.parameters.map((p) => p.name)
 */
export async function loadNotebookForRun(path: string, kernel?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedNotebook> {
  const notebook = await readNotebook(path);
  const name = kernel ?? notebook.metadata.kernelspec?.name;
  if (!name) throw new NotebookError('the notebook names no kernel (metadata.kernelspec); pass --kernel NAME', { file: path });
  const spec = findKernelSpec(name, env);
  const language = spec.language || notebookLanguage(notebook);
  return { path, notebook, spec, language, parameters: notebookParameters(notebook, language) };
}

/** Options of `recordRun`; times in seconds, paths relative to the process's cwd. */
export interface RecordRunOptions {
  notebook: string;
  out: string;
  parameters?: Record<string, ParamValue>;
  inputs?: string[];
  kernel?: string;
  cwd?: string;
  timeout?: number;
  startupTimeout?: number;
  cache?: boolean;
  prepareOnly?: boolean;
  /** The run's output folder (default: the folder of `out`): scanned for written files and replaced by `{out}`. */
  outDir?: string;
  /** A folder the run's recorded paths were rebuilt under (`verifyBundle`), left out of the cell hashes (`NormaliseContext.mount`). */
  mount?: string;
  /** Write OUT.provenance.json (default true). */
  manifest?: boolean;
  signal?: AbortSignal;
  /** Aborting stops the run now (status `terminated`); the partial notebook and the manifest are still written. */
  terminate?: AbortSignal;
  /** The most resident memory, in bytes, the kernel may take (`runNotebook`'s `memoryLimit`). */
  memoryLimit?: number;
  env?: NodeJS.ProcessEnv;
  /** Cells run; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
  /** What the progress display calls the run (default `run NOTEBOOK-NAME`). */
  label?: string;
  onOutput?(cell: number, output: Output): void;
}

/** What `recordRun` did. */
export interface RecordedRun {
  status: RunStatus | 'cached' | 'prepared';
  out: string;
  manifestPath: string;
  record?: RunRecord;
  run?: RunResult;
}

/** The files the run recorded in this manifest wrote, if there is one. */
async function previousOutputs(manifestPath: string): Promise<Set<string>> {
  if (!existsSync(manifestPath)) return new Set();
  try {
    return new Set((await readManifest(manifestPath)).outputs.map((f) => f.path));
  } catch {
    return new Set(); // not a manifest we can read: cacheLookup misses on it too
  }
}

async function digestInputs(paths: string[], file: string): Promise<FileDigest[]> {
  const out: FileDigest[] = [];
  for (const p of [...new Set(paths)].sort()) {
    if (!existsSync(p)) throw new NotebookError(`input ${p}: no such file`, { file });
    out.push(await hashFile(p));
  }
  return out;
}

/**
 * Runs a notebook with provenance: checks and injects the parameters, hashes the notebook, inputs (declared ones
 * and parameters naming files) and the lockfile, skips the run on a cache hit (`cache`), executes (saving the
 * partial notebook after every cell), hashes every cell's normalised outputs and the files written under the output
 * folder, and writes OUT.ipynb and OUT.provenance.json. Secrets (lib/core's one rule) reach the kernel and nothing
 * kept: the notebook is saved with its injected cell written from redacted values and its outputs redacted, the cell
 * hashes are of that notebook (so a re-run given the same secrets verifies identical), `onOutput` sees redacted outputs.
 *
 * @example
 * const r = await recordRun({ notebook: 'a.ipynb', out: 'runs/a.ipynb', parameters: { zmax: 2 } });
 * r.status // 'completed'
 */
export async function recordRun(o: RecordRunOptions): Promise<RecordedRun> {
  const env = o.env ?? process.env;
  const loaded = await loadNotebookForRun(o.notebook, o.kernel, env);
  const params = checkParameters(o.parameters ?? {}, loaded.parameters, o.notebook);
  const inject = (values: Record<string, ParamValue>) => injectParameters(loaded.notebook, values, loaded.language, o.notebook);
  const nb = Object.keys(params).length ? inject(params) : loaded.notebook;
  // Secrets, by lib/core's one rule: the kernel runs the real injected cell; everything kept (the notebook, its cell
  // hashes, the manifest, the lines passed to onOutput) holds the cell re-written from redacted values instead.
  const redactor = new Redactor({ values: params, env });
  const redaction = redactor.named(params);
  const injected = Object.keys(params).length
    ? inject(redaction.values).cells.find((c) => c.metadata.tags?.includes('injected-parameters'))?.source
    : undefined;
  const saved = (n: Notebook) => redactNotebook(n, { redactor, injected });
  const out = resolve(o.out);
  const outDir = resolve(o.outDir ?? dirname(out));
  const manifestPath = manifestPathFor(out);
  const cwd = resolve(o.cwd ?? process.cwd());
  if (o.prepareOnly) {
    await writeNotebook(out, saved(nb));
    return { status: 'prepared', out, manifestPath };
  }
  const software = await softwareInfo();
  const notebook = await hashFile(resolve(o.notebook));
  // a secret-named parameter naming a file is not recorded as an input (its path would be in the manifest)
  const named = filesNamedBy(redaction.values, cwd);
  const inputs = await digestInputs([...(o.inputs ?? []).map((p) => resolve(p)), ...named], o.notebook);
  // A file the run itself writes (a DuckDB file named by a parameter) is its output, not an input of its cache key:
  // it does not exist before the first run and does after, which would make every second run a miss. The key leaves
  // out what the run wrote; the lookup leaves out what the previous run wrote (checked unchanged as an output).
  const keyWithout = (written: ReadonlySet<string>) =>
    cacheKey({
      notebook: notebook.sha256,
      // The redacted values: the key is written into the manifest, and a hash over a short password can be searched
      // offline. A changed secret (a rotated password) is not a changed analysis, so it does not make a run stale.
      parameters: redaction.values,
      inputs: inputs.filter((i) => !written.has(i.path)),
      lockfile: software.lockfile?.sha256,
      kernel: loaded.spec.name,
      skybook: software.skybook,
    });
  if (o.cache) {
    const hit = await cacheLookup(manifestPath, keyWithout(await previousOutputs(manifestPath)));
    if (hit) return { status: 'cached', out, manifestPath, record: hit };
  }
  const before = snapshotDir(outDir);
  let run: RunResult;
  try {
    run = await runNotebook(nb, {
      kernel: loaded.spec,
      cwd,
      env,
      timeout: o.timeout,
      startupTimeout: o.startupTimeout,
      signal: o.signal,
      terminate: o.terminate,
      memoryLimit: o.memoryLimit,
      progress: o.progress,
      label: o.label ?? `run ${basename(o.notebook)}`,
      onOutput: o.onOutput && ((cell, output) => o.onOutput!(cell, redactor.value(output, 'text'))),
      onCellDone: (partial) => writeNotebook(out, saved(partial)),
    });
  } catch (e) {
    if (e instanceof KernelError) await writeNotebook(out, saved(nb));
    throw e;
  }
  run = { ...run, notebook: saved(run.notebook) };
  await writeFileAtomic(out, stringifyNotebook(run.notebook));
  const written = writtenFiles(before, snapshotDir(outDir)).filter((p) => p !== out && p !== manifestPath);
  const info = run.kernelInfo as { implementation?: string; implementation_version?: string };
  const record: RunRecord = {
    notebook,
    executed: await hashFile(out),
    kernel: {
      name: loaded.spec.name,
      language: run.language || loaded.language,
      displayName: loaded.spec.display_name,
      implementation: info.implementation,
      version: info.implementation_version,
    },
    parameters: redaction.values,
    redacted: redaction.redacted,
    inputs,
    outputs: await Promise.all(written.map(hashFile)),
    software,
    cells: cellHashes(run.notebook, { cwd, outDir, home: homedir(), mount: o.mount }),
    startTime: run.startTime.toISOString(),
    endTime: run.endTime.toISOString(),
    status: run.status,
    error: run.error ? redactor.text(run.error.message) : undefined,
    failedCell: run.failedCell,
    cwd,
    timeout: o.timeout,
    cacheKey: keyWithout(new Set(written)),
  };
  if (o.manifest !== false) await writeFileAtomic(manifestPath, JSON.stringify(toRoCrate(record, dirname(manifestPath)), null, 1) + '\n');
  return { status: run.status, out, manifestPath, record, run };
}
