import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook, type Notebook } from '../../lib/notebook/index.js';
import { skybook } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtempSync(join(tmpdir(), 'sb-run-'));
const texts = (nb: Notebook) => nb.cells.map((c) => (c.outputs ?? []).map((o) => o.text ?? o.ename ?? o.data?.['text/plain']).join(''));

describe('skybook run (python3 kernel): parameters', () => {
  it('injects typed parameters after the parameters cell and Python sees their types', async () => {
    const out = join(tmp(), 'p.ipynb');
    const r = skybook([
      'run',
      join(FIX, 'params.ipynb'),
      '-p',
      'zmax',
      '2',
      '-p',
      'spectype',
      'GALAXY',
      '-p',
      'nums',
      '[3, 4.5]',
      '-p',
      'opts',
      '{"b": null}',
      '-p',
      'flag',
      'true',
      '-o',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', out, cells: 5, failedCell: null });
    const nb = await readNotebook(out);
    expect(nb.cells[2]!.metadata.tags).toEqual(['injected-parameters']);
    expect(nb.cells[2]!.source).toBe("# Parameters\nzmax = 2\nspectype = 'GALAXY'\nnums = [3, 4.5]\nopts = {'b': None}\nflag = True");
    expect(texts(nb)[3]).toBe("2 int\n'GALAXY' str\n[3, 4.5] {'b': None} True\n");
    expect(texts(nb)[4]).toBe("{'zmax2': 4}");
    expect(nb.metadata.language_info?.name).toBe('python');
  });

  it('reads a YAML params file, with -p taking precedence', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'p.yaml'), 'zmax: 0.5\nspectype: LRG\n');
    const r = skybook(['run', join(FIX, 'params.ipynb'), '-f', join(dir, 'p.yaml'), '-p', 'zmax', '3.25', '-o', join(dir, 'o.ipynb')]);
    expect(r.code, r.stderr).toBe(0);
    expect(texts(await readNotebook(join(dir, 'o.ipynb')))[3]).toMatch(/^3\.25 float\n'LRG' str\n/);
  });

  it('refuses unknown names and mistyped values with exit 2 before starting a kernel', () => {
    const o = join(tmp(), 'x.ipynb');
    const unknown = skybook(['run', join(FIX, 'params.ipynb'), '-p', 'zmx', '1', '-o', o]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("parameter zmx: unknown parameter 'zmx'; known: zmax, spectype, nums, opts, flag, catalog");
    const typed = skybook(['run', join(FIX, 'params.ipynb'), '-p', 'flag', 'maybe', '-o', o]);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toContain('parameter flag: "maybe" is not a bool');
    const none = skybook(['run', join(FIX, 'no-parameters.ipynb'), '-p', 'a', '1', '-o', o]);
    expect(none.stderr).toContain('known: (none: no cell tagged parameters)');
    const kernel = skybook(['run', join(FIX, 'unknown-kernel.ipynb'), '-o', o]);
    expect(kernel.code).toBe(2);
    expect(kernel.stderr).toMatch(/kernel no-such-kernel-xyz: no such kernel; installed: .*python3/);
    expect(skybook(['run', join(FIX, 'params.ipynb'), '--timeout', '0', '-o', o]).stderr).toContain(
      "--timeout must be a positive number of seconds, got '0'",
    );
  });

  it('--help-notebook lists parameters with types and defaults; --prepare-only injects without running', async () => {
    const h = skybook(['run', join(FIX, 'params.ipynb'), '--help-notebook', '--json']);
    expect(JSON.parse(h.stdout).parameters.slice(0, 2)).toEqual([
      { name: 'zmax', type: 'number', default: '1.5' },
      { name: 'spectype', type: 'string', default: "'QSO'" },
    ]);
    const out = join(tmp(), 'prep.ipynb');
    expect(skybook(['run', join(FIX, 'params.ipynb'), '-p', 'zmax', '9', '--prepare-only', '-o', out]).code).toBe(0);
    const nb = await readNotebook(out);
    expect(nb.cells[2]!.source).toBe('# Parameters\nzmax = 9');
    expect(nb.cells.every((c) => !c.outputs?.length)).toBe(true);
  });
});
