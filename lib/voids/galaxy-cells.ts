import type { SurveyMask } from './survey-mask.js';
import { isOutsideMask } from './survey-mask.js';

/**
 * The wall galaxies sorted into cubic cells three hole-grid cells wide (VAST's GalaxyMap): the index hole growing
 * searches shell by shell around a position. Plain typed arrays, so worker threads can share them.
 */
export interface GalaxyCells {
  /** The grid's corner (x, y, z), VAST's grid origin. */
  readonly origin: Float64Array;
  /** Cell edge, Mpc/h (VAST's galaxy_map_grid_edge_length, 3 x the hole-grid cell by default). */
  readonly cellSize: number;
  /** Cells along x, y, z: every galaxy's cell lies inside. */
  readonly dims: Int32Array;
  /** Galaxies of cell c are points[3 * cellStart[c] ..] up to cellStart[c + 1]; c = (i * dims[1] + j) * dims[2] + k. */
  readonly cellStart: Int32Array;
  /** The galaxies, interleaved x y z, cell by cell; within a cell in input order (VAST's galaxy_map_array order). */
  readonly points: Float64Array;
}

/**
 * Sorts galaxies (interleaved x y z, none below the origin) into cells of `cellSize`; each galaxy's cell is
 * int((x - origin) / cellSize) per axis, as VAST computes it. With `shared`, the arrays live in SharedArrayBuffers.
 *
 * @example
 * const cells = buildGalaxyCells(wall, origin, 15);
 */
export function buildGalaxyCells(xyz: Float64Array, origin: Float64Array, cellSize: number, shared = false): GalaxyCells {
  const n = xyz.length / 3;
  const dims = new Int32Array(sharedOrNot(shared, 3 * 4)).fill(1);
  const cellOf = new Int32Array(n);
  const ijk = new Int32Array(3 * n);
  for (let g = 0; g < n; g++) {
    for (let a = 0; a < 3; a++) {
      const c = Math.trunc((xyz[3 * g + a]! - origin[a]!) / cellSize);
      ijk[3 * g + a] = c;
      if (c + 1 > dims[a]!) dims[a] = c + 1;
    }
  }
  const total = dims[0]! * dims[1]! * dims[2]!;
  const cellStart = new Int32Array(sharedOrNot(shared, 4 * (total + 1)));
  for (let g = 0; g < n; g++) {
    const c = (ijk[3 * g]! * dims[1]! + ijk[3 * g + 1]!) * dims[2]! + ijk[3 * g + 2]!;
    cellOf[g] = c;
    cellStart[c + 1]!++;
  }
  for (let c = 0; c < total; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, total);
  const points = new Float64Array(sharedOrNot(shared, 8 * 3 * n));
  for (let g = 0; g < n; g++) {
    const p = fill[cellOf[g]!]!++;
    points[3 * p] = xyz[3 * g]!;
    points[3 * p + 1] = xyz[3 * g + 1]!;
    points[3 * p + 2] = xyz[3 * g + 2]!;
  }
  const o = new Float64Array(sharedOrNot(shared, 3 * 8));
  o.set(origin.subarray(0, 3));
  return { origin: o, cellSize, dims, cellStart, points };
}

function sharedOrNot(shared: boolean, bytes: number): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Cell indices (i, j, k) of a position, truncated toward zero as VAST's int16 cast does. */
function cellOfPosition(cells: GalaxyCells, x: number, y: number, z: number, out: Int32Array): void {
  out[0] = Math.trunc((x - cells.origin[0]!) / cells.cellSize);
  out[1] = Math.trunc((y - cells.origin[1]!) / cells.cellSize);
  out[2] = Math.trunc((z - cells.origin[2]!) / cells.cellSize);
}

/** Cell offsets (di, dj, dk) of each shell, in VAST's order; shared by every search, grown on demand. */
const SHELLS: Int32Array[] = [];

/**
 * The cell offsets of shell `level` in VAST's order (_gen_shell): level 0 is the cell itself; level L walks the two
 * i faces (j, then k, from -L to L; +L before -L), then the two j faces without their i edges, then the two k faces
 * inside both. Which galaxy wins a tie depends on this order, so it is VAST's.
 *
 * @example
 * shellOffsets(1).length / 3; // 26
 */
