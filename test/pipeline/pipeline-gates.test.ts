import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/writer/index.js';
import { sha256 } from '../../lib/provenance/index.js';
import { RunLedger } from '../../lib/store/index.js';
import { skybook } from '../helpers/cli.js';
import { zcatTable } from './qa-helpers.js';

/**
 * A pipeline with a QA gate between loading and reporting, through the real CLI: good data flows through; injected bad
 * data stops the chain at the gate, with the failed check and its value named; the final report's lineage names every
 * input file with the hash recorded when it was made.
 */
const dir = mkdtempSync(join(tmpdir(), 'skybook-gates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIPELINE = `stages:
  load:
    cmd: skybook ingest data/zcat.fits --into duckdb:data/sky.duckdb --table zcat --replace
    deps: [data/zcat.fits]
    outs: [data/sky.duckdb]
  gate:
    # the report is written pass or fail; the out that lets the chain go on only on a pass
    cmd: skybook qa checks.yaml --db duckdb:data/sky.duckdb --report qa/report.json && cp qa/report.json qa/passed.json
    deps: [checks.yaml, data/sky.duckdb]
    outs: [qa/passed.json]
  report:
    cmd: skybook query --db duckdb:data/sky.duckdb "select spectype, count(*) as n from zcat group by 1 order by 1" --format csv -o report/types.csv
    deps: [qa/passed.json, data/sky.duckdb, notes.txt]
    outs: [report/types.csv]
`;
const CHECKS = `checks:
  - table: zcat
    rows: { min: 100 }
    columns:
      Z: { range: { min: -0.01, max: 7 } }
      SPECTYPE: { enum: [GALAXY, QSO, STAR] }
`;

async function writeZcat(table: Table): Promise<void> {
  await writeFits(join(dir, 'data/zcat.fits'), [{ kind: 'table', name: 'ZCATALOG', schema: table.schema, table: table.batches }], {
    overwrite: true,
  });
}
const stages = (stdout: string) => (JSON.parse(stdout) as { stages: { name: string; status: string; reason: string }[] }).stages;

beforeAll(async () => {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'skybook.pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'checks.yaml'), CHECKS);
  writeFileSync(join(dir, 'notes.txt'), 'spectral types of the good redshifts\n');
  await writeZcat(zcatTable(2000, 1));
});

describe('a QA gate in a pipeline', { timeout: 120_000 }, () => {
  it('lets good data through to the report', () => {
    const r = skybook(['pipeline', 'run', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(stages(r.stdout).map((s) => s.status)).toEqual(['ran', 'ran', 'ran']);
    expect(readFileSync(join(dir, 'report/types.csv'), 'utf8')).toMatch(/^spectype,n\nGALAXY,\d+\nQSO,\d+\nSTAR,\d+\n$/i);
  });

  it("the report's lineage names every input file with the hash recorded when it was made, and PROV-JSON", () => {
    const r = skybook(['lineage', 'report/types.csv', '--json', '--prov', 'report/types.prov.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout;
    for (const f of ['data/zcat.fits', 'checks.yaml', 'notes.txt']) {
      const hash = sha256(readFileSync(join(dir, f)));
      expect(text, f).toContain(hash);
    }
    const prov = JSON.parse(readFileSync(join(dir, 'report/types.prov.json'), 'utf8')) as { entity: object; activity: object };
    expect(Object.keys(prov.entity).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(prov.activity).length).toBe(3);
  });

  it('the dashboard links the report to its lineage, readable offline', () => {
    const r = skybook(['dashboard', '--out', 'site', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, 'site/index.html'), 'utf8');
    const link = /types\.csv<\/a> <a class="lineage" href="(lineage\/[0-9a-f]{16}\.txt)">lineage<\/a>/.exec(page);
    expect(link, 'a lineage link beside report/types.csv').not.toBeNull();
    const lineage = readFileSync(join(dir, 'site', link![1]!), 'utf8');
    expect(lineage).toContain('data/zcat.fits');
    expect(lineage).toContain(sha256(readFileSync(join(dir, 'data/zcat.fits'))).slice(0, 12));
  });

  it('injected bad data stops the pipeline at the gate, naming the failed check and its value', async () => {
    const before = readFileSync(join(dir, 'report/types.csv'), 'utf8');
    await writeZcat(zcatTable(2000, 1, { farZ: 5, badSpectype: 3 }));
    const r = skybook(['pipeline', 'run', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const [load, gate, report] = stages(r.stdout);
    expect(load!.status).toBe('ran');
    expect(gate!.status).toBe('failed');
    expect(gate!.reason).toMatch(/zcat\.Z\.range = 5: 5 of 2000 rows outside \[-0\.01, 7\]/);
    expect(gate!.reason).toMatch(/zcat\.SPECTYPE\.enum = 3/);
    expect(report).toMatchObject({ status: 'skipped', reason: 'not run: upstream stage gate did not complete' });
    // The gate's report says the same, and the report of the good data stands.
    const qa = JSON.parse(readFileSync(join(dir, 'qa/report.json'), 'utf8')) as {
      passed: boolean;
      results: { name: string; passed: boolean }[];
    };
    expect(qa.passed).toBe(false);
    expect(qa.results.filter((c) => !c.passed).map((c) => c.name)).toEqual(['zcat.Z.range', 'zcat.SPECTYPE.enum']);
    expect(readFileSync(join(dir, 'report/types.csv'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'qa/passed.json'))).toBe(true);
    const ledger = new RunLedger(`duckdb:${join(dir, '.skybook/ledger.duckdb')}`);
    const runs = await ledger.runs();
    const last = runs.filter((x) => x.kind === 'qa').at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.error).toMatch(/zcat\.Z\.range/);
    expect(runs.filter((x) => x.kind === 'pipeline').at(-1)!.status).toBe('failed');
  });
});
