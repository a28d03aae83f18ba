import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { PIPELINES_OUT, runArgs, skipReason } from '../../scripts/pipeline-plan.js';
import { ROOT } from '../helpers/cli.js';
import { expectSnapshot, manifestSnapshot, notebookSnapshot, type SnapshotContext } from '../helpers/snapshot.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';

// Snapshots of the curated notebooks as `npm run pipelines` runs them: the same plan (scripts/pipeline-plan.ts), the
// skybook kernel, in a fresh folder holding a copy of notebooks/ (01 writes the mock survey 02 and 03 read), each
// notebook once. When the notebooks change on purpose: `npx vitest run test/snapshots/curated.test.ts -u`.
const NAMES = readdirSync(join(ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort()
  .map((f) => f.replace(/\.ipynb$/, ''))
  // As the main job: 08 needs a Ray cluster (test/ray runs it against one of its own).
  .filter((name) => skipReason(name) === undefined);
const SNAPSHOTS = join(import.meta.dirname, 'curated');

let cwd: string;
let ctx: SnapshotContext;
const runs = new Map<string, { code: number | null; stdout: string; stderr: string }>();

beforeAll(async () => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'sb-snap-curated-')));
  cpSync(join(ROOT, 'notebooks'), join(cwd, 'notebooks'), { recursive: true });
  ctx = { cwd, outDir: join(cwd, PIPELINES_OUT) };
  const env = installSkybookKernel();
  for (const name of NAMES) runs.set(name, await spawnSkybook(runArgs(name), { cwd, env }).done);
}, 600_000);
afterAll(() => cwd && rmSync(cwd, { recursive: true, force: true }));

describe.each(NAMES)('snapshot: curated notebook %s as npm run pipelines runs it', (name) => {
  const out = () => join(cwd, PIPELINES_OUT, `${name}.ipynb`);

  it('the run completes', () => {
    const r = runs.get(name)!;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed' });
  });
  it(`executed notebook matches curated/${name}.ipynb.json`, async () => {
    await expectSnapshot(notebookSnapshot(await readNotebook(out()), ctx), join(SNAPSHOTS, `${name}.ipynb.json`));
  });
  it(`manifest matches curated/${name}.provenance.json`, async () => {
    await expectSnapshot(manifestSnapshot(out().replace(/\.ipynb$/, '.provenance.json'), ctx), join(SNAPSHOTS, `${name}.provenance.json`));
  });
});