export function shellOffsets(level: number): Int32Array {
  for (let l = SHELLS.length; l <= level; l++) {
    const out: number[] = [];
    if (l === 0) out.push(0, 0, 0);
    else {
      for (let j = -l; j <= l; j++) for (let k = -l; k <= l; k++) out.push(l, j, k, -l, j, k);
      for (let i = -l + 1; i < l; i++) for (let k = -l; k <= l; k++) out.push(i, l, k, i, -l, k);
      for (let i = -l + 1; i < l; i++) for (let j = -l + 1; j < l; j++) out.push(i, j, l, i, j, -l);
    }
    SHELLS.push(Int32Array.from(out));
  }
  return SHELLS[level]!;
}

/**
 * The distance from a position to the nearest face of the cube covering shells 0..level around cell (ci, cj, ck)
 * (VAST's _gen_shell_boundaries + _min_contain_radius): anything closer to the position than this has been searched.
 */
function searchedRadius(cells: GalaxyCells, c: Int32Array, level: number, x: number, y: number, z: number): number {
  const dl = cells.cellSize;
  const o = cells.origin;
  const half = 0.5 * dl + level * dl;
  const cx = (c[0]! + 0.5) * dl + o[0]!;
  const cy = (c[1]! + 0.5) * dl + o[1]!;
  const cz = (c[2]! + 0.5) * dl + o[2]!;
  return Math.min(
    Math.abs(cx + half - x),
    Math.abs(cy + half - y),
    Math.abs(cz + half - z),
    Math.abs(cx - half - x),
    Math.abs(cy - half - y),
    Math.abs(cz - half - z),
  );
}

/** A shell walk never needs to go past the grid: beyond this level every shell is empty. */
function lastUsefulLevel(cells: GalaxyCells, c: Int32Array): number {
  let m = 0;
  for (let a = 0; a < 3; a++) m = Math.max(m, Math.abs(c[a]!), Math.abs(cells.dims[a]! - 1 - c[a]!));
  return m;
}

/**
 * The searches hole growing makes, with VAST's exact conventions (_voidfinder_cython_find_next.pyx): the nearest
 * galaxy to a position, and the next galaxy a growing sphere meets as its centre moves along a direction. Reuses its
 * scratch arrays; one per thread.
 */
export class GalaxySearch {
  private readonly cell = new Int32Array(3);
  /** The result of the last {@link nextBounding}: the galaxy (an index into cells.points) and how far the centre moves. */
  found = -1;
  moveBy = 0;

  constructor(readonly cells: GalaxyCells) {}

