/**
 * `skybook lineage`: the readable tree, --json, --dependents, --prov, the nearest project ledger found from the file's
 * folder, and exit 2 for a file the ledger never saw (in process, and once through the built binary).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { skybook, skybookInProcess } from '../helpers/cli.js';
import { lineageProject, type LineageProject } from './lineage-project.js';

let p: LineageProject;
beforeAll(async () => {
  p = await lineageProject();
});
afterAll(() => p?.cleanup());

describe('skybook lineage', () => {
  it('prints the tree: each file with its short sha256, size, what changed since and the run that made it', async () => {
    const r = await skybookInProcess(['lineage', join(p.dir, 'out/report.html'), '--ledger', p.ledgerUrl]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const short = (k: string) => p.recorded[k]!.sha256.slice(0, 12);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      new RegExp(`^out/report\\.html  ${short('out/report.html@1')}  \\d+ bytes  <- notebook notebooks/report\\.ipynb, \\S+, completed$`),
    );
    expect(r.stdout).toContain(`out/a.parquet  ${short('out/a.parquet@1')}  20 bytes  changed since  <- stage A, `);
    expect(r.stdout).toContain(`data/s1.fits  ${short('data/s1.fits@1')}  25 bytes  changed since  source (no run made it)`);
    expect(r.stdout).toMatch(/^ {4}└── out\/a\.parquet/m);
  });

  it('--json: the tree with full hashes and the runs; --prov writes the PROV-JSON document', async () => {
    const prov = join(p.dir, 'lineage.prov.json');
    const r = await skybookInProcess(['lineage', join(p.dir, 'out/report.html'), '--ledger', p.ledgerUrl, '--json', '--prov', prov]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      project: string;
      changed: string[];
      lineage: { path: string; producedBy: { runId: string; kind: string }; inputs: { path: string; sha256: string }[] };
    };
    expect(doc.project).toBe(p.dir);
    expect(doc.changed.sort()).toEqual(['data/s1.fits', 'out/a.parquet']);
    expect(doc.lineage.producedBy.runId).toBe(p.runs.report);
    expect(doc.lineage.inputs.find((i) => i.path === 'out/b.parquet')?.sha256).toBe(p.recorded['out/b.parquet@1']!.sha256);
    const written = JSON.parse(readFileSync(prov, 'utf8')) as { prefix: Record<string, string>; activity: Record<string, unknown> };
    expect(written.prefix.proj).toBe(`file://${p.dir}/`);
    expect(Object.keys(written.activity)).toHaveLength(3);
  });

  it('--dependents: the runs downstream and the files a change invalidates', async () => {
    const r = await skybookInProcess(['lineage', '--dependents', join(p.dir, 'data/s1.fits'), '--ledger', p.ledgerUrl, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { dependents: { runs: { depth: number; run: { name: string } }[]; files: { path: string }[] } };
    expect(doc.dependents.runs.map((x) => `${x.depth} ${x.run.name}`)).toEqual(['1 A', '2 B', '3 notebooks/report.ipynb']);
    expect(doc.dependents.files.map((f) => f.path)).toEqual(['out/a.parquet', 'out/b.parquet', 'out/report.html', 'out/report.ipynb']);
    const text = await skybookInProcess(['lineage', '--dependents', join(p.dir, 'data/s3.csv'), '--ledger', p.ledgerUrl]);
    expect(text.stdout.split('\n')[0]).toBe('data/s3.csv: 2 run(s) downstream, 2 file(s) a change to it invalidates');
  });

  it("without --ledger, finds the .skybook/ledger.duckdb in the file's folder or above", async () => {
    vi.stubEnv('SKYBOOK_LEDGER', '');
    try {
      const r = await skybookInProcess(['lineage', join(p.dir, 'out/b.parquet'), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { ledger: string }).ledger).toBe(p.ledgerUrl);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a file no run read or wrote: exit 2 with one line naming it, and no PROV file left behind', async () => {
    const prov = join(p.dir, 'none.prov.json');
    const file = join(p.dir, 'out/never.parquet');
    const r = await skybookInProcess(['lineage', file, '--ledger', p.ledgerUrl, '--prov', prov]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `skybook lineage: ${file}: no run in the ledger read or wrote this file (paths in the ledger are resolved against ${p.dir}; 9 runs recorded)\n`,
    );
    expect(existsSync(prov)).toBe(false);
    const dependents = await skybookInProcess(['lineage', '--dependents', file, '--ledger', p.ledgerUrl]);
    expect(dependents.code).toBe(2);
    const missing = await skybookInProcess(['lineage', '--ledger', p.ledgerUrl]);
    expect([missing.code, missing.stderr]).toEqual([2, 'skybook lineage: missing FILE\n']);
  });

  it('the built binary exits 2 for an unknown file and 0 for a known one', () => {
    const unknown = skybook(['lineage', join(p.dir, 'out/never.parquet'), '--ledger', p.ledgerUrl]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run in the ledger read or wrote this file/);
    const known = skybook(['lineage', 'out/c.parquet', '--ledger', p.ledgerUrl], { cwd: p.dir });
    expect(known.code, known.stderr).toBe(0);
    expect(known.stdout).toMatch(/^out\/c\.parquet {2}[0-9a-f]{12} .* <- stage C, /);
  });
});
