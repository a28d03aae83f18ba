import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileProblem, NotebookError } from '../errors/index.js';
import type { ParamValue, RunStatus } from '../notebook/index.js';
import type { CellHash, FileDigest } from './hash.js';

/** Everything a manifest says about one run, with absolute paths (the JSON-LD form holds paths relative to it). */
export interface RunRecord {
  notebook: FileDigest;
  executed: FileDigest;
  kernel: { name: string; language: string; displayName?: string; implementation?: string; version?: string };
  parameters: Record<string, ParamValue>;
  redacted: string[];
  inputs: FileDigest[];
  outputs: FileDigest[];
  software: { skybook: string; node: string; lockfile?: FileDigest };
  cells: CellHash[];
  startTime: string;
  endTime: string;
  status: RunStatus;
  error?: string;
  failedCell?: number;
  cwd: string;
  timeout?: number;
  cacheKey: string;
}

const PROFILE = 'https://w3id.org/ro/wfrun/process/0.5';
const STATUS: Record<string, string> = { completed: 'http://schema.org/CompletedActionStatus' };
const FAILED = 'http://schema.org/FailedActionStatus';
type Node = Record<string, unknown> & { '@id': string };

/** The manifest's path for an executed notebook: OUT.ipynb -> OUT.provenance.json. @example manifestPathFor('runs/a.ipynb') // 'runs/a.provenance.json' */
export function manifestPathFor(outNotebook: string): string {
  return outNotebook.replace(/\.ipynb$/i, '') + '.provenance.json';
}

/**
 * The run as an RO-Crate 1.1 Process Run Crate: a CreateAction whose instrument is the notebook (with its hash and
 * the software it needs: skybook, Node.js, the kernel, the lockfile), object the input files and the parameters as
 * PropertyValues, result the executed notebook and the files the run wrote; per-cell hashes under `skybook:cells`.
 *
 * @example
 * writeFileSync(manifestPath, JSON.stringify(toRoCrate(record, dirname(manifestPath)), null, 1));
 */
export function toRoCrate(r: RunRecord, crateDir: string): Record<string, unknown> {
  const id = (p: string) => {
    const rel = relative(crateDir, p).split('\\').join('/');
    return rel === '' ? './' : rel;
  };
  const file = (d: FileDigest, extra: Record<string, unknown> = {}): Node => ({
    '@id': id(d.path),
    '@type': 'File',
    name: id(d.path).split('/').pop(),
    sha256: d.sha256,
    contentSize: d.size,
    ...extra,
  });
  const params: Node[] = Object.entries(r.parameters).map(([name, v]) => ({
    '@id': `#param-${name}`,
    '@type': 'PropertyValue',
    name,
    value: typeof v === 'object' && v !== null ? JSON.stringify(v) : v,
    'skybook:json': JSON.stringify(v),
    ...(r.redacted.includes(name) ? { 'skybook:redacted': true } : {}),
  }));
  const software: Node[] = [
    { '@id': '#skybook', '@type': 'SoftwareApplication', name: 'skybook', softwareVersion: r.software.skybook },
    { '@id': '#node', '@type': 'SoftwareApplication', name: 'Node.js', softwareVersion: r.software.node },
    {
      '@id': '#kernel',
      '@type': 'SoftwareApplication',
      name: r.kernel.name,
      alternateName: r.kernel.displayName,
      'skybook:language': r.kernel.language,
      'skybook:implementation': r.kernel.implementation,
      softwareVersion: r.kernel.version,
    },
  ];
  const lock = r.software.lockfile ? [file(r.software.lockfile, { name: 'package-lock.json', encodingFormat: 'application/json' })] : [];
  const action: Node = {
    '@id': '#run',
    '@type': 'CreateAction',
    name: `skybook run ${id(r.notebook.path)}`,
    instrument: { '@id': id(r.notebook.path) },
    object: [...r.inputs.map((d) => ({ '@id': id(d.path) })), ...params.map((p) => ({ '@id': p['@id'] }))],
    result: [{ '@id': id(r.executed.path) }, ...r.outputs.map((d) => ({ '@id': id(d.path) }))],
    startTime: r.startTime,
    endTime: r.endTime,
    actionStatus: STATUS[r.status] ?? FAILED,
    ...(r.error ? { error: r.error } : {}),
    'skybook:status': r.status,
    'skybook:failedCell': r.failedCell,
    'skybook:cwd': id(r.cwd),
    'skybook:timeout': r.timeout,
    'skybook:cacheKey': r.cacheKey,
    'skybook:cells': r.cells,
  };
  const graph: Node[] = [
    {
      '@id': 'ro-crate-metadata.json',
      '@type': 'CreativeWork',
      conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
      about: { '@id': './' },
    },
    {
      '@id': './',
      '@type': 'Dataset',
      name: `Run of ${id(r.notebook.path)}`,
      datePublished: r.endTime,
      conformsTo: { '@id': PROFILE },
      hasPart: action.result,
      mentions: { '@id': '#run' },
    },
    { '@id': PROFILE, '@type': 'CreativeWork', name: 'Process Run Crate', version: '0.5' },
    action,
    file(r.notebook, {
      '@type': ['File', 'SoftwareSourceCode'],
      encodingFormat: 'application/x-ipynb+json',
      programmingLanguage: r.kernel.language,
      softwareRequirements: [{ '@id': '#skybook' }, { '@id': '#node' }, { '@id': '#kernel' }, ...lock.map((l) => ({ '@id': l['@id'] }))],
    }),
    file(r.executed, { encodingFormat: 'application/x-ipynb+json', 'skybook:executedNotebook': true }),
    ...r.inputs.map((d) => file(d)),
    ...r.outputs.map((d) => file(d)),
    ...params,
    ...software,
    ...lock,
  ];
  return {
    '@context': [
      'https://w3id.org/ro/crate/1.1/context',
      { sha256: 'https://w3id.org/ro/terms/workflow-run#sha256', skybook: 'https://skybook.dev/terms#' },
    ],
    '@graph': graph,
  };
}

