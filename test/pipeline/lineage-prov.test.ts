/**
 * skybook lineage's W3C PROV-JSON export read back by `prov` (the PROV reference library in Python, pinned in
 * python/requirements.txt), with every prov warning an error: the records prov finds are the ones we wrote.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependentsGraph, dependentsOf, lineageGraph, lineageOf, type ProvJson, RunHistory, toProvJson } from '../../lib/pipeline/index.js';
import { RunLedger } from '../../lib/store/index.js';
import { ROOT } from '../helpers/cli.js';
import { lineageProject, type LineageProject } from './lineage-project.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const HAVE_PROV = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import prov'], { encoding: 'utf8' }).status === 0;
if (!HAVE_PROV) console.warn(`skipped the PROV-JSON checks: ${PYTHON} cannot import prov; run npm run setup:python`);

/** Reads a PROV-JSON file with prov (warnings as errors) and prints its records, and its PROV-N, as JSON. */
const READ_BACK = `
import json, sys, warnings
warnings.simplefilter('error')
import prov
from prov.constants import PROV_N_MAP
from prov.model import ProvDocument, ProvRelation

def value(v):
    return v.isoformat() if hasattr(v, 'isoformat') else v if isinstance(v, (bool, int, float)) else str(v)

doc = prov.read(sys.argv[1], format='json')
out = {'elements': {}, 'relations': [], 'namespaces': {n.prefix: n.uri for n in doc.get_registered_namespaces()}}
for r in doc.get_records():
    kind = PROV_N_MAP[r.get_type()]
    if isinstance(r, ProvRelation):
        out['relations'].append([kind] + [None if v is None else value(v) for _, v in r.formal_attributes])
    else:
        out['elements'][str(r.identifier)] = {'kind': kind, **{str(k): value(v) for k, v in r.attributes}}
out['provn'] = doc.get_provn()
again = ProvDocument.deserialize(content=doc.serialize(), format='json')
out['roundTrip'] = again == doc
print(json.dumps(out))
`;

interface ReadBack {
  elements: Record<string, Record<string, unknown>>;
  relations: (string | null)[][];
  namespaces: Record<string, string>;
  provn: string;
  roundTrip: boolean;
}

