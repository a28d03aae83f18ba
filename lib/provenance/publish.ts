import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { skybookVersion } from '../core/index.js';
import { NotebookError, UsageError } from '../errors/index.js';
import { exportHtml, readNotebook, writeFileAtomic } from '../notebook/index.js';
import { bundleCrate, CRATE_METADATA, type BundleFile } from './bundle-crate.js';
import { zipBundle } from './bundle-zip.js';
import { hashFile, type FileDigest } from './hash.js';
import { readManifest, type RunRecord } from './manifest.js';
import { runFooter } from './run-footer.js';

/** Inputs and outputs up to this size are copied into a bundle; larger ones are listed with their location and hash. */
export const DEFAULT_MAX_INPUT_SIZE = 50 * 1024 * 1024;

/** Options of `publishRun`. @example const o: PublishOptions = { out: 'paper-bundle', zip: true }; */
export interface PublishOptions {
  /** The bundle folder to write (replaced when it holds an earlier bundle). */
  out: string;
  /** Also write OUT.zip, byte for byte the same for the same run. */
  zip?: boolean;
  /** Files over this many bytes are listed, not copied (default 50 MiB). */
  maxInputSize?: number;
}

/** What `publishRun` wrote. */
export interface PublishReport {
  bundle: string;
  zip?: string;
  /** The run's files: copied ones with their path in the bundle, listed ones without. */
  files: BundleFile[];
  /** Every file in the bundle, relative to it, sorted. */
  contents: string[];
}

/** Every file under `dir`, relative, `/`-separated, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** `name` in `folder/`, or `folder/2/name`, `folder/3/name`... when an earlier file took it. */
function uniqueName(folder: string, name: string, taken: Set<string>): string {
  let p = `${folder}/${name}`;
  for (let k = 2; taken.has(p); k++) p = `${folder}/${k}/${name}`;
  taken.add(p);
  return p;
}

/** Checks that a file the bundle copies still has the bytes the run recorded; bad input naming it otherwise. */
async function unchanged(what: string, d: FileDigest, manifest: string): Promise<void> {
  if (!existsSync(d.path)) throw new NotebookError(`${what} ${d.path}: no such file`, { file: manifest });
  const now = await hashFile(d.path);
  if (now.sha256 !== d.sha256)
    throw new NotebookError(
      `${what} ${d.path} changed since the run (sha256 ${d.sha256.slice(0, 12)} recorded, ${now.sha256.slice(0, 12)} now); run it again before publishing`,
      { file: manifest },
    );
}

/** The run's files, each with its place in the bundle (or none: listed), checked against the manifest. */
async function bundleFiles(rec: RunRecord, manifest: string, limit: number): Promise<{ files: BundleFile[]; sources: string[] }> {
  const files: BundleFile[] = [];
  const taken = new Set<string>();
  const sources: string[] = [];
  const runPath = (p: string) => relative(rec.cwd, p).split('\\').join('/') || '.';
  const add = async (role: BundleFile['role'], d: FileDigest, what: string, place: (() => string) | undefined) => {
    const f: BundleFile = { role, runPath: runPath(d.path), location: d.path, sha256: d.sha256, size: d.size };
    if (place) {
      await unchanged(what, d, manifest);
      f.bundlePath = place();
      sources.push(d.path);
    }
    files.push(f);
  };
  const outDir = dirname(rec.executed.path);
  const written = new Set(rec.outputs.map((o) => o.path));
  await add('notebook', rec.notebook, "the run's notebook", () => uniqueName('notebook', basename(rec.notebook.path), taken));
  await add('executed', rec.executed, 'the executed notebook', () => basename(rec.executed.path));
  // An input the run itself rewrote (a DuckDB file named by a parameter) no longer holds the bytes it read: listed.
  for (const d of rec.inputs)
    await add(
      'input',
      d,
      'input',
      d.size <= limit && !written.has(d.path) ? () => uniqueName('inputs', basename(d.path), taken) : undefined,
    );
  for (const d of rec.outputs) {
    const rel = relative(outDir, d.path);
    const name = rel.startsWith('..') ? basename(d.path) : rel.split('\\').join('/');
    await add('output', d, 'output', d.size <= limit ? () => uniqueName('outputs', name, taken) : undefined);
  }
  if (rec.software.lockfile) await add('lockfile', rec.software.lockfile, 'the lockfile', () => 'environment/package-lock.json');
  return { files, sources };
}

