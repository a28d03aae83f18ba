import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';
import { skybookInProcess } from '../helpers/cli.js';

const DIR = join(FIXTURES, 'cloudy');
const tmp = mkdtempSync(join(tmpdir(), 'skybook-cloudy-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!HAVE_FIXTURES)('skybook cloudy parse', () => {
  it('summarises a main output: version, title, zones, iterations, cautions, stop reason, exit', async () => {
    const r = await skybookInProcess(['cloudy', 'parse', join(DIR, 'c10.00/hii_sphere/hii_sphere.out')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Cloudy 10.00 "HII region, full depth, spherical shell": 82 zones, 1 iterations, 1 cautions, 0 warnings; exited OK',
    );
    expect(r.stdout).toContain('stopped: iteration 1: lowest Te reached');
    expect(r.stdout).toMatch(/\d+ emission lines, 495 ionic column densities/);
  });

  it('--table columns: the ionic column densities as rows (C IV is Carbon 4)', async () => {
    const r = await skybookInProcess(['cloudy', 'parse', join(DIR, 'c10.00/hii_sphere/hii_sphere.out'), '--table', 'columns', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows).toHaveLength(j.ionColumns);
    expect(j.rows.find((x: { ELEMENT: string; ION: number }) => x.ELEMENT === 'Carbon' && x.ION === 4)).toMatchObject({
      LOG_COLUMN: 12.708,
    });
    const onSave = await skybookInProcess(['cloudy', 'parse', join(DIR, 'quickstart/pn.ovr'), '--table', 'columns']);
    expect(onSave.code).toBe(2);
    expect(onSave.stderr).toContain('--table picks a table of a .out');
  });

  it('--json: what the output says and its line table as rows', async () => {
    const r = await skybookInProcess(['cloudy', 'parse', join(DIR, 'trunk-2019/hii_smoke/hii_smoke.out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ kind: 'out', version: '(trunk, exported, experimental)', zones: 1, iterations: 1, exitedOk: true });
    expect(j.stops).toEqual([{ iteration: 1, of: 1, reason: 'NZONE reached' }]);
    expect(j.cautions).toHaveLength(4);
    expect(j.rows.length).toBe(j.lines);
    expect(j.rows.find((x: { LABEL: string; WAVELENGTH: string }) => x.LABEL === 'Bcon' && x.WAVELENGTH === '3640.00A')).toMatchObject({
      LOG_INTENSITY: -0.159,
      KIND: 'intrinsic',
    });
  });

  it('--format parquet and arrow -o OUT: the save grid as a table, written whole', async () => {
    const pq = join(tmp, 'grid.parquet');
    const r = await skybookInProcess(['cloudy', 'parse', join(DIR, 'quickstart/grid_extreme.grd'), '--format', 'parquet', '-o', pq]);
    expect(r.code, r.stderr).toBe(0);
    const wasm = createRequire(import.meta.url)('parquet-wasm/node') as {
      readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array };
    };
    const t = tableFromIPC(wasm.readParquet(readFileSync(pq)).intoIPCStream());
    expect(t.numRows).toBe(162);
    expect(t.get(161)!.toJSON()).toMatchObject({ Index: 161, 'ENERGY DE': 6 });
    const arrow = join(tmp, 'ovr.arrow');
    const a = await skybookInProcess(['cloudy', 'parse', join(DIR, 'c10.00/hii_sphere/hii_sphere.ovr'), '--format', 'arrow', '-o', arrow]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('ovr, 82 rows in 1 block(s), 24 columns (C10 log10 overview, read as linear values)');
    const ovr = tableFromIPC(readFileSync(arrow));
    expect(ovr.getChild('hden')!.get(0)).toBeCloseTo(100, 9);
  });

  it('bad input and bad usage exit 2 naming the file or the option; nothing is written', async () => {
    const out = join(tmp, 'never.parquet');
    const bad = await skybookInProcess([
      'cloudy',
      'parse',
      join(DIR, 'quickstart/BLR_spectrum.in'),
      '--kind',
      'ovr',
      '--format',
      'parquet',
      '-o',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('BLR_spectrum.in: line 1: a data line before the header line');
    expect(existsSync(out)).toBe(false);
    const missing = await skybookInProcess(['cloudy', 'parse', join(tmp, 'none.out')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.out: cannot read it: no such file/);
    expect((await skybookInProcess(['cloudy', 'parse', join(DIR, 'quickstart/pn.ovr'), '--kind', 'xyz'])).code).toBe(2);
    const noOut = await skybookInProcess(['cloudy', 'parse', join(DIR, 'quickstart/pn.ovr'), '--format', 'parquet']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--format parquet needs -o OUT');
  });
});

describe('skybook cloudy deck and cloudy run', () => {
  const STAND_IN = join(import.meta.dirname, '../cloudy/cloudy-stand-in.sh'); // NOT Cloudy: see its header

  it('deck: a YAML specification becomes the deck text, to stdout or -o', async () => {
    const spec = join(tmp, 'bal.yaml');
    writeFileSync(
      spec,
      [
        'title: BAL outflow grid',
        'continua:',
        '  - shape: { kind: table agn }',
        '    intensity: { kind: ionization parameter, log: -1, vary: { from: -2, to: 0, step: 0.5 } }',
        'density: { log: 10 }',
        'stops: [{ kind: column density, log: 19 }]',
        'iterate: convergence',
        'saves: [{ kind: grid, file: x.grd, last: true, noHash: true }]',
      ].join('\n'),
    );
    const r = await skybookInProcess(['cloudy', 'deck', spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'title BAL outflow grid\ntable agn\nionization parameter -1 vary\ngrid -2 0 0.5\nhden 10\nstop column density 19\niterate to convergence\nsave grid "x.grd" last no hash\n',
    );
    const out = join(tmp, 'bal.in');
    expect((await skybookInProcess(['cloudy', 'deck', spec, '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ title: 'a\nb', continua: [], density: { log: 2 } }));
    const b = await skybookInProcess(['cloudy', 'deck', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad\.json: invalid deck: title: the title must be one line.*; continua: a deck needs at least one continuum/);
  });

  it('run: deck files on 2 processes, failures listed and exit 1, a re-run skips what is done; --results and --json', async () => {
    const good = join(tmp, 'good.in');
    const crash = join(tmp, 'crash.in');
    writeFileSync(good, 'title fine\ntable agn\nionization parameter -2\nhden 4\n');
    writeFileSync(crash, 'title stand-in crash\ntable agn\nionization parameter -2\nhden 4\n');
    const out = join(tmp, 'runs');
    const results = join(tmp, 'runs.parquet');
    const r = await skybookInProcess([
      'cloudy',
      'run',
      good,
      crash,
      '--out',
      out,
      '--cloudy',
      STAND_IN,
      '--jobs',
      '2',
      '--results',
      results,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 models: 1 ran, 0 skipped (already done), 1 failed');
    expect(r.stdout).toContain('  crash: crashed: killed by SIGSEGV');
    const wasm = createRequire(import.meta.url)('parquet-wasm/node') as { readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array } };
    const t = tableFromIPC(wasm.readParquet(readFileSync(results)).intoIPCStream());
    expect(t.toArray().map((x) => [x.MODEL, x.STATUS, x.REASON])).toEqual([
      ['good', 'ok', null],
      ['crash', 'failed', 'crashed: killed by SIGSEGV'],
    ]);
    const again = await skybookInProcess(['cloudy', 'run', good, '--out', out, '--cloudy', STAND_IN, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      models: 1,
      ok: 0,
      skipped: 1,
      failed: 0,
      runs: [{ name: 'good', status: 'skipped' }],
    });
    const missing = await skybookInProcess(['cloudy', 'run', good, '--out', out, '--cloudy', join(tmp, 'nope.exe')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cloudy executable not found or not executable: .*nope\.exe/);
  });
});

describe.skipIf(HAVE_FIXTURES)('skybook cloudy parse', () => {
  it.skip(NO_FIXTURES_MESSAGE, () => {});
});
