import type { Dependents } from './dependents-of.js';
import type { Lineage, LineageNode } from './lineage-of.js';
import { fileQName, localPart, provPrefixes } from './prov-names.js';
import type { HistoryRun, RecordedFile, RunHistory } from './run-history.js';

/** A file version in a provenance graph, with whether its bytes have changed since. */
export interface ProvFile extends RecordedFile {
  changed?: boolean;
}

/**
 * Files, runs and the relations between them, whatever question found them (a lineage, a file's dependents): what
 * {@link toProvJson} writes as W3C PROV.
 */
export interface ProvGraph {
  files: ProvFile[];
  runs: HistoryRun[];
  used: { run: HistoryRun; file: RecordedFile }[];
  generated: { file: RecordedFile; run: HistoryRun }[];
  derived: { generated: RecordedFile; used: RecordedFile; run: HistoryRun }[];
}

/** Records of one PROV kind by their ids. */
export type ProvRecords = Record<string, Record<string, unknown>>;

/** A PROV-JSON document (https://www.w3.org/submissions/prov-json/): prefixes, then records by kind and id. */
export interface ProvJson {
  prefix: Record<string, string>;
  entity: ProvRecords;
  activity: ProvRecords;
  agent: ProvRecords;
  used: ProvRecords;
  wasGeneratedBy: ProvRecords;
  wasDerivedFrom: ProvRecords;
  wasAssociatedWith: ProvRecords;
  actedOnBehalfOf: ProvRecords;
}

/**
 * A lineage as a provenance graph: every file version in it, every run that produced one, what each run used, what it
 * generated, and each output derived from each input of its run.
 *
 * @example
 * const graph = lineageGraph(await lineageOf(history, 'out/report.html'));
 */
export function lineageGraph(lineage: Lineage): ProvGraph {
  const g = emptyGraph();
  const runs = new Set<HistoryRun>();
  const visit = (node: LineageNode) => {
    g.files.push({ path: node.path, sha256: node.sha256, size: node.size, changed: node.changed });
    const run = node.producedBy;
    if (!run) return;
    const made = node.written ?? node;
    if (node.written) g.files.push({ path: made.path, sha256: made.sha256, size: made.size });
    g.generated.push({ file: made, run });
    if (!node.cycle) for (const input of node.inputs) g.derived.push({ generated: made, used: input, run });
    if (runs.has(run)) return;
    runs.add(run);
    g.runs.push(run);
    for (const input of node.inputs) {
      g.used.push({ run, file: input });
      visit(input);
    }
  };
  visit(lineage.root);
  return g;
}

/**
 * A file's dependents as a provenance graph: each dependent run, the chain files it used (as it recorded them), what
 * it generated, and each of those derived from each file it used.
 *
 * @example
 * const graph = dependentsGraph(dependentsOf(history, 'data/zall.fits'));
 */
export function dependentsGraph(d: Dependents): ProvGraph {
  const g = emptyGraph();
  for (const dep of d.runs) {
    g.runs.push(dep.run);
    const reads = dep.run.inputs.filter((f) => dep.reads.includes(f.path));
    for (const f of reads) {
      g.files.push(f);
      g.used.push({ run: dep.run, file: f });
    }
    for (const out of dep.run.outputs) {
      g.files.push(out);
      g.generated.push({ file: out, run: dep.run });
      for (const f of reads) g.derived.push({ generated: out, used: f, run: dep.run });
    }
  }
  return g;
}

function emptyGraph(): ProvGraph {
  return { files: [], runs: [], used: [], generated: [], derived: [] };
}

/**
 * A provenance graph as W3C PROV-JSON: files are entities (`prov:type skybook:File`, with `skybook:path`,
 * `skybook:sha256`, `skybook:size`, and `skybook:changedSince` when the bytes differ now), runs are activities (start
 * and end times, kind, name, status, host), the OS user is a `prov:Person` and skybook (with its Node.js) a
 * `prov:SoftwareAgent`, both associated with each run, the software acting on the user's behalf; then `used`,
 * `wasGeneratedBy` and `wasDerivedFrom`. Every id is a QName PROV-N can write (see `localPart`), and records come in a
 * stable order, so one graph always gives the same bytes.
 *
 * @example
 * writeFileSync('lineage.prov.json', JSON.stringify(toProvJson(lineageGraph(lineage), history), null, 1));
 */
