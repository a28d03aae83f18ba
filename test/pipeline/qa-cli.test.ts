import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../lib/provenance/index.js';
import { LEDGER_ENV, RunLedger } from '../../lib/store/index.js';
import { skybook } from '../helpers/cli.js';
import { cli, tempDir } from '../store/store-helpers.js';
import { everyCheck, loadZcatTables } from './qa-helpers.js';

const tmp = tempDir();
const db = `duckdb:${join(tmp.dir, 'survey.duckdb')}`;
const at = (name: string) => join(tmp.dir, name);
const savedLedgerEnv = process.env[LEDGER_ENV];

beforeAll(async () => {
  delete process.env[LEDGER_ENV]; // the tests say which ledger, if any
  await loadZcatTables(db);
  writeFileSync(at('good.yaml'), everyCheck('zcat'));
  writeFileSync(at('typo.yaml'), 'checks:\n  - table: zcat\n    columns:\n      Z: { nul_rate: { max: 0 } }\n');
  writeFileSync(
    at('bad.yaml'),
    `${everyCheck('zcat_bad')}  - table: zcat
    name: hostile
    where: "SPECTYPE <> '<script>alert(1)</script>'"
    rows: { max: 10 }
`,
  );
});
afterAll(() => {
  if (savedLedgerEnv !== undefined) process.env[LEDGER_ENV] = savedLedgerEnv;
  tmp.cleanup();
});

