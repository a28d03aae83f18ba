import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Progress } from '../core/index.js';
import { NotebookError } from '../errors/index.js';
import type { ParamValue } from '../notebook/index.js';
import { CRATE_METADATA, readBundleCrate, type BundleFile } from './bundle-crate.js';
import { unzipBundle } from './bundle-zip.js';
import { manifestPathFor, toRoCrate, type RunRecord } from './manifest.js';
import { verifyRun, type VerifyReport } from './verify.js';

/** The outcome of `verifyBundle`: `verifyRun`'s report, with files named by their path in the bundle or the run. */
export interface BundleVerifyReport extends VerifyReport {
  bundle: string;
  /** Inputs that were listed, not copied, and are not at their recorded location on this machine. */
  unavailableInputs: string[];
}

/** Whether `path` is a bundle (a folder with ro-crate-metadata.json, or a .zip) rather than a manifest. @example isBundlePath('paper-bundle.zip') // true */
export function isBundlePath(path: string): boolean {
  if (/\.zip$/i.test(path)) return true;
  return existsSync(path) && statSync(path).isDirectory();
}

/** A parameter value with every absolute path inside the run's folders moved under `mount`. */
function mountValue(v: ParamValue, mount: string, inside: (p: string) => boolean): ParamValue {
  if (typeof v === 'string') return isAbsolute(v) && inside(resolve(v)) ? join(mount, v) : v;
  if (Array.isArray(v)) return v.map((x) => mountValue(x, mount, inside));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mountValue(x, mount, inside)]));
  return v;
}

/**
 * Re-runs a published bundle (`publishRun`) and compares it cell by cell, as `verifyRun` does a manifest, without
 * touching the bundle: a .zip is unpacked, and the run's layout is rebuilt in a temp working copy with every path the
 * run had under one mount folder (`/work/run/catalog.csv` at `MOUNT/work/run/catalog.csv`), the bundled inputs copied
 * in and absolute parameters naming the run's folders or files moved with them. The mount is left out of what is
 * compared (`NormaliseContext.mount`), so the same computation verifies identical on another machine. An input listed
 * but not copied is used from its recorded location when it is there. A bundled input whose bytes differ from the
 * crate's hash is reported as changed, and the re-run names the first cell whose outputs changed.
 *
 * @example
 * const rep = await verifyBundle('paper-bundle/');
 * if (!rep.identical) console.log(rep.changedInputs, rep.firstDiverging?.index);
 */
export async function verifyBundle(
  path: string,
  opts: { parameters?: Record<string, ParamValue>; progress?: Progress | false; signal?: AbortSignal } = {},
): Promise<BundleVerifyReport> {
  const work = mkdtempSync(join(tmpdir(), 'skybook-verify-bundle-'));
  try {
    let dir = resolve(path);
    if (/\.zip$/i.test(path)) {
      dir = join(work, 'bundle');
      await unzipBundle(path, dir);
    } else if (!existsSync(join(dir, CRATE_METADATA)))
      throw new NotebookError(`no ${CRATE_METADATA}: not a bundle (skybook publish writes one)`, { file: path });
    const { record, files, runCwd } = await readBundleCrate(dir);
    const mount = join(work, 'root');
    const at = (f: BundleFile) => join(mount, f.location);
    const one = (role: BundleFile['role']) => files.find((f) => f.role === role);
    const notebook = one('notebook');
    const executed = one('executed');
    if (!notebook?.bundlePath || !executed?.bundlePath)
      throw new NotebookError('the crate names no bundled notebook and executed notebook', { file: join(dir, CRATE_METADATA) });
    const unavailableInputs: string[] = [];
    for (const f of files) {
      if (f.role !== 'notebook' && f.role !== 'executed' && f.role !== 'input') continue;
      await mkdir(dirname(at(f)), { recursive: true });
      if (f.bundlePath) {
        const from = join(dir, f.bundlePath);
        if (!existsSync(from)) throw new NotebookError(`${f.bundlePath}: no such file in the bundle`, { file: join(dir, CRATE_METADATA) });
        await copyFile(from, at(f));
      } else if (existsSync(f.location)) await symlink(f.location, at(f));
      else unavailableInputs.push(f.location);
    }
    const outDir = dirname(executed.location);
    await mkdir(join(mount, runCwd), { recursive: true });
    await mkdir(join(mount, outDir), { recursive: true });
    // Absolute parameters that name the run's folders or files go where the working copy has them.
    const places = [runCwd, outDir];
    const named = new Set(files.map((f) => f.location));
    const inside = (p: string) => named.has(p) || places.some((d) => p === d || p.startsWith(d + '/'));
    const mounted = (d: { sha256: string; size: number }, f: BundleFile) => ({ path: at(f), sha256: d.sha256, size: d.size });
    const of = (role: BundleFile['role']) => files.filter((f) => f.role === role);
    const work_: RunRecord = {
      ...record,
      notebook: mounted(record.notebook, notebook),
      executed: mounted(record.executed, executed),
      inputs: of('input').map((f) => mounted(f, f)),
      outputs: of('output').map((f) => mounted(f, f)),
      parameters: Object.fromEntries(Object.entries(record.parameters).map(([k, v]) => [k, mountValue(v, mount, inside)])),
      cwd: join(mount, runCwd),
    };
    const manifest = manifestPathFor(at(executed));
    await writeFile(manifest, JSON.stringify(toRoCrate(work_, dirname(manifest)), null, 1) + '\n');
    const rep = await verifyRun(manifest, { ...opts, mount });
    // Name files as the reader of the bundle knows them: inputs by their path in it, outputs by their path in the run.
    const byMount = new Map(files.map((f) => [at(f), f]));
    const name = (p: string) => {
      const f = byMount.get(p);
      return f ? (f.bundlePath ?? f.location) : relative(mount, p);
    };
    const outName = (p: string) => byMount.get(p)?.runPath ?? relative(mount, p);
    return {
      ...rep,
      bundle: path,
      changedInputs: rep.changedInputs.map((c) => ({ ...c, path: name(c.path) })),
      changedOutputs: rep.changedOutputs.map((c) => ({ ...c, path: outName(c.path) })),
      unavailableInputs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
