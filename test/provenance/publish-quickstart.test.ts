import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';

// Issue 19's acceptance as written: the bundle of 01-quickstart (as the main job runs it), copied to a new folder,
// verifies identical there, with the run's own folder gone.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'sb-publish-quickstart-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('publish then verify 01-quickstart', { timeout: 300_000 }, () => {
  it('the bundle, copied to a new folder, verifies identical', async () => {
    const env = installSkybookKernel();
    const sky = async (args: string[], cwd: string) => spawnSkybook(args, { cwd, env }).done;
    const work = join(root, 'work');
    cpSync(join(ROOT, 'notebooks', '01-quickstart.ipynb'), join(root, '01-quickstart.ipynb'));
    const ran = await sky(
      [
        'run',
        join(root, '01-quickstart.ipynb'),
        '-o',
        join(work, '01-quickstart.ipynb'),
        '--kernel',
        'skybook',
        '-p',
        'preset',
        'small',
        '-p',
        'seed',
        '1',
        '-p',
        'out',
        join(work, 'survey'),
      ],
      root,
    );
    expect(ran.code, ran.stderr).toBe(0);
    const pub = await sky(['publish', join(work, '01-quickstart.provenance.json'), '--out', join(root, 'bundle'), '--json'], root);
    expect(pub.code, pub.stderr).toBe(0);
    const elsewhere = join(root, 'reviewer', 'bundle');
    cpSync(join(root, 'bundle'), elsewhere, { recursive: true });
    rmSync(work, { recursive: true, force: true });
    const v = await sky(['verify', elsewhere, '--json'], join(root, 'reviewer'));
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect((JSON.parse(v.stdout) as { identical: boolean }).identical).toBe(true);
  });
});
