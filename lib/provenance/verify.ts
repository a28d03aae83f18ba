import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { progressOf, type Progress } from '../core/index.js';
import { NotebookError } from '../errors/index.js';
import { readNotebook, withoutBanner, type Notebook, type Output, type ParamValue } from '../notebook/index.js';
import { lineDiff } from './diff.js';
import { hashFile } from './hash.js';
import { readManifest } from './manifest.js';
import { normaliseOutputs, type NormaliseContext } from './normalise.js';
import { recordRun } from './record-run.js';

/** The first cell whose hashes differ between the recorded run and the re-run. */
export interface Divergence {
  index: number;
  id?: string;
  /** `source`: the cell's code changed; `outputs`: same code, different normalised outputs; `missing`: a cell count change. */
  what: 'source' | 'outputs' | 'missing';
  diff: string;
}

/** The outcome of `verifyRun`. */
export interface VerifyReport {
  identical: boolean;
  cells: number;
  status: { recorded: string; rerun: string };
  firstDiverging?: Divergence;
  changedInputs: { path: string; recorded: string; now: string }[];
  changedOutputs: { path: string; recorded: string; now: string }[];
  notebookChanged: boolean;
}

async function currentHash(path: string): Promise<string> {
  return existsSync(path) ? (await hashFile(path)).sha256 : '(missing)';
}

function cellOutputs(nb: Notebook | undefined, i: number, ctx: NormaliseContext): string {
  const cell = nb && withoutBanner(nb).cells[i];
  if (!cell) return '(no cell)';
  return JSON.stringify(normaliseOutputs((cell.outputs ?? []) as Output[], ctx), null, 1);
}

/**
 * Re-runs a recorded run with the same notebook, parameters, kernel, cwd and timeout (the executed notebook goes to
 * a temp folder; the output folder keeps its place so paths normalise the same), then compares cell by cell and
 * the files written. Reports identical, or the first diverging cell with a diff of its normalised outputs.
 *
 * @example
 * const rep = await verifyRun('runs/a.provenance.json');
 * if (!rep.identical) console.log(rep.firstDiverging?.diff);
 */
export async function verifyRun(
  manifestPath: string,
  opts: {
    parameters?: Record<string, ParamValue>;
    progress?: Progress | false;
    signal?: AbortSignal;
    /** The folder the run's paths were rebuilt under (a bundle's working copy), left out of what is compared. */
    mount?: string;
  } = {},
): Promise<VerifyReport> {
  const rec = await readManifest(manifestPath);
  const missing = rec.redacted.filter((n) => !(opts.parameters && n in opts.parameters));
  if (missing.length)
    throw new NotebookError(`parameters ${missing.join(', ')} were redacted in the manifest; pass them with -p NAME VALUE`, {
      file: manifestPath,
    });
  const outDir = dirname(rec.executed.path);
  const changedInputs = [];
  // one display for the whole verification: the recorded inputs hashed, then the cells re-run
  const progress = progressOf(opts.progress);
  const name = basename(rec.notebook.path);
  if (rec.inputs.length) {
    progress.start({ label: `verify ${name}: hash inputs`, total: rec.inputs.length, unit: 'files' });
    try {
      for (const i of rec.inputs) {
        progress.advance(0, basename(i.path));
        const now = await currentHash(i.path);
        if (now !== i.sha256) changedInputs.push({ path: i.path, recorded: i.sha256, now });
        progress.advance(1);
      }
    } finally {
      progress.finish();
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'skybook-verify-'));
  try {
    const rerun = await recordRun({
      notebook: rec.notebook.path,
      out: join(tmp, basename(rec.executed.path)),
      parameters: { ...rec.parameters, ...opts.parameters },
      inputs: rec.inputs.map((i) => i.path).filter(existsSync),
      kernel: rec.kernel.name,
      cwd: rec.cwd,
      timeout: rec.timeout,
      outDir,
      mount: opts.mount,
      manifest: false,
      progress,
      label: `verify ${name}`,
      signal: opts.signal,
    });
    const now = rerun.record!;
    const ctx = { cwd: rec.cwd, outDir, home: homedir(), mount: opts.mount };
    let firstDiverging: Divergence | undefined;
    for (let i = 0; i < Math.max(rec.cells.length, now.cells.length) && !firstDiverging; i++) {
      const a = rec.cells[i];
      const b = now.cells[i];
      if (!a || !b)
        firstDiverging = {
          index: i,
          id: (a ?? b)?.id,
          what: 'missing',
          diff: a ? '- (cell missing from the re-run)' : '+ (cell not in the recorded run)',
        };
      else if (a.source !== b.source) firstDiverging = { index: i, id: a.id, what: 'source', diff: 'the cell source changed' };
      else if (a.outputs !== b.outputs) {
        const old = existsSync(rec.executed.path) ? await readNotebook(rec.executed.path) : undefined;
        firstDiverging = {
          index: i,
          id: a.id,
          what: 'outputs',
          diff: lineDiff(cellOutputs(old, i, ctx), cellOutputs(rerun.run?.notebook, i, ctx)),
        };
      }
    }
    const nowOut = new Map(now.outputs.map((d) => [d.path, d.sha256]));
    const changedOutputs = [];
    for (const d of rec.outputs) {
      const h = nowOut.get(d.path) ?? (await currentHash(d.path));
      if (h !== d.sha256) changedOutputs.push({ path: d.path, recorded: d.sha256, now: h });
    }
    return {
      identical: !firstDiverging && changedOutputs.length === 0 && now.status === rec.status,
      cells: now.cells.length,
      status: { recorded: rec.status, rerun: now.status },
      firstDiverging,
      changedInputs,
      changedOutputs,
      notebookChanged: now.notebook.sha256 !== rec.notebook.sha256,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