export function toProvJson(graph: ProvGraph, history: Pick<RunHistory, 'projectDir' | 'display'>): ProvJson {
  const entityId = (f: RecordedFile) => {
    const name = history.display(f.path);
    return fileQName(name, f.sha256, name !== f.path);
  };
  const runId = (r: HistoryRun) => `run:${localPart(r.runId)}`;
  const userId = (r: HistoryRun) => `skybook:user/${localPart(r.user)}`;
  const softwareId = (r: HistoryRun) =>
    `skybook:software/skybook-${localPart(r.software.skybook ?? 'unknown')}_node-${localPart(r.software.node ?? 'unknown')}`;
  const qname = (q: string) => ({ $: q, type: 'prov:QUALIFIED_NAME' });

  const entity: ProvRecords = {};
  for (const f of graph.files) {
    const id = entityId(f);
    const prev = entity[id];
    const changed = Boolean(f.changed) || prev?.['skybook:changedSince'] === true;
    entity[id] = {
      'prov:type': qname('skybook:File'),
      'prov:label': history.display(f.path),
      'skybook:path': history.display(f.path),
      'skybook:sha256': f.sha256,
      'skybook:size': f.size,
      ...(changed ? { 'skybook:changedSince': true } : {}),
    };
  }
  const activity: ProvRecords = {};
  const agent: ProvRecords = {};
  const association: Record<string, unknown>[] = [];
  const delegation: Record<string, unknown>[] = [];
  for (const r of sortedRuns(graph.runs)) {
    activity[runId(r)] = {
      'prov:startTime': r.startedAt,
      ...(r.finishedAt ? { 'prov:endTime': r.finishedAt } : {}),
      'prov:type': qname(`skybook:${localPart(r.kind)}`),
      'prov:label': `${r.kind} ${r.name}`,
      'skybook:kind': r.kind,
      'skybook:name': r.name,
      'skybook:status': r.status,
      'skybook:host': r.host,
    };
    agent[userId(r)] = { 'prov:type': qname('prov:Person'), 'prov:label': r.user };
    agent[softwareId(r)] = {
      'prov:type': qname('prov:SoftwareAgent'),
      'prov:label': `skybook ${r.software.skybook ?? 'unknown'} (Node.js ${r.software.node ?? 'unknown'})`,
      'skybook:version': r.software.skybook ?? 'unknown',
      'skybook:node': r.software.node ?? 'unknown',
    };
    association.push({ 'prov:activity': runId(r), 'prov:agent': userId(r) });
    association.push({ 'prov:activity': runId(r), 'prov:agent': softwareId(r) });
    delegation.push({ 'prov:delegate': softwareId(r), 'prov:responsible': userId(r), 'prov:activity': runId(r) });
  }
  const used = graph.used.map((u) => ({ 'prov:activity': runId(u.run), 'prov:entity': entityId(u.file), 'prov:time': u.run.startedAt }));
  const generated = graph.generated.map((g) => ({
    'prov:entity': entityId(g.file),
    'prov:activity': runId(g.run),
    ...(g.run.finishedAt ? { 'prov:time': g.run.finishedAt } : {}),
  }));
  const derived = graph.derived.map((d) => ({
    'prov:generatedEntity': entityId(d.generated),
    'prov:usedEntity': entityId(d.used),
    'prov:activity': runId(d.run),
  }));
  return {
    prefix: provPrefixes(history.projectDir),
    entity: sortedKeys(entity),
    activity,
    agent: sortedKeys(agent),
    used: relations('u', used),
    wasGeneratedBy: relations('g', generated),
    wasDerivedFrom: relations('d', derived),
    wasAssociatedWith: relations('a', association),
    actedOnBehalfOf: relations('b', delegation),
  };
}

function sortedRuns(runs: readonly HistoryRun[]): HistoryRun[] {
  return [...new Set(runs)].sort((a, b) => (a.startedAt + a.runId < b.startedAt + b.runId ? -1 : 1));
}

function sortedKeys(o: ProvRecords): ProvRecords {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Relations with blank-node ids (`_:u1`, ...), each distinct relation once, in a stable order. */
function relations(tag: string, list: Record<string, unknown>[]): ProvRecords {
  const unique = [...new Map(list.map((r) => [JSON.stringify(r), r])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(unique.map(([, r], i) => [`_:${tag}${i + 1}`, r]));
}
