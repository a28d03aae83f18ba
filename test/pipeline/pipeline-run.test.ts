import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RunLedger } from '../../lib/store/index.js';
import { skybook } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

/**
 * Issue 18's acceptance, on the mock survey: a four-stage pipeline (make the survey, export its zcatalog, a notebook that
 * summarises it, a report) run, re-run, edited and broken through the real CLI, with the real skybook kernel.
 */
const dir = mkdtempSync(join(tmpdir(), 'skybook-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ZALL = 'data/survey/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits';
const PIPELINE = `# four stages over the mock survey
stages:
  survey:
    cmd: skybook datasets make --preset small --seed 1 --out data/survey
    outs: [data/survey]
  export:
    cmd: skybook fits export ${ZALL} --hdu ZCATALOG --format csv --columns TARGETID,Z,SPECTYPE,ZWARN -o data/zcat.csv
    deps: [data/survey, config/export.txt]
    outs: [data/zcat.csv]
  summary:
    notebook: notebooks/summary.ipynb
    params: { zcat: data/zcat.csv, cuts: config/cuts.json, out: data/summary.json }
    deps: [data/zcat.csv, config/cuts.json]
    outs: [data/summary.json]
  report:
    cmd: node report.mjs
    deps: [data/summary.json, report.mjs]
    outs: [report/report.md]
`;

const code = (source: string, tags: string[] = []) => ({
  cell_type: 'code',
  execution_count: null,
  metadata: tags.length ? { tags } : {},
  outputs: [],
  source,
});
function summaryNotebook(extraComment = ''): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' },
      language_info: { name: 'typescript' },
    },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: `# Summary${extraComment ? ' (edited prose)' : ''}` },
      code("const zcat = 'data/zcat.csv';\nconst cuts = 'config/cuts.json';\nconst out = 'data/summary.json';", ['parameters']),
      code(
        `import { readFileSync, writeFileSync } from 'node:fs';${extraComment}\n` +
          "const { zmin } = JSON.parse(readFileSync(cuts, 'utf8'));\n" +
          "const rows = readFileSync(zcat, 'utf8').trim().split('\\n').slice(1).map((l) => l.split(','));\n" +
          'const kept = rows.filter((r) => Number(r[1]) >= zmin && r[3] === "0");\n' +
          "writeFileSync(out, JSON.stringify({ zmin, rows: rows.length, kept: kept.length }) + '\\n');\n" +
          'kept.length',
      ),
    ],
  });
}

const stagesOf = (stdout: string) =>
  (JSON.parse(stdout) as { stages: { name: string; status: string; reason: string }[] }).stages.map((s) => [s.name, s.status]);
const ran = (stdout: string) =>
  stagesOf(stdout)
    .filter(([, s]) => s === 'ran')
    .map(([n]) => n);
const run = (...args: string[]) => skybook(['pipeline', 'run', '--json', ...args], { cwd: dir, timeoutMs: 600_000 });

beforeAll(() => {
  mkdirSync(join(dir, 'config'), { recursive: true });
  mkdirSync(join(dir, 'notebooks'), { recursive: true });
  writeFileSync(join(dir, 'skybook.pipeline.yaml'), PIPELINE);
  writeFileSync(join(dir, 'config/export.txt'), 'columns: TARGETID,Z,SPECTYPE,ZWARN\n');
  writeFileSync(join(dir, 'config/cuts.json'), '{"zmin": 0.05}\n');
  writeFileSync(join(dir, 'notebooks/summary.ipynb'), summaryNotebook());
  writeFileSync(
    join(dir, 'report.mjs'),
    "import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';\n" +
      "const s = JSON.parse(readFileSync('data/summary.json', 'utf8'));\n" +
      "mkdirSync('report', { recursive: true });\n" +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the report script's own template literal
      'writeFileSync("report/report.md", `# Report\\n${s.kept} of ${s.rows} redshifts above z = ${s.zmin}\\n`);\n',
  );
});

