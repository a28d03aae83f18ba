import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKernelSpec, readNotebook } from '../../lib/notebook/index.js';
import { expectSnapshot, manifestSnapshot, notebookSnapshot, type SnapshotContext } from '../helpers/snapshot.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';

// Snapshots of a run on each kind of kernel (test/snapshots/README.md says how to update them): the notebook fixture
// is copied into a fresh folder and run there with `skybook run -p ...`, each once per test file.
const FIX = join(import.meta.dirname, 'fixtures');

function havePythonKernel(): boolean {
  try {
    const spec = findKernelSpec('python3');
    return spawnSync(spec.argv[0]!, ['-c', 'import ipykernel'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}
const HAVE_PYTHON = havePythonKernel();
const NO_PYTHON = 'skipped: no python3 kernel with ipykernel (apt-get install python3-ipykernel)';

const folders: string[] = [];
afterAll(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs fixture NAME.ipynb (with `files` beside it) in a fresh folder; the executed notebook goes to out/NAME.ipynb. */
async function runFixture(name: string, files: string[], args: string[], env: NodeJS.ProcessEnv = {}) {
  // The real path: a kernel's getcwd() gives it, and normalisation replaces it by {cwd} (/tmp may be a link).
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'sb-snap-')));
  folders.push(cwd);
  for (const f of [`${name}.ipynb`, ...files]) copyFileSync(join(FIX, f), join(cwd, f));
  mkdirSync(join(cwd, 'out'));
  const out = join(cwd, 'out', `${name}.ipynb`);
  const r = await spawnSkybook(['run', `${name}.ipynb`, '-o', `out/${name}.ipynb`, '--json', ...args], { cwd, env }).done;
  const ctx: SnapshotContext = { cwd, outDir: join(cwd, 'out') };
  return { ...r, out, manifest: join(cwd, 'out', `${name}.provenance.json`), ctx };
}

type Run = Awaited<ReturnType<typeof runFixture>>;

function snapshotTests(name: string, get: () => Run) {
  it('the run completes', () => {
    const r = get();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed' });
  });
  it(`executed notebook matches ${name}.ipynb.json`, async () => {
    const r = get();
    await expectSnapshot(notebookSnapshot(await readNotebook(r.out), r.ctx), join(import.meta.dirname, `${name}.ipynb.json`));
  });
  it(`manifest matches ${name}.provenance.json`, async () => {
    const r = get();
    await expectSnapshot(manifestSnapshot(r.manifest, r.ctx), join(import.meta.dirname, `${name}.provenance.json`));
  });
}

describe.skipIf(!HAVE_PYTHON)(
  HAVE_PYTHON ? 'snapshot: python3 kernel, parameters injected, an input read, a file written' : NO_PYTHON,
  () => {
    let run: Run;
    beforeAll(async () => {
      const params = [
        '-p',
        'catalog',
        'catalog.csv',
        '-p',
        'zmax',
        '2',
        '-p',
        'spectype',
        'GALAXY',
        '-p',
        'bins',
        '[3, 4.5]',
        '-p',
        'verbose',
        'true',
      ];
      run = await runFixture('python-params', ['catalog.csv'], ['--kernel', 'python3', ...params]);
    }, 120_000);
    snapshotTests('python-params', () => run);
  },
);

describe('snapshot: skybook kernel, streams, an Arrow table, a plot, a Plotly figure, expected errors', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runFixture(
      'typescript-display',
      [],
      ['--kernel', 'skybook', '-p', 'rows', '4', '-p', 'label', 'snap'],
      installSkybookKernel(),
    );
  }, 120_000);
  snapshotTests('typescript-display', () => run);
});
