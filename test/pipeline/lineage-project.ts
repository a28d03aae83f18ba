/**
 * A small project folder with real files and a real DuckDB run ledger (`.skybook/ledger.duckdb`) describing a chain:
 *
 *   data/s1.fits, data/s2.fits -> stage A -> out/a.parquet -> stage B -> out/b.parquet -> notebook report -> out/report.html
 *   data/s2.fits, data/s3.csv  -> stage C -> out/c.parquet          (s2 is shared by A and C)
 *
 * A and B and C run in one pipeline run (whose own row also names b.parquet, as a container); the report is a notebook run
 * whose row names only its provenance manifest. Then s1 changes and A alone is re-run in a second pipeline run (a.parquet
 * gets a newer hash), and a later attempt at B fails. So the report's lineage must go through the first A (the latest
 * before B started), flag a.parquet and s1 as changed since, and a change to s1 now invalidates A, B and the report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hashFile, manifestPathFor, toRoCrate, type RunRecord } from '../../lib/provenance/index.js';
import { type FileRecord, RunLedger, openStore, sql } from '../../lib/store/index.js';

export interface LineageProject {
  dir: string;
  ledgerUrl: string;
  /** The hashes of files as the runs recorded them, by `name@step` (e.g. `out/a.parquet@1`). */
  recorded: Record<string, FileRecord>;
  /** Run ids by role: pipeline1, A1, C1, B1, report, pipeline2, A2, Bfailed, alice. */
  runs: Record<string, string>;
  cleanup(): void;
}

/** Builds the project; `alice` adds a 2020 ingest by another user with an older skybook (written straight into the table). */
export async function lineageProject(): Promise<LineageProject> {
  const dir = mkdtempSync(join(tmpdir(), 'skybook-lineage-'));
  const ledgerUrl = `duckdb:${join(dir, '.skybook', 'ledger.duckdb')}`;
  const ledger = new RunLedger(ledgerUrl);
  const recorded: Record<string, FileRecord> = {};
  const runs: Record<string, string> = {};
  const write = async (name: string, text: string, step = 1): Promise<FileRecord> => {
    const abs = join(dir, name);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    const d = await hashFile(abs);
    const rec = { path: name, sha256: d.sha256, size: d.size };
    recorded[`${name}@${step}`] = rec;
    return rec;
  };
  const stage = async (name: string, parent: string, inputs: FileRecord[], make: () => Promise<FileRecord[]>) => {
    const id = await ledger.begin({ kind: 'stage', name, parent, inputs, workdir: dir });
    await ledger.end(id, { status: 'completed', outputs: await make() });
    return id;
  };
  try {
    const s1 = await write('data/s1.fits', 'SIMPLE  = T / source one\n');
    const s2 = await write('data/s2.fits', 'SIMPLE  = T / source two, shared\n');
    const s3 = await write('data/s3.csv', 'TARGETID,Z\n1,0.5\n');
    const nb = await write('notebooks/report.ipynb', '{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}\n');

    runs.pipeline1 = await ledger.begin({ kind: 'pipeline', name: 'skybook.pipeline.yaml', workdir: dir });
    runs.A1 = await stage('A', runs.pipeline1, [s1, s2], async () => [await write('out/a.parquet', 'a from s1 and s2, v1')]);
    runs.C1 = await stage('C', runs.pipeline1, [s2, s3], async () => [await write('out/c.parquet', 'c from s2 and s3')]);
    runs.B1 = await stage('B', runs.pipeline1, [recorded['out/a.parquet@1']!], async () => [await write('out/b.parquet', 'b from a')]);
    await ledger.end(runs.pipeline1, { status: 'completed', outputs: [recorded['out/b.parquet@1']!] });

    // the report: a notebook run whose files are in its provenance manifest only
    const manifest = join(dir, manifestPathFor('out/report.ipynb'));
    runs.report = await ledger.begin({
      kind: 'notebook',
      name: 'notebooks/report.ipynb',
      manifest: 'out/report.provenance.json',
      workdir: dir,
    });
    const started = new Date().toISOString();
    const html = await write('out/report.html', '<html>report of b</html>');
    const executed = await write('out/report.ipynb', '{"cells": [], "executed": true}\n');
    const abs = (r: FileRecord) => ({ ...r, path: join(dir, r.path) });
    const record: RunRecord = {
      notebook: abs(nb),
      executed: abs(executed),
      kernel: { name: 'skybook', language: 'typescript' },
      parameters: {},
      redacted: [],
      inputs: [abs(recorded['out/b.parquet@1']!)],
      outputs: [abs(html)],
      software: { skybook: '0.1.0', node: process.versions.node },
      cells: [],
      startTime: started,
      endTime: new Date().toISOString(),
      status: 'completed',
      cwd: dir,
      cacheKey: 'k',
    };
    writeFileSync(manifest, JSON.stringify(toRoCrate(record, dirname(manifest)), null, 1));
    await ledger.end(runs.report, { status: 'completed' });

    // s1 changes; A alone is re-run, then an attempt at B fails
    const s1v2 = await write('data/s1.fits', 'SIMPLE  = T / source one, revised\n', 2);
    runs.pipeline2 = await ledger.begin({ kind: 'pipeline', name: 'skybook.pipeline.yaml', workdir: dir });
    runs.A2 = await stage('A', runs.pipeline2, [s1v2, s2], async () => [await write('out/a.parquet', 'a from s1 and s2, v2', 2)]);
    runs.Bfailed = await ledger.begin({
      kind: 'stage',
      name: 'B',
      parent: runs.pipeline2,
      inputs: [recorded['out/a.parquet@2']!],
      workdir: dir,
    });
    await ledger.end(runs.Bfailed, { status: 'failed', error: 'exit status 1' });
    await ledger.end(runs.pipeline2, { status: 'failed', error: 'stage B failed' });
  } finally {
    await ledger.close();
  }

  // Another user, on another host, with an older skybook, in January 2020: not something RunLedger.begin can write.
  runs.alice = '00000000-0000-4000-8000-00000000a11c';
  const store = await openStore(ledgerUrl);
  try {
    const s3 = recorded['data/s3.csv@1']!;
    const ingested = { path: 'out/zcat.duckdb', sha256: 'ab'.repeat(32), size: 12288 };
    await store.run(sql`insert into skybook_runs (run_id, parent_id, kind, name, status, started_at, finished_at, seconds, os_user,
      host, pid, params_json, inputs_json, outputs_json, software_json, workdir) values (${runs.alice}, null, 'ingest', 'zcat', 'completed',
      cast('2020-01-05 09:00:00' as timestamp), cast('2020-01-05 09:01:00' as timestamp), 60, 'alice', 'lab-node-7', 4242, '{}',
      ${JSON.stringify([s3])}, ${JSON.stringify([ingested])}, ${JSON.stringify({ node: '18.19.0', skybook: '0.0.9' })}, ${dir})`);
  } finally {
    await store.close();
  }
  return { dir, ledgerUrl, recorded, runs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