/**
 * Reads a manifest written by `toRoCrate` back into a RunRecord (paths made absolute against the crate's folder).
 *
 * @example
 * const r = await readManifest('runs/a.provenance.json'); r.cells.length
 */
export async function readManifest(path: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NotebookError(fileProblem(e), { file: path });
  }
  let json: { '@graph'?: Node[] };
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`not a readable provenance manifest (${(e as Error).message})`, { file: path });
  }
  const graph = new Map((json['@graph'] ?? []).map((n) => [n['@id'], n]));
  const action = graph.get('#run');
  if (!action) throw new NotebookError('no CreateAction #run in @graph: not a skybook provenance manifest', { file: path });
  const dir = dirname(path);
  const abs = (id: string) => (isAbsolute(id) ? id : resolve(dir, id));
  const digest = (ref: { '@id': string }): FileDigest => {
    const n = graph.get(ref['@id']) ?? ({} as Node);
    return { path: abs(ref['@id']), sha256: String(n.sha256 ?? ''), size: Number(n.contentSize ?? 0) };
  };
  const nbRef = action.instrument as { '@id': string };
  const objects = (action.object as { '@id': string }[]) ?? [];
  const results = (action.result as { '@id': string }[]) ?? [];
  const params: Record<string, ParamValue> = {};
  const redacted: string[] = [];
  const inputs: FileDigest[] = [];
  for (const o of objects) {
    const n = graph.get(o['@id']);
    if (n?.['@type'] === 'PropertyValue') {
      params[String(n.name)] = JSON.parse(String(n['skybook:json']));
      if (n['skybook:redacted']) redacted.push(String(n.name));
    } else inputs.push(digest(o));
  }
  const kernel = graph.get('#kernel') ?? ({} as Node);
  const nbNode = graph.get(nbRef['@id']) ?? ({} as Node);
  const lockRef = ((nbNode.softwareRequirements as { '@id': string }[]) ?? []).find((s) => !s['@id'].startsWith('#'));
  return {
    notebook: digest(nbRef),
    executed: digest(results[0]!),
    kernel: {
      name: String(kernel.name),
      language: String(kernel['skybook:language'] ?? ''),
      displayName: kernel.alternateName as string | undefined,
      implementation: kernel['skybook:implementation'] as string | undefined,
      version: kernel.softwareVersion as string | undefined,
    },
    parameters: params,
    redacted,
    inputs,
    outputs: results.slice(1).map(digest),
    software: {
      skybook: String(graph.get('#skybook')?.softwareVersion ?? ''),
      node: String(graph.get('#node')?.softwareVersion ?? ''),
      lockfile: lockRef ? digest(lockRef) : undefined,
    },
    cells: (action['skybook:cells'] as CellHash[]) ?? [],
    startTime: String(action.startTime),
    endTime: String(action.endTime),
    status: action['skybook:status'] as RunStatus,
    error: action.error as string | undefined,
    failedCell: action['skybook:failedCell'] as number | undefined,
    cwd: abs(String(action['skybook:cwd'] ?? '.')),
    timeout: action['skybook:timeout'] as number | undefined,
    cacheKey: String(action['skybook:cacheKey'] ?? ''),
  };
}
