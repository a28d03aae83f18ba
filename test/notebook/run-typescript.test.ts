import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { readManifest } from '../../lib/provenance/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from './skybook-kernel-env.js';

const FIX = join(import.meta.dirname, 'fixtures');

describe('skybook run --kernel skybook (TypeScript)', () => {
  it('injects typed TypeScript parameters that re-declare the defaults', async () => {
    const env = installSkybookKernel();
    const out = join(mkdtempSync(join(tmpdir(), 'sb-ts-')), 'ts.ipynb');
    const args = [
      'run',
      join(FIX, 'typescript.ipynb'),
      '--kernel',
      'skybook',
      '-p',
      'zmax',
      '2.5',
      '-p',
      'spectype',
      'GALAXY',
      '-p',
      'bins',
      '[3, 4]',
      '-o',
      out,
    ];
    const r = await spawnSkybook(args, { env }).done;
    expect(r.code, r.stderr).toBe(0);
    const nb = await readNotebook(out);
    expect(nb.cells[2]!.source).toBe('// Parameters\nconst zmax = 2.5;\nconst spectype = "GALAXY";\nconst bins = [3, 4];');
    expect(nb.cells[3]!.outputs![0]!.text).toBe('number 2.5 string GALAXY [3,4] false\n');
    expect(nb.cells[4]!.outputs![0]!.data!['text/plain']).toBe('5');
    expect(nb.metadata.kernelspec).toMatchObject({ name: 'skybook', language: 'typescript' });
    const rec = await readManifest(out.replace('.ipynb', '.provenance.json'));
    expect(rec.kernel).toMatchObject({ name: 'skybook', language: 'typescript' });
    expect(rec.parameters).toEqual({ zmax: 2.5, spectype: 'GALAXY', bins: [3, 4] });
  }, 60_000);
});