describe('a four-stage pipeline on the mock survey', { timeout: 300_000 }, () => {
  it('runs every stage the first time, and writes the lock and the ledger', () => {
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(stagesOf(r.stdout)).toEqual([
      ['survey', 'ran'],
      ['export', 'ran'],
      ['summary', 'ran'],
      ['report', 'ran'],
    ]);
    const summary = JSON.parse(readFileSync(join(dir, 'data/summary.json'), 'utf8')) as { rows: number; kept: number };
    expect(summary.rows).toBe(15060);
    expect(readFileSync(join(dir, 'report/report.md'), 'utf8')).toContain(`${summary.kept} of 15060`);
    const lock = readFileSync(join(dir, 'skybook.lock'), 'utf8');
    for (const s of ['survey:', 'export:', 'summary:', 'report:', 'code:', 'sha256:']) expect(lock).toContain(s);
    expect(existsSync(join(dir, 'runs/summary.provenance.json'))).toBe(true);
  });

  it('skips every stage the second time', () => {
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(ran(r.stdout)).toEqual([]);
    expect((JSON.parse(r.stdout) as { stages: { reason: string }[] }).stages.every((s) => s.reason === 'up to date')).toBe(true);
    const status = skybook(['pipeline', 'status'], { cwd: dir });
    expect(status.stdout).toBe('all 4 stages up to date\n');
  });

  it('a changed dep re-runs exactly the stages downstream of it', () => {
    writeFileSync(join(dir, 'config/cuts.json'), '{"zmin": 0.1}\n');
    const status = JSON.parse(skybook(['pipeline', 'status', '--json'], { cwd: dir }).stdout) as {
      name: string;
      state: string;
      reasons: string[];
    }[];
    expect(status.map((s) => [s.name, s.state])).toEqual([
      ['survey', 'up to date'],
      ['export', 'up to date'],
      ['summary', 'stale'],
      ['report', 'upstream stale'],
    ]);
    expect(status[2]!.reasons[0]).toMatch(/^dep config\/cuts\.json changed \(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\)$/);
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(ran(r.stdout)).toEqual(['summary', 'report']);
    expect(readFileSync(join(dir, 'report/report.md'), 'utf8')).toContain('above z = 0.1');
  });

  it('a comment-only edit of the notebook re-runs nothing (nor does a prose edit)', () => {
    writeFileSync(join(dir, 'notebooks/summary.ipynb'), summaryNotebook('   // read with node:fs, no Arrow needed'));
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(ran(r.stdout)).toEqual([]);
  });

  it('a stage whose re-run writes the same bytes stops the cascade there (early cut-off)', () => {
    writeFileSync(join(dir, 'config/export.txt'), 'columns: TARGETID, Z, SPECTYPE, ZWARN   # spaced out\n');
    const r = run();
    expect(r.code, r.stderr).toBe(0);
    expect(ran(r.stdout)).toEqual(['export']);
    const stages = (JSON.parse(r.stdout) as { stages: { name: string; reason: string }[] }).stages;
    expect(stages.find((s) => s.name === 'summary')!.reason).toBe('up to date');
  });

  it('--force re-runs the named stage, and the ledger holds every stage run under its pipeline run', async () => {
    const r = run('report', '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(ran(r.stdout)).toEqual(['report']);
    const ledger = new RunLedger(`duckdb:${join(dir, '.skybook/ledger.duckdb')}`);
    const pipelines = await ledger.runs({ kind: 'pipeline' });
    expect(pipelines).toHaveLength(6);
    expect(pipelines.every((p) => p.status === 'completed')).toBe(true);
    const stages = await ledger.runs({ kind: 'stage' });
    expect(stages.map((s) => s.name)).toEqual(['survey', 'export', 'summary', 'report', 'summary', 'report', 'export', 'report']);
    const last = stages.at(-1)!;
    expect(last.parent).toBe(pipelines.at(-1)!.runId);
    expect(last.inputs.map((i) => i.path)).toEqual(['data/summary.json', 'report.mjs']);
    expect(last.outputs[0]!.path).toBe('report/report.md');
    // The notebook stage's own `skybook run` recorded its run too, under the stage's row.
    const notebooks = await ledger.runs({ kind: 'notebook' });
    const summaryStages = stages.filter((s) => s.name === 'summary').map((s) => s.runId);
    expect(notebooks.map((n) => n.parent)).toEqual(summaryStages);
  });

  it('refuses a cycle and a missing dep with errors that name them', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(
      join(bad, 'cycle.yaml'),
      'stages:\n  a:\n    cmd: cp b.txt a.txt\n    deps: [b.txt]\n    outs: [a.txt]\n  b:\n    cmd: cp a.txt b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n',
    );
    const cycle = skybook(['pipeline', 'run', '-f', 'bad/cycle.yaml'], { cwd: dir });
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/bad\/cycle\.yaml: a cycle: a -> b -> a/);
    writeFileSync(join(bad, 'missing.yaml'), 'stages:\n  a:\n    cmd: cp nowhere.txt a.txt\n    deps: [nowhere.txt]\n    outs: [a.txt]\n');
    const missing = skybook(['pipeline', 'run', '-f', 'bad/missing.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/bad\/missing\.yaml: stage a: missing dep nowhere\.txt/);
    writeFileSync(join(bad, 'typo.yaml'), 'stages:\n  a:\n    cmd: echo hi\n    dep: [x]\n');
    const typo = skybook(['pipeline', 'status', '-f', 'bad/typo.yaml'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/bad\/typo\.yaml: line 4: col 5: stages\.a/);
  });

  it('refuses a stage that does not write its out, and keeps the old one', () => {
    const d = join(dir, 'noout');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'in.txt'), 'one');
    writeFileSync(
      join(d, 'p.yaml'),
      'stages:\n  copy:\n    cmd: test -f skip || cp in.txt out.txt\n    deps: [in.txt]\n    outs: [out.txt]\n',
    );
    expect(skybook(['pipeline', 'run', '-f', 'p.yaml'], { cwd: d }).code).toBe(0);
    writeFileSync(join(d, 'in.txt'), 'two');
    writeFileSync(join(d, 'skip'), '');
    const r = skybook(['pipeline', 'run', '-f', 'p.yaml', '--json'], { cwd: d });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { stages: { status: string; reason: string }[] }).stages[0]).toMatchObject({
      status: 'failed',
      reason: 'out not produced: out.txt; old outs kept',
    });
    expect(readFileSync(join(d, 'out.txt'), 'utf8')).toBe('one');
  });
});

