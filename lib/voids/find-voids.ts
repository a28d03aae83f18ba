import type { Progress } from '../core/index.js';
import { progressOf } from '../core/index.js';
import { VoidsError } from '../errors/index.js';
import { combineHoles } from './combine-holes.js';
import { cutHoles, growHoles, HoleThreads } from './find-holes.js';
import { buildGalaxyCells } from './galaxy-cells.js';
import { buildHoleGrid } from './hole-grid.js';
import type { HoleJobSetup } from './hole-jobs.js';
import { buildSurveyMask, type SurveyMask } from './survey-mask.js';
import { type DistanceMetric, vastDistances, vastPositions } from './vast-distance.js';
import { type VoidCatalogue, type VoidFinderSettings, type VoidFinderSummary, voidTables } from './void-catalogue.js';
import { volumeProbes } from './volume-cut.js';
import { separateWallField } from './wall-field.js';

/**
 * Galaxies on the sky: ra and dec in degrees, redshift z, one entry per galaxy.
 *
 * @example
 * const galaxies: GalaxyPositions = { ra, dec, z };
 */
export interface GalaxyPositions {
  ra: Float64Array;
  dec: Float64Array;
  z: Float64Array;
}

/** How the void finder runs once positions are known (shared by {@link findVoids} and {@link findVoidsXyz}). */
export interface VoidFinderRunOptions {
  /** Search-grid cell edge, Mpc/h (VAST's hole_grid_edge_length); default 5. */
  cell?: number;
  /** Smallest maximal sphere radius, Mpc/h; default 10. Also sets the mask resolution. */
  minMaximal?: number;
  /** Worker threads for growing and cutting holes; default 1. The output is the same for any number. */
  threads?: number;
  /** Grid cells per batch handed to a thread; default 4096. The output is the same for any size. */
  batchSize?: number;
  /** Take the fourth bounding galaxy VAST intends (default false: VAST 1.7.6 stops at three; see grow-hole.ts). */
  fourthGalaxy?: boolean;
  /** Positions are float32 values (VAST's arithmetic for float32 columns): the grid shape is computed in float32 too. */
  float32?: boolean;
  progress?: Progress | false;
}

/**
 * Options of {@link findVoids}: the redshift range and cosmology, then how to run.
 *
 * @example
 * const options: FindVoidsOptions = { zMin: 0, zMax: 0.1026, omegaM: 0.26, h: 1, cell: 5, minMaximal: 10 };
 */
export interface FindVoidsOptions extends VoidFinderRunOptions {
  /** Nearest redshift of the sample; default the smallest z given. */
  zMin?: number;
  /** Farthest redshift; default the largest z given. */
  zMax?: number;
  /** Omega_M; default 0.3. */
  omegaM?: number;
  /** H0 / 100; default 1 (Mpc/h). */
  h?: number;
  /** Default `comoving`. */
  distanceMetric?: DistanceMetric;
  /** Fill one-cell gaps in the angular mask, as VAST does by default (default true). */
  smoothMask?: boolean;
}

/**
 * Finds voids in a galaxy sample the way VAST's VoidFinder does (VAST 1.7.6, its SDSS DR7 example): distances as VAST
 * computes them (its c, in float32), the survey mask from the galaxies' sky cells, galaxies within the distance limits
 * of [zMin, zMax] split into wall and field by their 3rd-neighbour distance, a hole grown from the centre of every
 * empty cell of a `cell` Mpc/h grid, holes more than 10% outside the survey dropped, and the rest combined into voids
 * around maximal spheres. Throws a VoidsError naming the column and row for a NaN or negative redshift, a NaN angle,
 * or no galaxies.
 *
 * @example
 * const voids = await findVoids({ ra, dec, z }, { zMin: 0, zMax: 0.1026, omegaM: 0.26, threads: 2 });
 * voids.maximals.numRows; // 900-ish for SDSS DR7
 */
export async function findVoids(galaxies: GalaxyPositions, options: FindVoidsOptions = {}): Promise<VoidCatalogue> {
  const { ra, dec, z } = galaxies;
  const n = z.length;
  if (ra.length !== n || dec.length !== n)
    throw new VoidsError(`ra (${ra.length}), dec (${dec.length}) and z (${n}) lengths differ`, { scope: 'findVoids' });
  if (n === 0) throw new VoidsError('no galaxies (an empty table)', { scope: 'findVoids' });
  let zLo = Infinity,
    zHi = -Infinity;
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    if (!Number.isFinite(zi)) throw new VoidsError(`redshift is ${zi}`, { scope: 'findVoids', column: 'z', row: i });
    if (zi < 0) throw new VoidsError(`redshift is negative (${zi})`, { scope: 'findVoids', column: 'z', row: i });
    if (!Number.isFinite(ra[i]!)) throw new VoidsError(`ra is ${ra[i]}`, { scope: 'findVoids', column: 'ra', row: i });
    if (!(dec[i]! >= -90 && dec[i]! <= 90))
      throw new VoidsError(`dec is ${dec[i]} (-90 <= dec <= 90)`, { scope: 'findVoids', column: 'dec', row: i });
    if (zi < zLo) zLo = zi;
    if (zi > zHi) zHi = zi;
  }
  const { omegaM = 0.3, h = 1, distanceMetric = 'comoving', minMaximal = 10, smoothMask = true } = options;
  const zMin = options.zMin ?? zLo;
  const zMax = options.zMax ?? zHi;
  if (!(zMin >= 0) || !(zMax > zMin))
    throw new VoidsError(`invalid redshift range: [${zMin}, ${zMax}] (0 <= zMin < zMax)`, { scope: 'findVoids' });
  const cosmology = { omegaM, h, metric: distanceMetric };
  const limits = vastDistances(Float64Array.of(zMin, zMax), cosmology);
  const rMin = limits[0]!,
    rMax = limits[1]!;
  // VAST's mask takes every galaxy given, whatever its redshift.
  const mask = buildSurveyMask(ra, dec, { rMin, rMax, minMaximalRadius: minMaximal, smooth: smoothMask });
  const r = vastDistances(z, cosmology);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (r[i]! >= rMin && r[i]! <= rMax) keep.push(i);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
  const xyz = vastPositions(pick(ra), pick(dec), pick(r), { float32: options.float32 });
  const catalogue = await findVoidsXyz(xyz, mask, options);
  const settings: VoidFinderSettings = { ...catalogue.settings, omegaM, h, zMin, zMax, distanceMetric };
  const summary = catalogue.summary && { ...catalogue.summary, galaxies: n };
  return { ...catalogue, settings, ...(summary ? { summary } : {}) };
}