/** Refuses an --out that is, or holds, a file the bundle is made from: replacing the bundle would destroy the run. */
function checkOut(out: string, manifest: string, sources: string[]): void {
  for (const p of [resolve(manifest), ...sources])
    if (p === out || p.startsWith(out + '/'))
      throw new UsageError(`--out ${out}: holds the run's own file ${p}; write the bundle somewhere else`, { option: 'out', value: out });
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out}: is a file, not a folder`, { option: 'out', value: out });
  if (readdirSync(out).length && !existsSync(join(out, CRATE_METADATA)))
    throw new UsageError(`--out ${out}: a folder that is not a bundle (no ${CRATE_METADATA}); will not replace it`, {
      option: 'out',
      value: out,
    });
}

/**
 * Publishes a recorded run as an RO-Crate 1.1 bundle a reviewer can open, re-run and verify (`verifyBundle`): the
 * executed notebook, its self-contained HTML page (cells numbered, outputs linked to their cell, input hashes listed),
 * the run's manifest, the source notebook, package-lock.json, an environment record, the inputs and outputs up to
 * `maxInputSize` (larger ones listed with their location, sha256 and size), and ro-crate-metadata.json describing it
 * all with relative paths. Every copied file is checked against the manifest first. No clock: the same run gives the
 * same bytes, and `zip` the same zip (the run's end time as every entry's time).
 *
 * @example
 * const rep = await publishRun('runs/a.provenance.json', { out: 'paper-bundle', zip: true }); rep.zip // '/work/paper-bundle.zip'
 */
export async function publishRun(manifest: string, o: PublishOptions): Promise<PublishReport> {
  const rec = await readManifest(manifest);
  const limit = o.maxInputSize ?? DEFAULT_MAX_INPUT_SIZE;
  const { files, sources } = await bundleFiles(rec, manifest, limit);
  const out = resolve(o.out).replace(/\/+$/, '');
  checkOut(out, manifest, sources);
  const stage = `${out}.publishing-${process.pid}`;
  await rm(stage, { recursive: true, force: true });
  try {
    for (const f of files)
      if (f.bundlePath) {
        await mkdir(dirname(join(stage, f.bundlePath)), { recursive: true });
        await copyFile(f.location, join(stage, f.bundlePath));
      }
    const manifestName = basename(manifest);
    await copyFile(manifest, join(stage, manifestName));
    const name = basename(rec.executed.path).replace(/\.ipynb$/i, '');
    const html = `${name}.html`;
    const inputs = files
      .filter((f) => f.role === 'input')
      .map((f) => ({
        name: f.runPath,
        sha256: f.sha256,
        size: f.size,
        href: f.bundlePath,
        location: f.bundlePath ? undefined : f.location,
      }));
    const page = exportHtml(await readNotebook(rec.executed.path), {
      title: name,
      cellLinks: true,
      footer: runFooter(rec, manifestName, inputs),
    });
    await writeFile(join(stage, html), page);
    const environment = 'environment/environment.json';
    await mkdir(join(stage, 'environment'), { recursive: true });
    const env = {
      skybook: rec.software.skybook,
      node: rec.software.node,
      kernel: rec.kernel,
      lockfile: rec.software.lockfile && { path: 'environment/package-lock.json', sha256: rec.software.lockfile.sha256 },
      // skybook run records no operating system: this is the machine that published the run (usually the one that ran it).
      os: { platform: platform(), release: release(), arch: arch() },
      publishedWith: { skybook: skybookVersion(), node: process.version },
    };
    await writeFile(join(stage, environment), JSON.stringify(env, null, 1) + '\n');
    const digest = async (p: string) => {
      const d = await hashFile(join(stage, p));
      return { path: p, sha256: d.sha256, size: d.size };
    };
    const crate = bundleCrate(
      rec,
      files,
      { html, manifest: await digest(manifestName), environment: await digest(environment), maxInputSize: limit },
      stage,
    );
    await writeFile(join(stage, CRATE_METADATA), JSON.stringify(crate, null, 1) + '\n');
    await rm(out, { recursive: true, force: true });
    await rename(stage, out);
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }
  const contents = filesUnder(out);
  let zip: string | undefined;
  if (o.zip) {
    zip = `${out}.zip`;
    await writeFileAtomic(zip, await zipBundle(out, contents, rec.endTime));
  }
  return { bundle: out, zip, files, contents };
}