/** A failed assertion must not leave the runner or its `sleep 600` stage behind. */
function stopAll(runner: number | undefined, d: string): void {
  const pids = [runner];
  try {
    pids.push(Number(readFileSync(join(d, 'slow.pid'), 'utf8')));
  } catch {
    // the stage never started
  }
  for (const pid of pids)
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
}

describe('a stage killed mid-run', { timeout: 120_000 }, () => {
  const d = join(dir, 'killed');
  const SLOW = `stages:
  slow:
    cmd: if [ -f go-slow ]; then printf partial > out/a.txt; echo $$ > slow.pid; echo "started $$"; exec sleep 600; else cp input.txt out/a.txt; fi
    deps: [input.txt]
    outs: [out/a.txt]
`;
  beforeAll(() => {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'skybook.pipeline.yaml'), SLOW);
    writeFileSync(join(d, 'input.txt'), 'v1');
  });

  it('leaves its old outs intact and the ledger says interrupted (the stage killed)', async () => {
    expect(skybook(['pipeline', 'run'], { cwd: d }).code).toBe(0);
    expect(readFileSync(join(d, 'out/a.txt'), 'utf8')).toBe('v1');
    writeFileSync(join(d, 'input.txt'), 'v2');
    writeFileSync(join(d, 'go-slow'), '');
    const r = spawnSkybook(['pipeline', 'run'], { cwd: d });
    onTestFinished(() => stopAll(r.child.pid, d));
    await r.waitFor(/\[slow\] started \d+/);
    // The stage wrote its pid before it said `started` (and `exec sleep` keeps that pid).
    const stageProcess = Number(readFileSync(join(d, 'slow.pid'), 'utf8'));
    process.kill(stageProcess, 'SIGKILL');
    const done = await r.done;
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/slow: failed \(interrupted \(SIGKILL\); old outs kept/);
    expect(readFileSync(join(d, 'out/a.txt'), 'utf8')).toBe('v1');
    const rows = await new RunLedger(`duckdb:${join(d, '.skybook/ledger.duckdb')}`).runs({ kind: 'stage' });
    expect(rows.at(-1)!.status).toBe('interrupted');
  });

  it('leaves its old outs intact when the runner itself is killed (-9), and the ledger says interrupted', async () => {
    const r = spawnSkybook(['pipeline', 'run'], { cwd: d });
    onTestFinished(() => stopAll(r.child.pid, d));
    await r.waitFor(/\[slow\] started \d+/);
    // The stage wrote its pid before it said `started` (and `exec sleep` keeps that pid).
    const stageProcess = Number(readFileSync(join(d, 'slow.pid'), 'utf8'));
    r.child.kill('SIGKILL');
    await r.done;
    process.kill(stageProcess, 'SIGKILL');
    // The runner died with the old out stashed and a partial one in place: the next look puts the old one back.
    const status = skybook(['pipeline', 'status', '--json'], { cwd: d });
    expect(status.code).toBe(0);
    expect(readFileSync(join(d, 'out/a.txt'), 'utf8')).toBe('v1');
    const rows = await new RunLedger(`duckdb:${join(d, '.skybook/ledger.duckdb')}`).runs();
    expect(rows.at(-1)!.kind).toBe('stage');
    expect(rows.at(-1)!.status).toBe('interrupted');
    expect(rows.filter((x) => x.kind === 'pipeline').at(-1)!.status).toBe('interrupted');
    rmSync(join(d, 'go-slow'));
    const again = skybook(['pipeline', 'run', '--json'], { cwd: d });
    expect(again.code).toBe(0);
    expect(readFileSync(join(d, 'out/a.txt'), 'utf8')).toBe('v2');
  });
});