/**
 * VoidFinder on galaxies already placed in comoving space (interleaved x y z, Mpc/h, observer at the origin) with a
 * survey mask: the wall/field split and everything after it. {@link findVoids} calls this.
 *
 * @example
 * const voids = await findVoidsXyz(xyz, buildSurveyMask(ra, dec, { rMin: 0, rMax: 301.27 }), { cell: 5 });
 */
export async function findVoidsXyz(xyz: Float64Array, mask: SurveyMask, options: VoidFinderRunOptions = {}): Promise<VoidCatalogue> {
  const { cell = 5, minMaximal = 10, threads = 1, fourthGalaxy = false, float32 = false } = options;
  if (!(cell > 0)) throw new VoidsError(`invalid cell: ${cell} (Mpc/h, > 0)`, { scope: 'findVoids' });
  if (!(minMaximal > 0)) throw new VoidsError(`invalid minMaximal: ${minMaximal} (Mpc/h, > 0)`, { scope: 'findVoids' });
  if (xyz.length === 0)
    throw new VoidsError(`no galaxies within the distance limits [${mask.rMin}, ${mask.rMax}] Mpc/h`, { scope: 'findVoids' });
  const progress = progressOf(options.progress);
  const split = separateWallField(xyz);
  const origin = Float64Array.of(Infinity, Infinity, Infinity);
  for (const set of [split.wall, split.field])
    for (let g = 0; g < set.length; g += 3) for (let a = 0; a < 3; a++) if (set[g + a]! < origin[a]!) origin[a] = set[g + a]!;
  const shared = threads > 1;
  const grid = buildHoleGrid(split.wall, origin, cell, { float32, shared });
  const cells = buildGalaxyCells(split.wall, origin, 3 * cell, shared);
  const sharedMask: SurveyMask = shared ? { ...mask, cells: copyShared(mask.cells) } : mask;
  const setup: HoleJobSetup = { cells, grid, mask: sharedMask, fourthGalaxy };
  const pool = HoleThreads.start(setup, threads);
  let grown: Awaited<ReturnType<typeof growHoles>>;
  let verdicts: Uint8Array;
  try {
    grown = await growHoles(pool, setup, { batchSize: options.batchSize, progress });
    let largest = 0;
    for (let i = 3; i < grown.holes.length; i += 4) if (grown.holes[i]! > largest) largest = grown.holes[i]!;
    verdicts = await cutHoles(pool, grown.holes, volumeProbes(largest), { batchSize: options.batchSize, progress });
  } finally {
    await pool.close();
  }
  const nGrown = grown.holes.length / 4;
  const order: number[] = [];
  for (let i = 0; i < nGrown; i++) if (verdicts[i] !== 2) order.push(i);
  // Largest first; equal radii with the later cell of the walk first (a stable ascending sort, reversed, as VAST's argsort()[::-1] mostly gives).
  order.sort((a, b) => grown.holes[4 * b + 3]! - grown.holes[4 * a + 3]! || grown.walkOrder[b]! - grown.walkOrder[a]!);
  const sorted = new Float64Array(4 * order.length);
  const boundary = new Uint8Array(order.length);
  order.forEach((i, k) => {
    sorted.set(grown.holes.subarray(4 * i, 4 * i + 4), 4 * k);
    boundary[k] = verdicts[i] === 1 ? 1 : 0;
  });
  const combined = combineHoles(sorted, boundary, mask, { minMaximalRadius: minMaximal });
  const { maximals, holes } = voidTables(combined);
  let edgeVoids = 0;
  for (const e of combined.edge) if (e !== 0) edgeVoids++;
  const summary: VoidFinderSummary = {
    galaxies: xyz.length / 3,
    inRange: xyz.length / 3,
    duplicates: split.duplicates,
    wall: split.wall.length / 3,
    field: split.field.length / 3,
    meanSeparation: split.meanSeparation,
    sdSeparation: split.sdSeparation,
    wallLimit: split.limit,
    emptyCells: grown.emptyCells,
    holesGrown: nGrown,
    holesCut: nGrown - order.length,
    uniqueHoles: combined.unique.length / 4,
    maximals: maximals.numRows,
    holes: holes.numRows,
    edgeVoids,
  };
  const settings: VoidFinderSettings = {
    cell,
    minMaximal,
    rMin: mask.rMin,
    rMax: mask.rMax,
    gridOrigin: [origin[0]!, origin[1]!, origin[2]!],
    gridShape: [grid.shape[0]!, grid.shape[1]!, grid.shape[2]!],
    fourthGalaxy,
    float32,
  };
  return { maximals, holes, mask, wall: split.wall, field: split.field, settings, summary };
}

function copyShared(a: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(a.length));
  out.set(a);
  return out;
}
