/**
 * The same catalogue, byte for byte (Arrow IPC), for any number of worker threads and any batch size. Worker threads
 * run the compiled worker, so these tests use the build in dist/ (npm test builds first) and skip without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type * as Voids from '../../lib/voids/index.js';
import { ROOT } from '../helpers/cli.js';
import { fewEmptyCells } from './few-cells-survey.js';
import { syntheticSurvey } from './synthetic-survey.js';

const DIST = join(ROOT, 'dist/lib/voids/index.js');
const HAVE_DIST = existsSync(DIST) && existsSync(join(ROOT, 'dist/lib/voids/hole-worker.js'));
const load = async () => (await import(DIST)) as typeof Voids;

const ipc = (cat: Voids.VoidCatalogue) => [Buffer.from(tableToIPC(cat.maximals)), Buffer.from(tableToIPC(cat.holes))];

describe.skipIf(!HAVE_DIST)('determinism across threads and batch sizes (skipped without a build: npm run build)', () => {
  it('starts real worker threads', async () => {
    const { HoleThreads } = (await import(join(ROOT, 'dist/lib/voids/find-holes.js'))) as typeof import('../../lib/voids/find-holes.js');
    const { buildHoleGrid } = (await import(join(ROOT, 'dist/lib/voids/hole-grid.js'))) as typeof import('../../lib/voids/hole-grid.js');
    const { buildGalaxyCells } = (await import(
      join(ROOT, 'dist/lib/voids/galaxy-cells.js')
    )) as typeof import('../../lib/voids/galaxy-cells.js');
    const s = fewEmptyCells();
    const origin = Float64Array.of(90, -20.5, -20.5);
    const setup = {
      grid: buildHoleGrid(s.xyz, origin, 5, { shared: true }),
      cells: buildGalaxyCells(s.xyz, origin, 15, true),
      mask: s.mask,
      fourthGalaxy: false,
    };
    const pool = HoleThreads.start(setup, 3);
    try {
      expect(pool.workerCount).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it("VAST's synthetic survey: 1, 2 and 4 threads, batches of 4096, 7 and 1e6 cells give the same bytes", async () => {
    const { findVoidsXyz } = await load();
    const s = syntheticSurvey();
    const run = (threads: number, batchSize?: number) =>
      findVoidsXyz(s.wall, s.mask, {
        cell: 1,
        minMaximal: 1,
        wallFieldSplit: false,
        gridOrigin: s.origin,
        threads,
        batchSize,
        progress: false,
      });
    const reference = ipc(await run(1));
    expect((await run(1)).maximals.numRows).toBe(2);
    for (const [threads, batch] of [
      [2, undefined],
      [4, undefined],
      [2, 7],
      [4, 1_000_000],
      [1, 7],
    ] as const)
      expect(ipc(await run(threads, batch)), `${threads} threads, batch ${batch}`).toEqual(reference);
  });

  it('few empty cells (VAST issue #111): 4 threads with batches of 1, 3 and 1e6 cells finish with the same bytes', async () => {
    const { findVoidsXyz } = await load();
    const s = fewEmptyCells();
    const run = (threads: number, batchSize?: number) =>
      findVoidsXyz(s.xyz, s.mask, { wallFieldSplit: false, minMaximal: 5, threads, batchSize, progress: false });
    const reference = await run(1);
    expect(reference.maximals.numRows).toBe(1);
    for (const batch of [1, 3, 1_000_000]) expect(ipc(await run(4, batch)), `batch ${batch}`).toEqual(ipc(reference));
  });
});
