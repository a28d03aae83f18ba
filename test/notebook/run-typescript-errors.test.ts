import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from './skybook-kernel-env.js';

const FIX = join(import.meta.dirname, 'fixtures');

describe('skybook run --kernel skybook: errors', () => {
  it('a throwing TypeScript cell: exit 1, banner, later cells not run; a mistyped parameter is refused', async () => {
    const env = installSkybookKernel();
    const out = join(mkdtempSync(join(tmpdir(), 'sb-ts-')), 'f.ipynb');
    const r = await spawnSkybook(['run', join(FIX, 'typescript-failing.ipynb'), '--kernel', 'skybook', '-o', out], { env }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed: cell 2 raised .*ts boom/);
    const nb = await readNotebook(out);
    expect(nb.cells[0]!.source).toContain('An exception was encountered at cell 2');
    expect(nb.cells[2]!.outputs![0]!.text).toBe('before\n');
    expect((nb.cells[4]!.metadata.skybook as { status: string }).status).toBe('not-run');
    const bad = await spawnSkybook(['run', join(FIX, 'typescript.ipynb'), '-p', 'bins', '{"a": 1}', '-o', out], { env }).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('parameter bins: "{\\"a\\": 1}" is not a list');
  }, 60_000);
});
