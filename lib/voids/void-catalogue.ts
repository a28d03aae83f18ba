import { type Table, tableFromArrays } from 'apache-arrow';
import type { CombinedHoles } from './combine-holes.js';
import type { SurveyMask } from './survey-mask.js';
import type { DistanceMetric } from './vast-distance.js';

/**
 * What produced a void catalogue. Every field is optional: a catalogue read from a foreign file (VAST's own output,
 * DESIVAST) knows only some of them.
 *
 * @example
 * const s: VoidFinderSettings = { omegaM: 0.26, h: 1, zMin: 0, zMax: 0.1026, cell: 5, minMaximal: 10 };
 */
export interface VoidFinderSettings {
  omegaM?: number;
  h?: number;
  zMin?: number;
  zMax?: number;
  distanceMetric?: DistanceMetric;
  /** Search-grid cell, Mpc/h (VAST's hole_grid_edge_length). */
  cell?: number;
  /** Smallest maximal sphere, Mpc/h (VAST's min_maximal_radius). */
  minMaximal?: number;
  /** Distance limits, Mpc/h (DLIML, DLIMU). */
  rMin?: number;
  rMax?: number;
  /** The search grid's corner (VAST's grid origin) and its shape in cells. */
  gridOrigin?: readonly [number, number, number];
  gridShape?: readonly [number, number, number];
  /** Whether holes took VAST's intended fourth bounding galaxy (false: as VAST 1.7.6 runs, three). */
  fourthGalaxy?: boolean;
  /** Whether positions were computed in single precision (as VAST does for float32 columns). */
  float32?: boolean;
}

/**
 * The counts of a VoidFinder run, stage by stage.
 *
 * @example
 * `${s.wall} wall + ${s.field} field, ${s.maximals} voids`
 */
export interface VoidFinderSummary {
  /** Galaxies given, and those within the distance limits. */
  galaxies: number;
  inRange: number;
  /** Galaxies dropped because another sits at the same position (every copy, as VAST). */
  duplicates: number;
  wall: number;
  field: number;
  /** Mean and standard deviation of the 3rd-neighbour distance, and the wall limit (Mpc/h). */
  meanSeparation: number;
  sdSeparation: number;
  wallLimit: number;
  /** Search-grid cells with no wall galaxy, holes grown in them, holes the volume cut dropped, holes after removing duplicates. */
  emptyCells: number;
  holesGrown: number;
  holesCut: number;
  uniqueHoles: number;
  maximals: number;
  holes: number;
  edgeVoids: number;
}

/**
 * A VoidFinder void catalogue in VAST's tables: MAXIMALS (x, y, z, radius, void, edge, r, ra, dec) and HOLES (x, y, z,
 * radius, void), positions in Mpc/h and angles in degrees, with the survey mask, the wall and field galaxies and the
 * settings that made it.
 *
 * @example
 * const cat = await findVoids({ ra, dec, z }, { zMax: 0.1026, omegaM: 0.26 });
 * cat.maximals.numRows; // the number of voids
 */
export interface VoidCatalogue {
  /** One row per void: its maximal sphere; x, y, z, radius (float64), void (int32), edge (int32), r, ra, dec (float64). */
  readonly maximals: Table;
  /** Every hole in a void, the maximals included: x, y, z, radius (float64), void (int32), largest first as VAST writes them. */
  readonly holes: Table;
  readonly mask: SurveyMask;
  /** Wall galaxies, interleaved x y z (may be empty when read from a file without WALL). */
  readonly wall: Float64Array;
  /** Field galaxies, interleaved x y z. */
  readonly field: Float64Array;
  readonly settings: VoidFinderSettings;
  /** Stage-by-stage counts, when the catalogue was found here. */
  readonly summary?: VoidFinderSummary;
}

const DEG_PER_RAD = 180 / Math.PI;

/**
 * VAST's MAXIMALS and HOLES tables from combined holes. The maximals get r, ra, dec as VAST's xyz_to_radecz computes
 * them: ra = atan(y / x), plus 180 when x < 0 and y != 0 (so it can be negative, as in VAST's files), dec = asin(z / r).
 *
 * @example
 * const { maximals, holes } = voidTables(combined);
 */
export function voidTables(combined: CombinedHoles): { maximals: Table; holes: Table } {
  const { unique, maximals: mIdx, holes: hIdx, holeVoid, edge } = combined;
  const m = mIdx.length;
  const cols = {
    x: new Float64Array(m),
    y: new Float64Array(m),
    z: new Float64Array(m),
    radius: new Float64Array(m),
    void: new Int32Array(m),
    edge: new Int32Array(m),
    r: new Float64Array(m),
    ra: new Float64Array(m),
    dec: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    const i = mIdx[k]!;
    const x = unique[4 * i]!,
      y = unique[4 * i + 1]!,
      z = unique[4 * i + 2]!;
    cols.x[k] = x;
    cols.y[k] = y;
    cols.z[k] = z;
    cols.radius[k] = unique[4 * i + 3]!;
    cols.void[k] = k;
    cols.edge[k] = edge[k]!;
    const r = Math.sqrt(x * x + y * y + z * z);
    cols.r[k] = r;
    let ra = Math.atan(y / x) * DEG_PER_RAD;
    if (y !== 0 && x < 0) ra += 180;
    cols.ra[k] = ra;
    cols.dec[k] = Math.asin(z / r) * DEG_PER_RAD;
  }
  const n = hIdx.length;
  const hc = {
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    radius: new Float64Array(n),
    void: new Int32Array(n),
  };
  for (let t = 0; t < n; t++) {
    const i = hIdx[t]!;
    hc.x[t] = unique[4 * i]!;
    hc.y[t] = unique[4 * i + 1]!;
    hc.z[t] = unique[4 * i + 2]!;
    hc.radius[t] = unique[4 * i + 3]!;
    hc.void[t] = holeVoid[t]!;
  }
  return { maximals: tableFromArrays(cols), holes: tableFromArrays(hc) };
}
