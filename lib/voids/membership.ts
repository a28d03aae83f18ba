import type { Table } from 'apache-arrow';
import { VoidsError } from '../errors/index.js';
import { type VastCosmology, vastPositions } from './galaxy-positions.js';
import { SphereGrid } from './sphere-grid.js';
import { columnName, float64Column, int32Column } from './table-columns.js';
import { isOutsideMask, type SurveyMask } from './survey-mask.js';
import { VFLAG } from './vflag.js';

/**
 * What classification needs of a void catalogue: its holes (an Arrow table with x, y, z, radius and void columns, as
 * `readVoidCatalogue` and `findVoids` give them) and its survey mask.
 *
 * @example
 * const { holes, mask } = await readVoidCatalogue('DR7_VoidFinder_Output.fits');
 */
export interface HolesAndMask {
  readonly holes: Table;
  readonly mask: SurveyMask;
}

/**
 * Per-galaxy environments: `vflag` (0 wall, 1 void, 2 edge, 9 outside; {@link VFLAG}), `void` (the void id of the
 * largest hole holding the galaxy, -1 when none does), and how many galaxies got each flag.
 *
 * @example
 * const env = galaxyEnvironments(xyz, catalogue); env.counts.void / xyz.length * 3
 */
export interface GalaxyEnvironments {
  vflag: Uint8Array;
  void: Int32Array;
  counts: { wall: number; void: number; edge: number; outside: number };
}

/** How far (Mpc/h) along each axis VAST looks for the survey's edge. */
const EDGE_REACH = 10;

/**
 * The hole index of a catalogue: a grid over its holes, largest first, for "which hole holds this point". Build it
 * once and classify any number of galaxy sets against it.
 *
 * @example
 * const index = holeIndex(catalogue.holes); index.containing(x, y, z);
 */
export function holeIndex(holes: Table): SphereGrid & { readonly voidOf: Int32Array } {
  const where = { hdu: 'HOLES' };
  const grid = new SphereGrid(
    float64Column(holes, 'x', where),
    float64Column(holes, 'y', where),
    float64Column(holes, 'z', where),
    float64Column(holes, 'radius', where),
  );
  const voidOf = columnName(holes, 'void') !== undefined ? int32Column(holes, 'void', where) : new Int32Array(holes.numRows).fill(-1);
  return Object.assign(grid, { voidOf });
}

/**
 * vflag and void of each galaxy, with VAST's vflag.determine_vflag rules exactly: void (1) when some hole holds the
 * galaxy, sqrt((x_hole - x)^2 + (y_hole - y)^2 + (z_hole - z)^2) < radius (strictly); otherwise outside (9) when the
 * survey mask says so (`isOutsideMask`: the angular cell, and the distance limits); otherwise edge (2) when any of the
 * six points 10 Mpc/h away along +-x, +-y, +-z is outside the mask; otherwise wall (0). The holes are indexed
 * (`SphereGrid`), so each galaxy is tested against the few holes near it, not all of them. Positions interleaved x y z,
 * Mpc/h; a galaxy with a NaN coordinate is outside (9).
 *
 * @example
 * const { vflag, void: voidId, counts } = galaxyEnvironments(xyz, await readVoidCatalogue('voids.fits'));
 */
