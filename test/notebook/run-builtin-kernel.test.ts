import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

const FIX = join(import.meta.dirname, 'fixtures');

describe('skybook run / verify with the skybook kernel not installed', () => {
  it("use the CLI's own kernel: the notebook runs, and its manifest verifies as identical", async () => {
    // Jupyter's user and extra data dirs point at empty folders: no installed `skybook` kernelspec anywhere
    const empty = mkdtempSync(join(tmpdir(), 'sb-nokernel-'));
    const env = { JUPYTER_PATH: empty, JUPYTER_DATA_DIR: empty };
    const out = join(mkdtempSync(join(tmpdir(), 'sb-builtin-')), 'ts.ipynb');
    const list = await spawnSkybook(['run', join(FIX, 'typescript.ipynb'), '--kernel', 'nosuch', '-o', out], { env }).done;
    expect(list.code).toBe(2);
    expect(list.stderr).not.toMatch(/installed: .*skybook/); // not installed: the built-in is a fallback by name only
    const r = await spawnSkybook(['run', join(FIX, 'typescript.ipynb'), '--kernel', 'skybook', '-o', out], { env }).done;
    expect(r.code, r.stderr).toBe(0);
    const nb = await readNotebook(out);
    expect(nb.metadata.kernelspec?.name).toBe('skybook');
    expect(
      nb.cells
        .filter((c) => c.cell_type === 'code')
        .every((c) => typeof c.execution_count === 'number' || c.metadata.tags?.includes('skip-execution')),
    ).toBe(true);
    const manifest = out.replace(/\.ipynb$/, '.provenance.json');
    expect(existsSync(manifest)).toBe(true);
    const v = await spawnSkybook(['verify', manifest], { env }).done;
    expect(v.code).toBe(0);
    expect(v.stdout + v.stderr).toMatch(/identical/);
  }, 90_000);
});