function readBack(path: string): ReadBack {
  const r = spawnSync(PYTHON, ['-c', READ_BACK, path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`prov refused ${path}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as ReadBack;
}

/** Our document's relations as prov lists them: PROV-N name, then the formal arguments in PROV-N order. */
function ourRelations(doc: ProvJson): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const r of Object.values(doc.used)) rows.push(['used', r['prov:activity'] as string, r['prov:entity'] as string, 'time']);
  for (const r of Object.values(doc.wasGeneratedBy))
    rows.push(['wasGeneratedBy', r['prov:entity'] as string, r['prov:activity'] as string, 'time']);
  for (const r of Object.values(doc.wasDerivedFrom))
    rows.push([
      'wasDerivedFrom',
      r['prov:generatedEntity'] as string,
      r['prov:usedEntity'] as string,
      r['prov:activity'] as string,
      null,
      null,
    ]);
  for (const r of Object.values(doc.wasAssociatedWith))
    rows.push(['wasAssociatedWith', r['prov:activity'] as string, r['prov:agent'] as string, null]);
  for (const r of Object.values(doc.actedOnBehalfOf))
    rows.push(['actedOnBehalfOf', r['prov:delegate'] as string, r['prov:responsible'] as string, r['prov:activity'] as string]);
  return rows;
}

const key = (r: (string | null)[]) => JSON.stringify(r);

let p: LineageProject;
let history: RunHistory;
beforeAll(async () => {
  p = await lineageProject();
  history = await RunHistory.read(new RunLedger(p.ledgerUrl));
});
afterAll(() => p?.cleanup());

describe.skipIf(!HAVE_PROV)('PROV-JSON export, read by prov', () => {
  it("the report's lineage: every entity, activity, agent and relation prov reads is ours, and only those", async () => {
    const l = await lineageOf(history, 'out/report.html');
    const doc = toProvJson(lineageGraph(l), history);
    const path = join(p.dir, 'report.prov.json');
    writeFileSync(path, JSON.stringify(doc, null, 1));
    const back = readBack(path);

    expect(back.roundTrip).toBe(true);
    expect(back.namespaces.proj).toBe(`file://${p.dir}/`);
    const ours = { ...doc.entity, ...doc.activity, ...doc.agent };
    expect(Object.keys(back.elements).sort()).toEqual(Object.keys(ours).sort());
    // six file versions (report.html, the notebook, b, a v1, s1 v1, s2), three runs, one user, one software agent
    expect(Object.keys(doc.entity)).toHaveLength(6);
    expect(Object.keys(doc.activity)).toEqual([`run:${p.runs.A1}`, `run:${p.runs.B1}`, `run:${p.runs.report}`]);
    for (const [id, e] of Object.entries(doc.entity)) {
      const b = back.elements[id]!;
      expect(b.kind).toBe('entity');
      expect(b['skybook:sha256']).toBe(e['skybook:sha256']);
      expect(b['skybook:size']).toBe(e['skybook:size']);
      expect(b['prov:type']).toBe('skybook:File');
      expect(b['skybook:changedSince'] ?? false).toBe(e['skybook:changedSince'] ?? false);
    }
    const a1 = `proj:out/a.parquet@${p.recorded['out/a.parquet@1']!.sha256.slice(0, 12)}`;
    expect(back.elements[a1]?.['skybook:changedSince']).toBe(true);
    const s2 = `proj:data/s2.fits@${p.recorded['data/s2.fits@1']!.sha256.slice(0, 12)}`;
    expect(back.elements[s2]?.['skybook:changedSince']).toBeUndefined();
    for (const [id, act] of Object.entries(doc.activity)) {
      const b = back.elements[id]!;
      expect(b.kind).toBe('activity');
      expect(Date.parse(String(b['prov:startTime']))).toBe(Date.parse(String(act['prov:startTime'])));
      expect(Date.parse(String(b['prov:endTime']))).toBe(Date.parse(String(act['prov:endTime'])));
      expect(b['skybook:status']).toBe('completed');
    }
    const agents = Object.entries(back.elements).filter(([, v]) => v.kind === 'agent');
    expect(agents.map(([, v]) => v['prov:type']).sort()).toEqual(['prov:Person', 'prov:SoftwareAgent']);

    // relations: the same set, times compared as instants
    const theirs = back.relations.map((r) => (r[0] === 'used' || r[0] === 'wasGeneratedBy' ? [...r.slice(0, 3), 'time'] : r));
    expect(theirs.map(key).sort()).toEqual(ourRelations(doc).map(key).sort());
    // B used a.parquet as it was (version 1), and b.parquet derives from it through B
    const b = `proj:out/b.parquet@${p.recorded['out/b.parquet@1']!.sha256.slice(0, 12)}`;
    expect(theirs.map(key)).toContain(key(['used', `run:${p.runs.B1}`, a1, 'time']));
    expect(theirs.map(key)).toContain(key(['wasDerivedFrom', b, a1, `run:${p.runs.B1}`, null, null]));
    expect(theirs.filter((r) => r[0] === 'wasGeneratedBy')).toHaveLength(3);
    expect(theirs.filter((r) => r[0] === 'wasAssociatedWith')).toHaveLength(6);
    // PROV-N writes every id as it stands (no escapes needed)
    expect(back.provn).toContain(`entity(${a1}, [`);
    expect(back.provn).not.toMatch(/\\/);
  });

  it("a file's dependents export the runs downstream with what they used and generated", () => {
    const doc = toProvJson(dependentsGraph(dependentsOf(history, 'data/s1.fits')), history);
    const path = join(p.dir, 's1-dependents.prov.json');
    writeFileSync(path, JSON.stringify(doc));
    const back = readBack(path);
    expect(
      Object.keys(back.elements)
        .filter((id) => id.startsWith('run:'))
        .sort(),
    ).toEqual([`run:${p.runs.A2}`, `run:${p.runs.B1}`, `run:${p.runs.report}`].sort());
    const s1v2 = `proj:data/s1.fits@${p.recorded['data/s1.fits@2']!.sha256.slice(0, 12)}`;
    expect(back.relations.map((r) => key(r.slice(0, 3)))).toContain(key(['used', `run:${p.runs.A2}`, s1v2]));
    expect(
      back.relations
        .filter((r) => r[0] === 'wasGeneratedBy')
        .map((r) => r[1]!.replace(/@.*/, ''))
        .sort(),
    ).toEqual(['proj:out/a.parquet', 'proj:out/b.parquet', 'proj:out/report.html', 'proj:out/report.ipynb']);
  });

  it('the same lineage gives the same bytes', async () => {
    const one = JSON.stringify(toProvJson(lineageGraph(await lineageOf(history, 'out/report.html')), history));
    const two = JSON.stringify(toProvJson(lineageGraph(await lineageOf(history, 'out/report.html')), history));
    expect(one).toBe(two);
  });
});
