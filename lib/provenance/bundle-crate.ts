import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileProblem, NotebookError } from '../errors/index.js';
import { readManifest, toRoCrate, type RunRecord } from './manifest.js';

/** The metadata file at the root of every bundle (RO-Crate 1.1). */
export const CRATE_METADATA = 'ro-crate-metadata.json';

/**
 * One file of a published run: where the run had it and where the bundle keeps it.
 *
 * @example
 * const f: BundleFile = { role: 'input', runPath: 'catalog.csv', location: '/work/catalog.csv', sha256: 'ab..', size: 42, bundlePath: 'inputs/catalog.csv' };
 */
export interface BundleFile {
  role: 'notebook' | 'executed' | 'input' | 'output' | 'lockfile';
  /** The path relative to the run's working folder, as the run had it (`../data/zall.fits`). */
  runPath: string;
  /** The absolute path the run had it at: where a file that was not copied can be fetched from. */
  location: string;
  sha256: string;
  size: number;
  /** Its path inside the bundle; absent when it is only listed (over the size limit, or rewritten by the run). */
  bundlePath?: string;
}

/** The bundle's own files besides the run's: the page, the run's manifest as written, the environment record. */
export interface BundleExtras {
  html: string;
  manifest: { path: string; sha256: string; size: number };
  environment: { path: string; sha256: string; size: number };
  /** Why files were listed rather than copied, for the crate's readers. */
  maxInputSize: number;
}

type Node = Record<string, unknown> & { '@id': string };

/** Replaces `@id`s (and references to them) everywhere under `v`. */
function renameIds(v: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => renameIds(x, names));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === '@id' && typeof x === 'string' ? (names.get(x) ?? x) : renameIds(x, names)]),
    );
  return v;
}

/**
 * The bundle's ro-crate-metadata.json: the run's Process Run Crate (`toRoCrate`) with every path made a path inside the
 * bundle, files that were not copied named by their original location (`file:` URI) instead, and each file's path in
 * the run (`skybook:runPath`, relative to the run's folder `skybook:runCwd`) so `verifyBundle` can rebuild the layout;
 * plus the HTML page, the run's manifest as written and the environment record as parts of the root dataset.
 *
 * @example
 * writeFileSync(join(dir, CRATE_METADATA), JSON.stringify(bundleCrate(record, files, extras, dir), null, 1));
 */
export function bundleCrate(rec: RunRecord, files: readonly BundleFile[], extras: BundleExtras, dir: string): Record<string, unknown> {
  // The record with each path put where the bundle has the file (or, listed, where the run had it).
  const at = (f: BundleFile | undefined) => (f ? (f.bundlePath ? join(dir, f.bundlePath) : f.location) : '');
  const of = (role: BundleFile['role']) => files.filter((f) => f.role === role);
  const lock = of('lockfile')[0];
  const inBundle: RunRecord = {
    ...rec,
    notebook: { ...rec.notebook, path: at(of('notebook')[0]) },
    executed: { ...rec.executed, path: at(of('executed')[0]) },
    inputs: of('input').map((f) => ({ path: at(f), sha256: f.sha256, size: f.size })),
    outputs: of('output').map((f) => ({ path: at(f), sha256: f.sha256, size: f.size })),
    software: { ...rec.software, lockfile: lock && { path: at(lock), sha256: lock.sha256, size: lock.size } },
    cwd: dir,
  };
  const crate = toRoCrate(inBundle, dir) as { '@context': unknown; '@graph': Node[] };
  // toRoCrate names a listed file by its path relative to the bundle (`../../data/zall.fits`): its location instead.
  const names = new Map(
    files.filter((f) => !f.bundlePath).map((f) => [relative(dir, f.location).split('\\').join('/'), pathToFileURL(f.location).href]),
  );
  const graph = (renameIds(crate['@graph'], names) as Node[]).map((n) => {
    const f = files.find((x) => (x.bundlePath ?? pathToFileURL(x.location).href) === n['@id']);
    if (!f) return n;
    const listed = f.bundlePath
      ? {}
      : {
          'skybook:copied': false,
          description: `not copied (over ${extras.maxInputSize} bytes, or rewritten by the run): fetch it from its location`,
        };
    return { ...n, 'skybook:runPath': f.runPath, ...listed };
  });
  const run = graph.find((n) => n['@id'] === '#run')!;
  run['skybook:runCwd'] = rec.cwd;
  const executedId = of('executed')[0]!.bundlePath!;
  const own: Node[] = [
    {
      '@id': extras.html,
      '@type': 'File',
      name: 'the executed notebook as a self-contained web page',
      encodingFormat: 'text/html',
      about: { '@id': executedId },
    },
    {
      '@id': extras.manifest.path,
      '@type': 'File',
      name: 'the provenance manifest skybook run wrote',
      encodingFormat: 'application/ld+json',
      sha256: extras.manifest.sha256,
      contentSize: extras.manifest.size,
      about: { '@id': '#run' },
    },
    {
      '@id': extras.environment.path,
      '@type': 'File',
      name: 'environment record: Node.js, skybook, the kernel, the operating system',
      encodingFormat: 'application/json',
      sha256: extras.environment.sha256,
      contentSize: extras.environment.size,
    },
  ];
  const parts = [...files.flatMap((f) => (f.bundlePath ? [f.bundlePath] : [])), ...own.map((n) => n['@id'])].sort();
  const root = graph.find((n) => n['@id'] === './')!;
  root.hasPart = parts.map((p) => ({ '@id': p }));
  root.name = `Published run of ${basename(of('notebook')[0]?.location ?? 'a notebook')}`;
  return { '@context': crate['@context'], '@graph': [...graph, ...own] };
}

