import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, ledgerExposition, ledgerFolder, rowFolder } from '../../lib/pipeline/index.js';
import type { RunRow } from '../../lib/store/index.js';
import { skybook } from '../helpers/cli.js';
import { HOSTILE_NAME, type LedgerFixture, ledgerFixture, samples } from './run-ledger-fixture.js';

// Issue 18, metrics: the exposition written from a real DuckDB ledger (filled through RunLedger) carries the ledger's
// counts, durations, rows and QA results, escapes label values, orders series stably, and promtool accepts it.
const PROMTOOL = '/usr/bin/promtool';

let fx: LedgerFixture;
let runs: RunRow[];
let text: string;
let values: Map<string, number>;

beforeAll(async () => {
  fx = await ledgerFixture('metrics');
  runs = await fx.runs();
  text = await ledgerExposition(fx.ledger);
  values = samples(text);
}, 60_000);

afterAll(async () => {
  await fx?.ledger.close();
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

/** A label value as the exposition writes it: backslash, double quote and newline escaped. */
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

describe('ledgerMetrics', () => {
  it('counts runs by kind and status, as the ledger has them', () => {
    const expected = new Map<string, number>();
    for (const r of runs) {
      const k = `skybook_runs_total{kind="${r.kind}",status="${r.status}"}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const got = new Map([...values].filter(([k]) => k.startsWith('skybook_runs_total{')));
    expect(got).toEqual(expected);
    // and by hand, for the rows the fixture wrote
    expect(values.get('skybook_runs_total{kind="stage",status="completed"}')).toBe(3);
    expect(values.get('skybook_runs_total{kind="stage",status="skipped"}')).toBe(1);
    expect(values.get('skybook_runs_total{kind="ingest",status="interrupted"}')).toBe(1);
    expect(values.get('skybook_runs_total{kind="ray-job",status="running"}')).toBe(1);
    expect(values.get('skybook_runs_running{kind="ray-job"}')).toBe(1);
    expect(values.get('skybook_runs_running{kind="stage"}')).toBe(0);
  });

  it('makes a duration histogram per kind from ended runs that did work', () => {
    for (const kind of ['stage', 'notebook', 'pipeline', 'qa', 'ingest', 'cloudy-grid']) {
      const ended = runs.filter((r) => r.kind === kind && r.status !== 'running' && r.status !== 'skipped');
      const secs = ended.map((r) => r.seconds!);
      expect(values.get(`skybook_run_duration_seconds_count{kind="${kind}"}`), kind).toBe(ended.length);
      expect(values.get(`skybook_run_duration_seconds_sum{kind="${kind}"}`)).toBeCloseTo(
        secs.reduce((a, b) => a + b, 0),
        9,
      );
      for (const le of DURATION_BUCKETS)
        expect(values.get(`skybook_run_duration_seconds_bucket{le="${le}",kind="${kind}"}`)).toBe(secs.filter((s) => s <= le).length);
      expect(values.get(`skybook_run_duration_seconds_bucket{le="+Inf",kind="${kind}"}`)).toBe(ended.length);
    }
    expect(values.has('skybook_run_duration_seconds_count{kind="ray-job"}')).toBe(false); // still running
  });

  it("gives each stage's and notebook's last run that did work: duration, end time, success", () => {
    const ingest = runs.find((r) => r.runId === fx.ids.ingest1)!; // the second pipeline skipped it
    expect(values.get('skybook_last_run_duration_seconds{kind="stage",name="ingest"}')).toBe(ingest.seconds);
    expect(values.get('skybook_last_run_end_timestamp_seconds{kind="stage",name="ingest"}')).toBe(Date.parse(ingest.finishedAt!) / 1000);
    expect(values.get('skybook_last_run_success{kind="stage",name="ingest"}')).toBe(1);
    const features = runs.find((r) => r.runId === fx.ids.features2)!;
    expect(values.get('skybook_last_run_duration_seconds{kind="stage",name="features"}')).toBe(features.seconds);
    expect(values.get('skybook_last_run_success{kind="pipeline",name="survey"}')).toBe(0);
    expect(values.get(`skybook_last_run_success{kind="notebook",name="${esc(HOSTILE_NAME)}"}`)).toBe(0);
    expect(values.get('skybook_last_run_success{kind="notebook",name="01-quickstart"}')).toBe(1);
  });

  it('sums rows ingested and quarantined', () => {
    expect(values.get('skybook_rows_ingested_total{kind="stage",name="ingest"}')).toBe(1000);
    expect(values.get('skybook_rows_quarantined_total{kind="stage",name="ingest"}')).toBe(3);
    expect(values.get('skybook_rows_ingested_total{kind="ingest",name="zcat"}')).toBe(500);
    expect(values.get('skybook_rows_quarantined_total{kind="ingest",name="zcat"}')).toBe(0);
  });

  it("reads QA results from the reports the qa rows wrote: runs by status, outcomes per check, the latest report's checks", () => {
    expect(values.get('skybook_qa_runs_total{status="completed"}')).toBe(1);
    expect(values.get('skybook_qa_runs_total{status="failed"}')).toBe(1);
    expect(values.get('skybook_qa_checks_total{name="zcat-gate",check="zcat.Z.range",result="passed"}')).toBe(1);
    expect(values.get('skybook_qa_checks_total{name="zcat-gate",check="zcat.Z.range",result="failed"}')).toBe(1);
    expect(values.get('skybook_qa_checks_total{name="zcat-gate",check="zcat.rows",result="passed"}')).toBe(2);
    expect(values.get('skybook_qa_check_passed{name="zcat-gate",check="zcat.Z.range"}')).toBe(0);
    expect(values.get('skybook_qa_check_value{name="zcat-gate",check="zcat.Z.range"}')).toBe(3);
    expect(values.get('skybook_qa_check_value{name="zcat-gate",check="zcat.rows"}')).toBe(1000);
  });

  it('escapes label values, names each family once with HELP and TYPE, and orders series the same way every time', async () => {
    expect(text).toContain(`name="${esc(HOSTILE_NAME)}"`);
    expect(
      text
        .split('\n')
        .filter((l) => l.includes('<script>'))
        .every((l) => !l.includes('\n')),
    ).toBe(true);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(text).toMatch(new RegExp(`^# HELP ${t} \\S`, 'm'));
    expect(types.every((t) => t.startsWith('skybook_'))).toBe(true);
    const totals = text.split('\n').filter((l) => l.startsWith('skybook_runs_total{'));
    expect(totals).toEqual([...totals].sort());
    expect(await ledgerExposition(fx.ledger)).toBe(text);
  });

  it.skipIf(!existsSync(PROMTOOL))('is accepted by promtool check metrics', () => {
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
if (!existsSync(PROMTOOL)) console.warn(`SKIPPED promtool check metrics: ${PROMTOOL} is absent (apt-get install prometheus)`);

describe('the folders relative paths start at', () => {
  it("is the row's workdir where the ledger records one, else the default ledger's project folder, else the working directory", () => {
    expect(ledgerFolder(fx.url)).toBe(fx.root);
    expect(ledgerFolder('duckdb:elsewhere/runs.duckdb', '/work/proj')).toBe('/work/proj');
    expect(ledgerFolder('postgres://db/lab', '/work/proj')).toBe('/work/proj');
    const row = runs[0]!;
    expect(rowFolder({ ...row, workdir: '/data/stage' } as RunRow, fx.root)).toBe('/data/stage');
    const { workdir: _, ...old } = row as RunRow & { workdir?: string };
    expect(rowFolder(old as RunRow, fx.root)).toBe(fx.root);
  });
});

describe('skybook metrics --out', () => {
  it('writes the exposition whole (no temporary file left) and says what it wrote', () => {
    const out = join(fx.root, 'textfile', 'skybook.prom');
    rmSync(join(fx.root, 'textfile'), { recursive: true, force: true });
    const missingDir = skybook(['metrics', '--ledger', fx.url, '--out', out]);
    expect(missingDir.code, missingDir.stderr).toBe(2);
    expect(missingDir.stderr).toBe(`skybook metrics: ${out}: cannot write it: its folder ${join(fx.root, 'textfile')} does not exist\n`);
    mkdirSync(join(fx.root, 'textfile'));
    const r = skybook(['metrics', '--ledger', fx.url, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(readdirSync(join(fx.root, 'textfile'))).toEqual(['skybook.prom']);
    const summary = JSON.parse(r.stdout) as { out: string; series: number; bytes: number };
    expect(summary).toMatchObject({ out, series: values.size, bytes: Buffer.byteLength(text) });
  });

  it('reads the default ledger of the folder it runs in', () => {
    const r = skybook(['metrics', '--out', 'here.prom'], { cwd: fx.root });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(fx.root, 'here.prom'), 'utf8')).toBe(text);
  });

  it('is bad usage without --out, and serve without a valid --port', () => {
    const noOut = skybook(['metrics', '--ledger', fx.url]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe('skybook metrics: missing --out FILE (where to write the metrics)\n');
    const badPort = skybook(['metrics', 'serve', '--port', '99999']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('invalid --port 99999');
  });
});
