import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe.skipIf(HAVE_FIXTURES)('skybook cloudy parse', () => {
  it.skip(NO_FIXTURES_MESSAGE, () => {});
});