describe('skybook qa', () => {
  it('exit 0 when every check passes: a summary, and a JSON report written whole', async () => {
    const r = await cli(['qa', at('good.yaml'), '--db', db, '--report', at('good.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}zcat\.rows: 2000 rows$/m);
    expect(r.stdout).toContain('7 checks, 0 failed (passed)');
    const rep = JSON.parse(readFileSync(at('good.json'), 'utf8'));
    expect(rep).toMatchObject({ checks: at('good.yaml'), store: db, passed: true });
    expect(rep.results.map((x: { name: string }) => x.name)).toEqual([
      'zcat.rows',
      'zcat.Z.null_rate',
      'zcat.Z.nan_rate',
      'zcat.Z.range',
      'zcat.SPECTYPE.enum',
      'zcat.good_redshift_fraction',
      'zcat.Z.drift',
    ]);
    const first = rep.results[0];
    expect(Object.keys(first)).toEqual(['name', 'table', 'column', 'check', 'value', 'threshold', 'passed', 'message']);
    expect(first).toMatchObject({ table: 'zcat', column: null, check: 'rows', value: '2000', threshold: { min: 100, max: 1e7 } });
    expect(typeof rep.results[1].value).toBe('number');
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('exit 1 on a breach: stderr names each failed check and its value; --json prints the report', async () => {
    const r = await cli(['qa', at('bad.yaml'), '--db', db, '--json', '--html', at('bad.html')]);
    expect(r.code).toBe(1);
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^skybook qa: .*bad\.yaml: 8 of 8 checks failed: zcat_bad\.rows = 80: 80 rows, allowed in \[100, 10000000\]; /);
    expect(line).toContain('zcat_bad.Z.range = 2: 2 of 80 rows outside [-0.01, 7]');
    expect(line).toContain('zcat_bad.SPECTYPE.enum = 2: 2 of 80 rows not in {GALAXY, QSO, STAR}: XSO (2)');
    expect(line).toMatch(/zcat_bad\.Z\.drift = 0\.\d+: KS D = /);
    const rep = JSON.parse(r.stdout);
    expect(rep.passed).toBe(false);
    expect(rep.results.filter((x: { passed: boolean }) => !x.passed)).toHaveLength(8);
  });

  it('the HTML report is one self-contained page: failed checks first and marked, everything escaped', async () => {
    const html = readFileSync(at('bad.html'), 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/|<link|src=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const doc = new JSDOM(html).window.document;
    const rows = [...doc.querySelectorAll('tbody tr')];
    expect(rows.map((tr) => tr.getAttribute('data-check'))).toEqual([
      'zcat_bad.rows',
      'zcat_bad.Z.null_rate',
      'zcat_bad.Z.nan_rate',
      'zcat_bad.Z.range',
      'zcat_bad.SPECTYPE.enum',
      'zcat_bad.good_redshift_fraction',
      'zcat_bad.Z.drift',
      'hostile.rows',
    ]);
    expect(rows.every((tr) => tr.className === 'failed' && tr.querySelector('td')!.textContent === 'FAIL')).toBe(true);
    expect(doc.querySelector('.verdict')!.textContent).toBe('failed: 8 of 8 checks');
    const hostile = rows.at(-1)!.querySelectorAll('td');
    expect(hostile[7]!.textContent).toContain("where SPECTYPE <> '<script>alert(1)</script>'");
    // a passing report lists passed rows after failed ones: the good file has only passes
    await cli(['qa', at('good.yaml'), '--db', db, '--html', at('good.html')]);
    const good = new JSDOM(readFileSync(at('good.html'), 'utf8')).window.document;
    expect([...good.querySelectorAll('tbody tr')].every((tr) => tr.className === 'passed')).toBe(true);
  });

  it('exit 2 on a bad checks file (line and column), a missing table, no --db, a missing database', async () => {
    let r = await cli(['qa', at('typo.yaml'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`skybook qa: ${at('typo.yaml')}: line 4: col 12: checks[0].columns.Z: unknown key 'nul_rate'\n`);
    writeFileSync(at('nosuch.yaml'), 'checks:\n  - table: nosuch\n    rows: { min: 1 }\n');
    r = await cli(['qa', at('nosuch.yaml'), '--db', db, '--report', at('nosuch.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/table nosuch: line 2: col 12: no table nosuch in duckdb:/);
    expect(existsSync(at('nosuch.json'))).toBe(false);
    r = await cli(['qa', at('good.yaml')]);
    expect([r.code, r.stderr]).toEqual([2, 'skybook qa: missing --db URL\n']);
    r = await cli(['qa', at('good.yaml'), '--db', `duckdb:${at('absent.duckdb')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
    expect(existsSync(at('absent.duckdb'))).toBe(false);
  });

  it('records a qa row in the ledger --ledger names: the checks file hashed, the reports, the breaches', async () => {
    const ledgerUrl = `duckdb:${at('ledger.duckdb')}`;
    expect((await cli(['qa', at('good.yaml'), '--db', db, '--report', at('l-good.json'), '--ledger', ledgerUrl])).code).toBe(0);
    expect((await cli(['qa', at('bad.yaml'), '--db', db, '--report', at('l-bad.json'), '--ledger', ledgerUrl])).code).toBe(1);
    const ledger = new RunLedger(ledgerUrl);
    const rows = await ledger.runs({ kind: 'qa' });
    await ledger.close();
    expect(rows.map((x) => [x.name, x.status])).toEqual([
      [at('good.yaml'), 'completed'],
      [at('bad.yaml'), 'failed'],
    ]);
    const [good, bad] = rows;
    expect(good!.inputs).toEqual([
      {
        path: expect.stringMatching(/good\.yaml$/),
        sha256: sha256(readFileSync(at('good.yaml'))),
        size: readFileSync(at('good.yaml')).length,
      },
    ]);
    expect(good!.outputs.map((o) => o.path)).toEqual([expect.stringMatching(/l-good\.json$/)]);
    expect(good!.outputs[0]!.sha256).toBe(sha256(readFileSync(at('l-good.json'))));
    expect(good!.error).toBeNull();
    expect(bad!.error).toContain('zcat_bad.Z.range = 2: 2 of 80 rows outside');
    expect(bad!.error).toContain('hostile.rows = ');
    expect(bad!.params).toEqual({ db });
  });

  it('a bare skybook qa records nothing and makes no .skybook/ folder where it runs', async () => {
    const cwd = process.cwd();
    process.chdir(tmp.dir);
    try {
      expect((await cli(['qa', 'good.yaml', '--db', db])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(at('.skybook'))).toBe(false);
  });

  it('the built binary exits 0, 1 and 2 as a stage gate needs (npm run build first)', () => {
    const env = { cwd: tmp.dir };
    expect(skybook(['qa', 'good.yaml', '--db', db], env).code).toBe(0);
    const breach = skybook(['qa', 'bad.yaml', '--db', db], env);
    expect(breach.code).toBe(1);
    expect(breach.stderr).toContain('zcat_bad.Z.null_rate = 0.025: 2 of 80 rows null');
    expect(skybook(['qa', 'typo.yaml', '--db', db], env).code).toBe(2);
    expect(existsSync(at('.skybook'))).toBe(false);
  });
});
