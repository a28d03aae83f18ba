import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { skybook } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

const FIX = join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtempSync(join(tmpdir(), 'sb-sig-'));

describe('skybook run: interrupts and kernel death', () => {
  it('SIGINT to the CLI interrupts the kernel and saves what ran, --log-output streams output live', async () => {
    const out = join(tmp(), 'slow.ipynb');
    const run = spawnSkybook(['run', join(FIX, 'slow.ipynb'), '--log-output', '-o', out]);
    await run.waitFor('sleeping');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('started\nsleeping\n');
    expect(r.stderr).toContain('interrupting the kernel; saving what ran');
    expect(r.stderr).toMatch(/interrupted: cell 2 raised KeyboardInterrupt/);
    const nb = await readNotebook(out);
    expect(nb.cells[0]!.source).toContain('An exception was encountered at cell 2');
    const code = nb.cells.slice(1);
    expect(code[1]!.outputs![0]!.text).toBe('started\n');
    expect(code[2]!.outputs!.map((o) => o.text ?? o.ename)).toEqual(['sleeping\n', 'KeyboardInterrupt']);
    expect((code[3]!.metadata.skybook as { status: string }).status).toBe('not-run');
  });

  it('a kernel killed mid-run gives a clear error, exit 1 and the partial notebook', async () => {
    const out = join(tmp(), 'dies.ipynb');
    const r = skybook(['run', join(FIX, 'dies.ipynb'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/died: kernel python3: cell 1: kernel died \(signal SIGKILL\)/);
    const nb = await readNotebook(out);
    expect(nb.cells[0]!.source).toContain('An exception was encountered at cell 1');
    expect(nb.cells[1]!.outputs![0]!.text).toBe('before the crash\n');
    expect(nb.cells.slice(1).map((c) => (c.metadata.skybook as { status: string }).status)).toEqual(['completed', 'failed', 'not-run']);
  });
});
