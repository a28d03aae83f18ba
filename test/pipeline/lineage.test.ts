/**
 * Lineage from a real DuckDB run ledger and real files: what made a file (through re-runs, a container pipeline row and a
 * manifest-only notebook row), with the hashes recorded then and what has changed since; what a change invalidates.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dependentsOf,
  fileQName,
  lineageJson,
  lineageOf,
  lineageText,
  localPart,
  RunHistory,
  type LineageNode,
} from '../../lib/pipeline/index.js';
import { RunLedger, type RunRow } from '../../lib/store/index.js';
import { PipelineError } from '../../lib/errors/index.js';
import { lineageProject, type LineageProject } from './lineage-project.js';

let p: LineageProject;
let history: RunHistory;
beforeAll(async () => {
  p = await lineageProject();
  history = await RunHistory.read(new RunLedger(p.ledgerUrl));
});
afterAll(() => p?.cleanup());

/** Every node of a tree, depth first. */
function nodes(n: LineageNode): LineageNode[] {
  return [n, ...n.inputs.flatMap(nodes)];
}

describe('lineageOf', () => {
  it("resolves the ledger's relative paths against the folder holding .skybook/", () => {
    expect(history.projectDir).toBe(p.dir);
    expect(history.resolve('out/a.parquet')).toBe(join(p.dir, 'out/a.parquet'));
    expect(history.display(join(p.dir, 'out/a.parquet'))).toBe('out/a.parquet');
  });

  it('names every input of the report, recursively, with the hashes recorded then, through the runs that made them', async () => {
    const l = await lineageOf(history, 'out/report.html');
    const root = l.root;
    // the report's row names only its manifest: its files come from there
    expect(root.producedBy?.runId).toBe(p.runs.report);
    expect(root.sha256).toBe(p.recorded['out/report.html@1']!.sha256);
    expect(root.inputs.map((n) => n.name).sort()).toEqual(['notebooks/report.ipynb', 'out/b.parquet']);
    const b = root.inputs.find((n) => n.name === 'out/b.parquet')!;
    // the stage, not the pipeline run whose row also lists b.parquet
    expect(b.producedBy?.runId).toBe(p.runs.B1);
    const a = b.inputs[0]!;
    expect(a.name).toBe('out/a.parquet');
    // B read version 1; A's re-run (version 2) came after B started, so the first A made what B read
    expect(a.sha256).toBe(p.recorded['out/a.parquet@1']!.sha256);
    expect(a.producedBy?.runId).toBe(p.runs.A1);
    const sources = a.inputs;
    expect(sources.map((n) => [n.name, n.sha256, n.producedBy])).toEqual([
      ['data/s1.fits', p.recorded['data/s1.fits@1']!.sha256, null],
      ['data/s2.fits', p.recorded['data/s2.fits@1']!.sha256, null],
    ]);
    const every = nodes(root).map((n) => n.name);
    expect(new Set(every)).toEqual(
      new Set(['out/report.html', 'notebooks/report.ipynb', 'out/b.parquet', 'out/a.parquet', 'data/s1.fits', 'data/s2.fits']),
    );
    expect(l.runs.map((r) => r.runId)).toEqual([p.runs.report, p.runs.B1, p.runs.A1]);
  });

  it('flags exactly the files whose bytes changed since they were recorded', async () => {
    const l = await lineageOf(history, 'out/report.html');
    const changed = l.files
      .filter((f) => f.changed)
      .map((f) => f.name)
      .sort();
    expect(changed).toEqual(['data/s1.fits', 'out/a.parquet']);
    expect(l.files.every((f) => !f.missing)).toBe(true);
    const text = lineageText(l);
    expect(text.split('\n')[0]).toMatch(
      /^out\/report\.html {2}[0-9a-f]{12} {2}\d+ bytes {2}<- notebook notebooks\/report\.ipynb, \S+Z, completed$/,
    );
    expect(text).toMatch(/out\/a\.parquet {2}[0-9a-f]{12} {2}\d+ bytes {2}changed since {2}<- stage A, /);
    expect(text).toMatch(/data\/s2\.fits {2}[0-9a-f]{12} {2}\d+ bytes {2}source \(no run made it\)/);
    expect(text).not.toMatch(/data\/s2\.fits.*changed since/);
  });

  it('a file made by several runs: its own lineage is the latest completed run, with its current bytes unchanged', async () => {
    const l = await lineageOf(history, join(p.dir, 'out/a.parquet'));
    expect(l.root.producedBy?.runId).toBe(p.runs.A2);
    expect(l.root.sha256).toBe(p.recorded['out/a.parquet@2']!.sha256);
    expect(l.root.changed).toBe(false);
    expect(l.root.inputs.map((n) => [n.name, n.sha256, n.changed])).toEqual([
      ['data/s1.fits', p.recorded['data/s1.fits@2']!.sha256, false],
      ['data/s2.fits', p.recorded['data/s2.fits@1']!.sha256, false],
    ]);
  });

  it('a source file is its own lineage, as the latest run that read it recorded it', async () => {
    const l = await lineageOf(history, 'data/s3.csv');
    expect(l.root.producedBy).toBeNull();
    expect(l.root.inputs).toEqual([]);
    expect(l.root.sha256).toBe(p.recorded['data/s3.csv@1']!.sha256);
  });

  it('a file the ledger never saw is a PipelineError with exit code 2 naming it', async () => {
    const err = await lineageOf(history, 'out/nothing.parquet').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).exitCode).toBe(2);
    expect((err as PipelineError).message).toContain('out/nothing.parquet: no run in the ledger read or wrote this file');
    expect(() => dependentsOf(history, 'out/nothing.parquet')).toThrow(/no run in the ledger/);
  });

  it('records that loop (a run reading what a later-starting run wrote, clocks aside) end in a cycle mark, not a hang', async () => {
    const row = (id: string, name: string, at: string, inputs: string[], outputs: string[]): RunRow => ({
      runId: id,
      parent: null,
      kind: 'stage',
      name,
      status: 'completed',
      startedAt: at,
      finishedAt: at,
      seconds: 0,
      user: 'u',
      host: 'h',
      pid: 1,
      params: {},
      inputs: inputs.map((path) => ({ path, sha256: 'aa', size: 1 })),
      outputs: outputs.map((path) => ({ path, sha256: 'aa', size: 1 })),
      manifest: null,
      error: null,
      rows: null,
      quarantined: null,
      software: {},
      workdir: p.dir,
    });
    // x reads y and writes x in the same instant as y reads x and writes y
    const h = await RunHistory.fromRows(
      [row('r1', 'X', '2025-01-01T00:00:00.000Z', ['y'], ['x']), row('r2', 'Y', '2025-01-01T00:00:00.000Z', ['x'], ['y'])],
      p.dir,
    );
    const l = await lineageOf(h, 'x');
    const all = nodes(l.root);
    expect(all.some((n) => n.cycle)).toBe(true);
    expect(all.length).toBeLessThan(5);
    expect(JSON.stringify(lineageJson(l, h))).toContain('"cycle":true');
  });
});

