/**
 * The governance report from a real DuckDB ledger: datasets matched to a datasets.yaml registry (licence, access,
 * source), unregistered files, every version and every run by user and software, the period; the registry's errors at
 * their line and column; `skybook report governance` writing JSON and self-contained HTML.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../lib/errors/index.js';
import { DatasetsRegistry, globRegExp, governanceHtml, governanceReport, reportPeriod, RunHistory } from '../../lib/pipeline/index.js';
import { RunLedger } from '../../lib/store/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { lineageProject, type LineageProject } from './lineage-project.js';

const REGISTRY = `# the lab's datasets
datasets:
  - name: desi-dr1
    paths: ["data/*.fits"]
    source: https://data.desi.lbl.gov/public/dr1/
    licence: CC-BY-4.0
    access: public
    description: DESI DR1 <redshifts> & "spectra"
  - name: truth-tables
    paths: ["data/**/*.csv"]
    source: mock survey truth, lab only
    licence: internal
    access: restricted
  - name: lab-products
    paths: ["out/**/*.parquet", "out/*.html", "out/*.duckdb"]
    source: skybook pipeline
    licence: CC-BY-4.0
    access: collaboration
    description: "<script>alert('x')</script>"
`;

let p: LineageProject;
let history: RunHistory;
let registry: DatasetsRegistry;
const me = userInfo().username;
beforeAll(async () => {
  p = await lineageProject();
  history = await RunHistory.read(new RunLedger(p.ledgerUrl));
  writeFileSync(join(p.dir, 'datasets.yaml'), REGISTRY);
  registry = DatasetsRegistry.read(join(p.dir, 'datasets.yaml'));
});
afterAll(() => p?.cleanup());

describe('governanceReport', () => {
  it('lists every dataset touched with its licence, access and source, unregistered files, hashes, users and versions', () => {
    const r = governanceReport(history, registry, reportPeriod('2020-01-01'));
    expect(r.datasets.map((d) => [d.name, d.access, d.licence])).toEqual([
      ['desi-dr1', 'public', 'CC-BY-4.0'],
      ['lab-products', 'collaboration', 'CC-BY-4.0'],
      ['truth-tables', 'restricted', 'internal'],
    ]);
    const dr1 = r.datasets[0]!;
    expect(dr1.source).toBe('https://data.desi.lbl.gov/public/dr1/');
    expect(dr1.files).toEqual(['data/s1.fits', 'data/s2.fits']);
    expect(r.datasets[2]!.users).toEqual(['alice', me].sort());
    expect(r.unregistered).toEqual(['notebooks/report.ipynb', 'out/report.ipynb']);
    expect(r.files.map((f) => f.path)).toEqual([
      'data/s1.fits',
      'data/s2.fits',
      'data/s3.csv',
      'notebooks/report.ipynb',
      'out/a.parquet',
      'out/b.parquet',
      'out/c.parquet',
      'out/report.html',
      'out/report.ipynb',
      'out/zcat.duckdb',
    ]);
    const a = r.files.find((f) => f.path === 'out/a.parquet')!;
    expect(a.dataset).toBe('lab-products');
    expect(a.hashes.map((h) => h.sha256)).toEqual([p.recorded['out/a.parquet@1']!.sha256, p.recorded['out/a.parquet@2']!.sha256]);
    expect(a.uses.map((u) => [u.runId, u.role])).toEqual([
      [p.runs.A1, 'wrote'],
      [p.runs.B1, 'read'],
      [p.runs.A2, 'wrote'],
      [p.runs.Bfailed, 'read'],
    ]);
    const s1 = r.files.find((f) => f.path === 'data/s1.fits')!;
    expect(s1.hashes.map((h) => h.sha256)).toEqual([p.recorded['data/s1.fits@1']!.sha256, p.recorded['data/s1.fits@2']!.sha256]);
    expect(r.summary.users).toEqual(['alice', me].sort());
    expect(r.summary.software).toContain('skybook 0.0.9, Node.js 18.19.0');
    expect(r.summary.software.some((s) => s.endsWith(`Node.js ${process.versions.node}`))).toBe(true);
    const alice = r.runs.find((x) => x.runId === p.runs.alice)!;
    expect([alice.user, alice.host, alice.software.skybook, alice.reads, alice.writes]).toEqual(['alice', 'lab-node-7', '0.0.9', 1, 1]);
    // the container pipeline row that named b.parquet is a run that wrote it too; the second, fileless one is not listed
    expect(r.runs.map((x) => x.runId)).toContain(p.runs.pipeline1);
    expect(r.runs.map((x) => x.runId)).not.toContain(p.runs.pipeline2);
    expect(r.registry).toBe('datasets.yaml');
  });

  it("keeps to its period: January 2020 holds only alice's ingest", () => {
    const r = governanceReport(history, registry, reportPeriod('2020-01-01', '2020-01-31'));
    expect(r.period).toEqual({
      since: '2020-01-01',
      until: '2020-01-31',
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-02-01T00:00:00.000Z',
    });
    expect(r.runs.map((x) => x.runId)).toEqual([p.runs.alice]);
    expect(r.files.map((f) => [f.path, f.dataset])).toEqual([
      ['data/s3.csv', 'truth-tables'],
      ['out/zcat.duckdb', 'lab-products'],
    ]);
    expect(governanceReport(history, registry, reportPeriod('2020-01-06', '2020-01-31')).runs).toEqual([]);
  });

  it('is the same bytes every time, and its HTML is self-contained with everything escaped', () => {
    const one = governanceReport(history, registry, reportPeriod('2020-01-01'));
    const two = governanceReport(history, registry, reportPeriod('2020-01-01'));
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    const html = governanceHtml(one);
    expect(html).toBe(governanceHtml(two));
    expect(html).not.toMatch(/<script|<link|\bsrc=|@import|url\(/i);
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(html).toContain('DESI DR1 &lt;redshifts&gt; &amp; &quot;spectra&quot;');
    expect(html).toContain('<a href="https://data.desi.lbl.gov/public/dr1/">');
    expect(html).toContain('<span class="unregistered">unregistered</span>');
    expect(html).toContain('Period: 2020-01-01 to now (open end)');
  });

  it('an empty registry leaves every file unregistered', () => {
    const r = governanceReport(history, DatasetsRegistry.empty(), reportPeriod('2020-01-01'));
    expect(r.datasets).toEqual([]);
    expect(r.unregistered).toEqual(r.files.map((f) => f.path));
    expect(r.registry).toBeNull();
  });
});

describe('datasets.yaml', () => {
  const bad = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'skybook-registry-'));
    try {
      writeFileSync(join(dir, 'datasets.yaml'), text);
      DatasetsRegistry.read(join(dir, 'datasets.yaml'));
      return 'accepted';
    } catch (e) {
      expect(e).toBeInstanceOf(PipelineError);
      expect((e as PipelineError).exitCode).toBe(2);
      return (e as PipelineError).message.replace(`${dir}/`, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const entry = (extra: string) =>
    `datasets:\n  - name: dr1\n    paths: ["data/*.fits"]\n    source: DESI\n    licence: CC-BY-4.0\n${extra}`;

  it.each([
    [
      'an access level not in the set',
      entry('    access: secret\n'),
      /^datasets\.yaml: line 6: col 13: datasets\[0\]\.access: .*public.*collaboration.*restricted/,
    ],
    [
      'an unknown key, at the key',
      entry('    access: public\n    license: MIT\n'),
      /^datasets\.yaml: line 7: col 5: datasets\[0\]: unknown key 'license'/,
    ],
    [
      'a missing field',
      'datasets:\n  - name: dr1\n    paths: ["x"]\n    source: s\n    access: public\n',
      /^datasets\.yaml: line 2: col 5: datasets\[0\]\.licence: /,
    ],
    [
      'no globs',
      entry('    access: public\n').replace('["data/*.fits"]', '[]'),
      /^datasets\.yaml: line 3: col 12: datasets\[0\]\.paths: must list at least one glob/,
    ],
    [
      'a name used twice',
      `${entry('    access: public\n')}${entry('    access: public\n').replace('datasets:\n', '')}`,
      /^datasets\.yaml: line 7: col 11: datasets\[1\]\.name: a second dataset named 'dr1'/,
    ],
    ['YAML that does not parse', 'datasets:\n  - name: [dr1\n', /^datasets\.yaml: line \d+: col \d+: invalid YAML: /],
  ])('%s: a PipelineError at its line and column', (_what, text, message) => {
    expect(bad(text)).toMatch(message);
  });

  it('globs: ** spans folders (none too), * stays within one name, braces and sets choose', () => {
    const cases: [string, string, boolean][] = [
      ['data/**/*.fits', 'data/a.fits', true],
      ['data/**/*.fits', 'data/dr1/healpix/main/a.fits', true],
      ['data/*.fits', 'data/dr1/a.fits', false],
      ['out/{a,b}.parquet', 'out/b.parquet', true],
      ['out/{a,b}.parquet', 'out/c.parquet', false],
      ['zpix-[!x]?.fits', 'zpix-a1.fits', true],
      ['zpix-[!x]?.fits', 'zpix-x1.fits', false],
      ['./notes (1).txt', 'notes (1).txt', true],
      ['**', 'any/thing/at/all', true],
    ];
    for (const [glob, path, want] of cases) expect([glob, path, globRegExp(glob).test(path)]).toEqual([glob, path, want]);
  });
});

describe('skybook report governance', () => {
  it('--out writes governance.json and governance.html; without it the JSON is printed', async () => {
    const out = join(p.dir, 'reports', '2020');
    const args = ['report', 'governance', '--since', '2020-01-01', '--datasets', join(p.dir, 'datasets.yaml'), '--ledger', p.ledgerUrl];
    const r = await skybookInProcess([...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /governance\.json, governance\.html: 3 dataset\(s\), 2 unregistered file\(s\), \d+ run\(s\) from 2020-01-01 to now/,
    );
    const written = JSON.parse(readFileSync(join(out, 'governance.json'), 'utf8')) as { datasets: { name: string }[] };
    expect(written.datasets.map((d) => d.name)).toEqual(['desi-dr1', 'lab-products', 'truth-tables']);
    expect(readFileSync(join(out, 'governance.html'), 'utf8')).toContain('<h1>Governance report</h1>');
    const printed = await skybookInProcess(args);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(readFileSync(join(out, 'governance.json'), 'utf8'));
  });

  it('bad usage and bad input exit 2 with one line naming the problem', async () => {
    const missing = await skybookInProcess(['report', 'governance', '--ledger', p.ledgerUrl]);
    expect([missing.code, missing.stderr]).toEqual([2, 'skybook report governance: missing --since DATE (the start of the period)\n']);
    const date = await skybookInProcess(['report', 'governance', '--since', '2025-02-30', '--ledger', p.ledgerUrl]);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/invalid --since: 2025-02-30 \(a day YYYY-MM-DD/);
    const backwards = await skybookInProcess([
      'report',
      'governance',
      '--since',
      '2025-03-01',
      '--until',
      '2025-02-01',
      '--ledger',
      p.ledgerUrl,
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/invalid --until: 2025-02-01 \(a time after --since 2025-03-01\)/);
    const badYaml = join(p.dir, 'bad-datasets.yaml');
    writeFileSync(badYaml, 'datasets:\n  - name: x\n    paths: [x]\n    source: s\n    licence: l\n    access: everyone\n');
    const yaml = await skybookInProcess(['report', 'governance', '--since', '2020-01-01', '--datasets', badYaml, '--ledger', p.ledgerUrl]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/bad-datasets\.yaml: line 6: col 13: datasets\[0\]\.access: /);
    const none = await skybookInProcess(['report', 'governance', '--since', '2020-01-01', '--datasets', join(p.dir, 'nope.yaml')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nope\.yaml: no such file/);
    expect(existsSync(join(p.dir, 'nope.yaml'))).toBe(false);
  });
});