  /**
   * The galaxy nearest to (x, y, z) (VAST's _query_first): shells are searched outward until the nearest distance
   * found is below the distance to the searched cube's nearest face; of equally near galaxies the first met wins.
   * -1 when there are no galaxies.
   */
  nearest(x: number, y: number, z: number): number {
    const { cells, cell } = this;
    const pts = cells.points;
    cellOfPosition(cells, x, y, z, cell);
    const last = lastUsefulLevel(cells, cell);
    let best = -1;
    let bestD2 = Infinity;
    let bestD = Infinity;
    const { dims, cellStart } = cells;
    const ni = dims[0]!,
      nj = dims[1]!,
      nk = dims[2]!;
    const ci = cell[0]!,
      cj = cell[1]!,
      ck = cell[2]!;
    for (let level = 0; ; level++) {
      const reach = searchedRadius(cells, cell, level, x, y, z);
      const shell = shellOffsets(level);
      for (let s = 0; s < shell.length; s += 3) {
        const i = ci + shell[s]!,
          j = cj + shell[s + 1]!,
          k = ck + shell[s + 2]!;
        if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) continue;
        const c = (i * nj + j) * nk + k;
        const end = cellStart[c + 1]!;
        for (let g = cellStart[c]!; g < end; g++) {
          const dx = pts[3 * g]! - x,
            dy = pts[3 * g + 1]! - y,
            dz = pts[3 * g + 2]! - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 < bestD2) {
            best = g;
            bestD2 = d2;
            bestD = Math.sqrt(d2);
          }
        }
      }
      if (bestD < reach || level > last) return best;
    }
  }

  /**
   * Moves a sphere's centre from `start` along the unit vector `u` until its surface, held on the first bounding
   * galaxy `bound[0]`, meets another galaxy (VAST's find_next_bounding_point). The candidate moving the centre least
   * (x = (|g - c|^2 - |A - c|^2) / (2 (g - A) . u), x >= 0, not one of `bound[0..nBound)`) wins, the first met on ties;
   * shells are searched until the winning sphere lies inside the searched cube. If a shell adds no candidate at all
   * and the point start + level * cellSize * u is outside the survey, the growth fails (returns false). On success
   * `found` and `moveBy` hold the galaxy and the distance x.
   */
  nextBounding(start: Float64Array, u: Float64Array, bound: Int32Array, nBound: number, mask: SurveyMask): boolean {
    const { cells, cell } = this;
    const pts = cells.points;
    const sx = start[0]!,
      sy = start[1]!,
      sz = start[2]!;
    const ux = u[0]!,
      uy = u[1]!,
      uz = u[2]!;
    const a = 3 * bound[0]!;
    const ax = pts[a]!,
      ay = pts[a + 1]!,
      az = pts[a + 2]!;
    const amcx = ax - sx,
      amcy = ay - sy,
      amcz = az - sz;
    const aDist2 = amcx * amcx + amcy * amcy + amcz * amcz;
    cellOfPosition(cells, sx, sy, sz, cell);
    let cx = sx,
      cy = sy,
      cz = sz;
    let minX = Infinity;
    let minR2 = Infinity;
    let found = -1;
    const last = lastUsefulLevel(cells, cell);
    const { dims, cellStart } = cells;
    const ni = dims[0]!,
      nj = dims[1]!,
      nk = dims[2]!;
    const ci = cell[0]!,
      cj = cell[1]!,
      ck = cell[2]!;
    for (let level = 0; ; level++) {
      const shell = shellOffsets(level);
      for (let s = 0; s < shell.length; s += 3) {
        const i = ci + shell[s]!,
          j = cj + shell[s + 1]!,
          k = ck + shell[s + 2]!;
        if (i < 0 || j < 0 || k < 0 || i >= ni || j >= nj || k >= nk) continue;
        const c = (i * nj + j) * nk + k;
        const end = cellStart[c + 1]!;
        for (let g = cellStart[c]!; g < end; g++) {
          const gx = pts[3 * g]!,
            gy = pts[3 * g + 1]!,
            gz = pts[3 * g + 2]!;
          const tx = gx - cx,
            ty = gy - cy,
            tz = gz - cz;
          if (tx * tx + ty * ty + tz * tz > minR2) continue;
          const bottom = 2.0 * ((gx - ax) * ux + (gy - ay) * uy + (gz - az) * uz);
          if (bottom === 0.0) continue; // in the plane through A perpendicular to u: A itself, or a duplicate
          const gcx = gx - sx,
            gcy = gy - sy,
            gcz = gz - sz;
          const x = (gcx * gcx + gcy * gcy + gcz * gcz - aDist2) / bottom;
          if (x < 0.0 || !(x < minX)) continue;
          let known = false;
          for (let b = 0; b < nBound; b++) if (bound[b] === g) known = true;
          if (known) continue;
          cx = sx + x * ux;
          cy = sy + x * uy;
          cz = sz + x * uz;
          const rx = cx - ax,
            ry = cy - ay,
            rz = cz - az;
          minR2 = rx * rx + ry * ry + rz * rz;
          minX = x;
          found = g;
        }
      }
      if (found >= 0) {
        const reach = searchedRadius(cells, cell, level, cx, cy, cz);
        if (minR2 < reach * reach || level > last + 1) break;
      } else {
        const step = level * cells.cellSize;
        if (isOutsideMask(mask, sx + step * ux, sy + step * uy, sz + step * uz)) return false;
        if (level > last + 1 && !Number.isFinite(mask.rMax)) return false;
      }
    }
    this.found = found;
    this.moveBy = minX;
    return true;
  }
}
