import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';
import { tmp } from './curated.js';

// The faults of issue 5 on the skybook TypeScript kernel (test/notebook covers them on python3; the throwing cell on
// skybook is in test/notebook/run-typescript-errors.test.ts): a killed kernel and a cell past its timeout.
let env: { JUPYTER_PATH: string };
beforeAll(() => {
  env = installSkybookKernel();
});

function tsNotebook(dir: string, sources: string[]): string {
  const path = join(dir, 'nb.ipynb');
  writeFileSync(
    path,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' } },
      cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    }),
  );
  return path;
}
const statuses = async (out: string) =>
  (await readNotebook(out)).cells.slice(1).map((c) => (c.metadata.skybook as { status: string }).status);

describe('skybook run --kernel skybook: faults', () => {
  it('the kernel killed mid-run: a clear error, exit 1, banner and the partial notebook', async () => {
    const dir = tmp('kill');
    const nb = tsNotebook(dir, ['console.log("before the crash");', 'process.kill(process.pid, "SIGKILL");', 'console.log("never");']);
    const out = join(dir, 'out.ipynb');
    const r = await spawnSkybook(['run', nb, '-o', out], { env }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/died: kernel skybook: cell 1: kernel died \(signal SIGKILL\)/);
    const cells = (await readNotebook(out)).cells;
    expect(cells[0]!.source).toContain('An exception was encountered at cell 1');
    expect(cells[1]!.outputs![0]!.text).toBe('before the crash\n');
    expect(await statuses(out)).toEqual(['completed', 'failed', 'not-run']);
  }, 120_000);

  // 40 s: the first cell also waits for the checker to parse the preloaded declarations (~20 s on a loaded 2-core box).
  it('a cell past --timeout: interrupted, exit 1, banner, the partial notebook saved', async () => {
    const dir = tmp('timeout');
    const nb = tsNotebook(dir, [
      'console.log("started");',
      'console.log("sleeping");\nawait new Promise((r) => setTimeout(r, 600_000));',
      'console.log("never");',
    ]);
    const out = join(dir, 'out.ipynb');
    const r = await spawnSkybook(['run', nb, '--timeout', '40', '-o', out], { env }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cell 1 ran past its 40 s timeout and was interrupted');
    const cells = (await readNotebook(out)).cells;
    expect(cells[0]!.source).toContain('An exception was encountered at cell 1');
    expect(cells[1]!.outputs![0]!.text).toBe('started\n');
    expect(cells[2]!.outputs![0]!.text).toBe('sleeping\n');
    expect(cells[2]!.outputs!.some((o) => o.output_type === 'error')).toBe(true);
    expect(await statuses(out)).toEqual(['completed', 'failed', 'not-run']);
  }, 120_000);
});