export function galaxyEnvironments(xyz: Float64Array, catalogue: HolesAndMask): GalaxyEnvironments {
  if (xyz.length % 3 !== 0)
    throw new VoidsError(`positions length ${xyz.length} is not a multiple of 3 (x y z per galaxy)`, { scope: 'classifyGalaxies' });
  const n = xyz.length / 3;
  const index = holeIndex(catalogue.holes);
  const mask = catalogue.mask;
  const vflag = new Uint8Array(n);
  const voids = new Int32Array(n);
  const counts = { wall: 0, void: 0, edge: 0, outside: 0 };
  for (let g = 0; g < n; g++) {
    const x = xyz[3 * g]!;
    const y = xyz[3 * g + 1]!;
    const z = xyz[3 * g + 2]!;
    const hole = index.containing(x, y, z);
    voids[g] = hole >= 0 ? index.voidOf[hole]! : -1;
    let flag: number;
    if (hole >= 0) flag = VFLAG.void;
    else if (Number.isNaN(x + y + z) || isOutsideMask(mask, x, y, z)) flag = VFLAG.outside;
    else if (
      isOutsideMask(mask, x - EDGE_REACH, y, z) ||
      isOutsideMask(mask, x + EDGE_REACH, y, z) ||
      isOutsideMask(mask, x, y - EDGE_REACH, z) ||
      isOutsideMask(mask, x, y + EDGE_REACH, z) ||
      isOutsideMask(mask, x, y, z - EDGE_REACH) ||
      isOutsideMask(mask, x, y, z + EDGE_REACH)
    )
      flag = VFLAG.edge;
    else flag = VFLAG.wall;
    vflag[g] = flag;
    if (flag === VFLAG.void) counts.void++;
    else if (flag === VFLAG.outside) counts.outside++;
    else if (flag === VFLAG.edge) counts.edge++;
    else counts.wall++;
  }
  return { vflag, void: voids, counts };
}

/**
 * The vflag of each galaxy (positions interleaved x y z, Mpc/h) against a void catalogue: 1 void, 0 wall, 2 within
 * 10 Mpc/h of the survey edge, 9 outside the mask, exactly as VAST's vflag.determine_vflag decides (see
 * {@link galaxyEnvironments}, which also gives each galaxy's void).
 *
 * @example
 * const flags = classifyGalaxies(xyz, catalogue); // Uint8Array, one flag per galaxy
 */
export function classifyGalaxies(xyz: Float64Array, catalogue: HolesAndMask): Uint8Array {
  return galaxyEnvironments(xyz, catalogue).vflag;
}

/**
 * Galaxies on the sky to classify: degrees and redshift, one entry per galaxy.
 *
 * @example
 * const g: SkyGalaxies = { ra, dec, redshift };
 */
export interface SkyGalaxies {
  ra: ArrayLike<number>;
  dec: ArrayLike<number>;
  redshift: ArrayLike<number>;
}

/**
 * {@link galaxyEnvironments} of galaxies on the sky, with their positions (VAST's conversion: `vastPositions`) and the
 * rows that could not be placed: a NaN, infinite or negative redshift, or a NaN or infinite ra or dec. Those rows get vflag 9 and
 * void -1 and are listed in `invalidRows` (ascending): counted, never dropped.
 *
 * @example
 * const env = classifySkyGalaxies({ ra, dec, redshift }, catalogue, { omegaM: 0.26 });
 * console.log(env.counts, env.invalidRows.length);
 */
export function classifySkyGalaxies(
  galaxies: SkyGalaxies,
  catalogue: HolesAndMask,
  cosmology: VastCosmology = {},
): GalaxyEnvironments & { xyz: Float64Array; invalidRows: Int32Array } {
  const { ra, dec, redshift } = galaxies;
  const n = ra.length;
  if (dec.length !== n || redshift.length !== n)
    throw new VoidsError(`ra (${n}), dec (${dec.length}) and redshift (${redshift.length}) lengths differ`, {
      scope: 'classifySkyGalaxies',
    });
  const invalid: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = redshift[i]!;
    if (!(z >= 0) || z === Infinity || !Number.isFinite(ra[i]!) || !Number.isFinite(dec[i]!)) invalid.push(i);
  }
  const xyz = vastPositions(ra, dec, redshift, cosmology);
  for (const i of invalid) xyz.fill(Number.NaN, 3 * i, 3 * i + 3);
  const env = galaxyEnvironments(xyz, catalogue);
  return { ...env, xyz, invalidRows: Int32Array.from(invalid) };
}