describe('dependentsOf', () => {
  const names = (file: string) => {
    const d = dependentsOf(history, file);
    return { runs: d.runs.map((r) => `${r.depth} ${r.run.kind} ${r.run.name}`), files: d.files.map((f) => f.name), d };
  };

  it('a change to s1 invalidates exactly A, B and the report (not C, nor the superseded first A)', () => {
    const { runs, files, d } = names('data/s1.fits');
    expect(runs).toEqual(['1 stage A', '2 stage B', '3 notebook notebooks/report.ipynb']);
    expect(d.runs[0]!.run.runId).toBe(p.runs.A2);
    expect(d.runs[1]!.run.runId).toBe(p.runs.B1); // the failed attempt at B is not current work
    expect(files).toEqual(['out/a.parquet', 'out/b.parquet', 'out/report.html', 'out/report.ipynb']);
  });

  it('the shared source s2 reaches both stages that read it and everything below them', () => {
    const { runs, files } = names('data/s2.fits');
    expect(runs).toEqual(['1 stage C', '1 stage A', '2 stage B', '3 notebook notebooks/report.ipynb']);
    expect(files).toEqual(['out/a.parquet', 'out/c.parquet', 'out/b.parquet', 'out/report.html', 'out/report.ipynb']);
  });

  it('an intermediate file invalidates only what is below it; a final one nothing', () => {
    expect(names('out/a.parquet').runs).toEqual(['1 stage B', '2 notebook notebooks/report.ipynb']);
    expect(names('out/report.html').runs).toEqual([]);
    expect(names('data/s3.csv').runs).toEqual(['1 ingest zcat', '1 stage C']);
  });
});

describe('PROV names', () => {
  it('local parts keep paths readable and encode what a QName cannot hold', () => {
    expect(localPart('out/a.parquet')).toBe('out/a.parquet');
    expect(localPart('.skybook/my file #2.')).toBe('%2Eskybook/my%20file%20%232%2E');
    expect(localPart('-x/é')).toBe('%2Dx/%C3%A9');
    expect(fileQName('out/a.parquet', 'ab'.repeat(32), true)).toBe('proj:out/a.parquet@abababababab');
    expect(fileQName('/data/dr1/z.fits', 'cd'.repeat(32), false)).toBe('fs:data/dr1/z.fits@cdcdcdcdcdcd');
  });
});