/** A bundle read back: the run (paths of copied files inside the bundle), its files, and the run's working folder. */
export interface ReadBundle {
  record: RunRecord;
  files: BundleFile[];
  runCwd: string;
}

/**
 * Reads a bundle folder's ro-crate-metadata.json back: the run as `readManifest` reads a manifest, and each of its
 * files with its path in the run and in the bundle. Bad input (exit 2) naming the file when it is not a bundle.
 *
 * @example
 * const b = await readBundleCrate('paper-bundle/'); b.files.filter((f) => f.role === 'input')
 */
export async function readBundleCrate(dir: string): Promise<ReadBundle> {
  const path = join(dir, CRATE_METADATA);
  let json: { '@graph'?: Node[] };
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const problem = e instanceof SyntaxError ? `not a readable RO-Crate (${e.message})` : fileProblem(e);
    throw new NotebookError(problem, { file: path });
  }
  const graph = new Map((json['@graph'] ?? []).map((n) => [n['@id'], n]));
  const run = graph.get('#run');
  const runCwd = run?.['skybook:runCwd'];
  if (typeof runCwd !== 'string' || !isAbsolute(runCwd))
    throw new NotebookError('no #run with skybook:runCwd: not a bundle skybook publish wrote', { file: path });
  const record = await readManifest(path);
  const file = (role: BundleFile['role'], ref: { '@id': string } | undefined): BundleFile[] => {
    const n = ref && graph.get(ref['@id']);
    if (!n) return [];
    const runPath = String(n['skybook:runPath'] ?? '');
    const copied = n['skybook:copied'] !== false;
    return [
      {
        role,
        runPath,
        location: resolve(runCwd, runPath),
        sha256: String(n.sha256 ?? ''),
        size: Number(n.contentSize ?? 0),
        ...(copied ? { bundlePath: n['@id'] } : {}),
      },
    ];
  };
  const results = (run!.result as { '@id': string }[]) ?? [];
  const objects = ((run!.object as { '@id': string }[]) ?? []).filter((o) => graph.get(o['@id'])?.['@type'] !== 'PropertyValue');
  const nb = run!.instrument as { '@id': string };
  const lock = ((graph.get(nb['@id'])?.softwareRequirements as { '@id': string }[]) ?? []).find((s) => !s['@id'].startsWith('#'));
  const files = [
    ...file('notebook', nb),
    ...file('executed', results[0]),
    ...objects.flatMap((o) => file('input', o)),
    ...results.slice(1).flatMap((o) => file('output', o)),
    ...file('lockfile', lock),
  ];
  return { record, files, runCwd };
}
