import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skybook } from '../helpers/cli.js';

const NB = join(import.meta.dirname, '../notebook/fixtures/reads-input.ipynb');

describe('skybook verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-verify2-'));
  const catalog = join(dir, 'catalog.txt');
  const out = join(dir, 'run.ipynb');
  const manifest = join(dir, 'run.provenance.json');
  const run = (...extra: string[]) => skybook(['run', NB, '-p', 'catalog', catalog, '--cwd', dir, '-o', out, '--cache', ...extra]);

  it('verify reports identical, then names the first cell that read a changed input', () => {
    writeFileSync(catalog, '1.5\n2.5\n3\n');
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const same = skybook(['verify', manifest]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('identical (5 cells, status completed)');
    // One changed byte in the input: the row count (cell 2) stays, the total (cell 3) changes.
    writeFileSync(catalog, '1.5\n2.5\n4\n');
    const v = skybook(['verify', manifest]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`input changed: ${catalog}`);
    expect(v.stdout).toContain('diverges at cell 3 (id c2): outputs differ');
    expect(v.stdout).toMatch(/^- .*total 7\.0/m);
    expect(v.stdout).toMatch(/^\+ .*total 8\.0/m);
    expect(v.stdout).toContain(`output file differs: ${join(dir, 'total.txt')}`);
  }, 60_000);

  it('verify refuses a file that is not a manifest', () => {
    writeFileSync(join(dir, 'bad.json'), '{"@graph": []}');
    const r = skybook(['verify', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no CreateAction #run in @graph');
  });
});
