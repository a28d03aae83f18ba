import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, sha256 } from '../../lib/provenance/index.js';
import { ROOT, skybook } from '../helpers/cli.js';

const NB = join(import.meta.dirname, '../notebook/fixtures/reads-input.ipynb');

describe('provenance of skybook run', () => {
  const base = mkdtempSync(join(tmpdir(), 'sb-prov-'));
  const catalog = join(base, 'catalog.txt');
  writeFileSync(catalog, '1.5\n2.5\n3\n');

  function runIn(name: string, extra: string[] = []) {
    const dir = join(base, name);
    mkdirSync(dir);
    const out = join(dir, 'run.ipynb');
    const r = skybook(['run', NB, '-p', 'catalog', catalog, '--cwd', dir, '-o', out, ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return { dir, out, manifest: join(dir, 'run.provenance.json') };
  }

  it('two runs in different folders give identical per-cell hashes; a changed parameter changes them', async () => {
    const a = runIn('a');
    const b = runIn('b');
    const ra = await readManifest(a.manifest);
    const rb = await readManifest(b.manifest);
    expect(ra.cells.length).toBe(5);
    expect(rb.cells).toEqual(ra.cells);
    // The output really printed the run's own absolute path, which normalisation turned into {out}.
    expect(readFileSync(a.out, 'utf8')).toContain(`wrote ${a.dir}/total.txt`);
    expect(ra.cells[2]!.source).toBe(sha256("import os\nrows = open(catalog).read().split()\nprint(len(rows), 'rows')"));

    const c = runIn('c', ['-p', 'out_dir', './']);
    const rc = await readManifest(c.manifest);
    expect(rc.cells[1]!.source).not.toBe(ra.cells[1]!.source);
    expect(rc.cells.slice(2)).toEqual(ra.cells.slice(2));
  }, 60_000);

  it('records inputs, written files, software and the kernel in an RO-Crate Process Run Crate', async () => {
    const a = runIn('d');
    const crate = JSON.parse(readFileSync(a.manifest, 'utf8'));
    expect(crate['@context'][0]).toBe('https://w3id.org/ro/crate/1.1/context');
    const byId = new Map<string, Record<string, unknown>>(crate['@graph'].map((n: { '@id': string }) => [n['@id'], n]));
    expect(byId.get('ro-crate-metadata.json')!.conformsTo).toEqual({ '@id': 'https://w3id.org/ro/crate/1.1' });
    expect(byId.get('./')!.conformsTo).toEqual({ '@id': 'https://w3id.org/ro/wfrun/process/0.5' });
    const action = byId.get('#run')!;
    expect(action['@type']).toBe('CreateAction');
    expect(action.actionStatus).toBe('http://schema.org/CompletedActionStatus');
    expect(Date.parse(action.endTime as string)).toBeGreaterThanOrEqual(Date.parse(action.startTime as string));
    const nbNode = byId.get((action.instrument as { '@id': string })['@id'])!;
    expect(nbNode.sha256).toBe(sha256(readFileSync(NB)));
    expect(byId.get('#param-catalog')).toMatchObject({ '@type': 'PropertyValue', name: 'catalog', value: catalog });
    const rec = await readManifest(a.manifest);
    expect(rec.inputs).toEqual([{ path: catalog, sha256: sha256(readFileSync(catalog)), size: 10 }]);
    expect(rec.outputs.map((o) => o.path)).toEqual([join(a.dir, 'total.txt')]);
    expect(rec.outputs[0]!.sha256).toBe(sha256('7.0\n'));
    expect(rec.executed.sha256).toBe(sha256(readFileSync(a.out)));
    expect(rec.software.lockfile!.sha256).toBe(sha256(readFileSync(join(ROOT, 'package-lock.json'))));
    expect(rec.software.node).toBe(process.version);
    expect(rec.kernel).toMatchObject({ name: 'python3', language: 'python', implementation: 'ipython' });
    expect(rec.parameters).toEqual({ catalog });
  }, 60_000);
});
