import type { GalaxyCells } from './galaxy-cells.js';
import type { HoleGrower } from './grow-hole.js';
import { zigZagCell, type HoleGrid } from './hole-grid.js';
import type { SurveyMask } from './survey-mask.js';
import { cutHole, type VolumeProbes } from './volume-cut.js';

/**
 * Everything a thread needs to grow holes and cut them: the galaxy cells, the search grid and the mask (shareable
 * typed arrays), and how to grow.
 */
export interface HoleJobSetup {
  readonly cells: GalaxyCells;
  readonly grid: HoleGrid;
  readonly mask: SurveyMask;
  readonly fourthGalaxy: boolean;
}

/**
 * Grows the holes of the grid cells at positions [start, end) of VAST's snake walk, skipping cells that hold a wall
 * galaxy. Returns the holes found, 5 numbers each: the walk position, x, y, z, radius. Every cell's hole depends on
 * that cell alone, so any split of the walk into batches, on any threads, gives the same holes.
 *
 * @example
 * const found = growBatch(setup, new HoleGrower(...), 0, 4096);
 */
export function growBatch(setup: HoleJobSetup, grower: HoleGrower, start: number, end: number): Float64Array {
  const { grid } = setup;
  const ijk = new Int32Array(3);
  const row = new Float64Array(4);
  const out: number[] = [];
  const nj = grid.shape[1]!,
    nk = grid.shape[2]!;
  for (let seq = start; seq < end; seq++) {
    zigZagCell(seq, grid.shape, ijk);
    if (grid.occupied[(ijk[0]! * nj + ijk[1]!) * nk + ijk[2]!]) continue;
    grower.grow(ijk[0]!, ijk[1]!, ijk[2]!, row, 0);
    if (Number.isNaN(row[0]!)) continue;
    out.push(seq, row[0]!, row[1]!, row[2]!, row[3]!);
  }
  return Float64Array.from(out);
}

/** How many grid cells in [start, end) of the walk are empty (where holes are grown). */
export function emptyCellsIn(grid: HoleGrid, start: number, end: number): number {
  const ijk = new Int32Array(3);
  const nj = grid.shape[1]!,
    nk = grid.shape[2]!;
  let n = 0;
  for (let seq = start; seq < end; seq++) {
    zigZagCell(seq, grid.shape, ijk);
    if (!grid.occupied[(ijk[0]! * nj + ijk[1]!) * nk + ijk[2]!]) n++;
  }
  return n;
}

/** The volume cut's verdict (0 keep, 1 keep on the edge, 2 drop) for holes [start, end) of x y z r rows. */
export function cutBatch(probes: VolumeProbes, mask: SurveyMask, holes: Float64Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  for (let i = start; i < end; i++)
    out[i - start] = cutHole(probes, mask, holes[4 * i]!, holes[4 * i + 1]!, holes[4 * i + 2]!, holes[4 * i + 3]!);
  return out;
}

/** A job for a hole thread, and its answer. */
export type HoleJob =
  | { kind: 'grow'; batch: number; start: number; end: number }
  | { kind: 'cut'; batch: number; start: number; end: number; probes: VolumeProbes; holes: Float64Array };
export type HoleJobResult = { batch: number; grown: Float64Array } | { batch: number; verdicts: Uint8Array } | { error: string };

/** Runs one job against a setup (what a worker thread does with each message). */
export function runJob(setup: HoleJobSetup, grower: HoleGrower, job: HoleJob): HoleJobResult {
  if (job.kind === 'grow') return { batch: job.batch, grown: growBatch(setup, grower, job.start, job.end) };
  return { batch: job.batch, verdicts: cutBatch(job.probes, setup.mask, job.holes, job.start, job.end) };
}
