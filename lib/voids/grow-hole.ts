import { GalaxySearch, type GalaxyCells } from './galaxy-cells.js';
import type { HoleGrid } from './hole-grid.js';
import { isOutsideMask, type SurveyMask } from './survey-mask.js';

/**
 * Grows one hole from the centre of a grid cell, as VAST's grow_spheres does (_voidfinder_cython.pyx): the nearest
 * wall galaxy A bounds it; the centre moves away from A until a second galaxy B touches the sphere, then away from the
 * midpoint of A and B until a third C does, then perpendicular to the plane ABC until a fourth does. The hole is
 * dropped (NaN) whenever its centre leaves the survey or a search runs out of the survey without meeting a galaxy.
 *
 * VAST 1.7.6 reads the fourth step's move and failure flag from a variable it never sets (`result`), which reads as 0
 * in its build: its holes stop after the third galaxy (45,246 of its 45,252 DR7 holes have exactly 3 wall galaxies on
 * their surface). `fourthGalaxy: false` (the default) reproduces that; `true` takes the fourth step as intended.
 */
export class HoleGrower {
  private readonly search: GalaxySearch;
  private readonly pts: Float64Array;
  private readonly center = new Float64Array(3);
  private readonly u = new Float64Array(3);
  private readonly bound = new Int32Array(4);
  private readonly alt = new Float64Array(3);

  constructor(
    cells: GalaxyCells,
    private readonly grid: HoleGrid,
    private readonly mask: SurveyMask,
    private readonly fourthGalaxy = false,
  ) {
    this.search = new GalaxySearch(cells);
    this.pts = cells.points;
  }

  /**
   * Grows the hole of cell (i, j, k); writes x, y, z, radius to out at offset, or NaN in all four when there is none.
   */
  grow(i: number, j: number, k: number, out: Float64Array, offset: number): void {
    const { center, u, bound, mask, pts, search } = this;
    const { origin, edge } = this.grid;
    center[0] = (i + 0.5) * edge + origin[0]!;
    center[1] = (j + 0.5) * edge + origin[1]!;
    center[2] = (k + 0.5) * edge + origin[2]!;
    out.fill(Number.NaN, offset, offset + 4);
    if (isOutsideMask(mask, center[0], center[1], center[2])) return;
    const a = search.nearest(center[0], center[1], center[2]);
    if (a < 0) return;
    bound[0] = a;
    const ax = pts[3 * a]!,
      ay = pts[3 * a + 1]!,
      az = pts[3 * a + 2]!;
    // Away from A, through the centre.
    let ex = center[0] - ax,
      ey = center[1] - ay,
      ez = center[2] - az;
    let m = Math.sqrt(ex * ex + ey * ey + ez * ez);
    if (m === 0) {
      // A galaxy exactly at the cell centre: VAST picks a random direction here; we pick +x, so reruns agree.
      ex = 1;
      ey = 0;
      ez = 0;
      m = 1;
    }
    u[0] = ex / m;
    u[1] = ey / m;
    u[2] = ez / m;
    if (!this.step(1)) return;
    const b = search.found;
    bound[1] = b;
    // Away from the midpoint of A and B, through the centre.
    const mx = 0.5 * (ax + pts[3 * b]!),
      my = 0.5 * (ay + pts[3 * b + 1]!),
      mz = 0.5 * (az + pts[3 * b + 2]!);
    ex = center[0] - mx;
    ey = center[1] - my;
    ez = center[2] - mz;
    m = Math.sqrt(ex * ex + ey * ey + ez * ez);
    if (m === 0) {
      // A, the centre and B in a line: VAST turns to AB x (AB rotated one axis along), normalised.
      const vx = ax - pts[3 * b]!,
        vy = ay - pts[3 * b + 1]!,
        vz = az - pts[3 * b + 2]!;
      const wx = vz,
        wy = vx;
      let wz = vy;
      if (wx === wy && wy === wz) wz += 1.0;
      ex = vy * wz - vz * wy;
      ey = vz * wx - vx * wz;
      ez = vx * wy - vy * wx;
      m = Math.sqrt(ex * ex + ey * ey + ez * ez);
    }
    u[0] = ex / m;
    u[1] = ey / m;
    u[2] = ez / m;
    if (!this.step(2)) return;
    const c = search.found;
    bound[2] = c;
    // Perpendicular to the plane ABC, on the side of the centre.
    const abx = ax - pts[3 * b]!,
      aby = ay - pts[3 * b + 1]!,
      abz = az - pts[3 * b + 2]!;
    const bcx = pts[3 * c]! - pts[3 * b]!,
      bcy = pts[3 * c + 1]! - pts[3 * b + 1]!,
      bcz = pts[3 * c + 2]! - pts[3 * b + 2]!;
    const nx = aby * bcz - abz * bcy,
      ny = abz * bcx - abx * bcz,
      nz = abx * bcy - aby * bcx;
    m = Math.sqrt(nx * nx + ny * ny + nz * nz);
    u[0] = nx / m;
    u[1] = ny / m;
    u[2] = nz / m;
    const side = (center[0] - ax) * u[0] + (center[1] - ay) * u[1] + (center[2] - az) * u[2];
    if (side < 0) {
      u[0] = -u[0];
      u[1] = -u[1];
      u[2] = -u[2];
    }
    if (this.fourthGalaxy && !this.fourthStep(side === 0)) return;
    const rx = center[0] - ax,
      ry = center[1] - ay,
      rz = center[2] - az;
    out[offset] = center[0];
    out[offset + 1] = center[1];
    out[offset + 2] = center[2];
    out[offset + 3] = Math.sqrt(rx * rx + ry * ry + rz * rz);
  }

  /** Finds the next bounding galaxy along u and moves the centre to it; false when the hole is lost. */
  private step(nBound: number): boolean {
    const { search, center, u, mask } = this;
    if (!search.nextBounding(center, u, this.bound, nBound, mask)) return false;
    const x = search.moveBy;
    center[0] += x * u[0]!;
    center[1] += x * u[1]!;
    center[2] += x * u[2]!;
    return !isOutsideMask(mask, center[0], center[1], center[2]);
  }

  /**
   * The fourth galaxy, as VAST intends it: along u; when the centre lies in the plane of A, B and C, both ways, and the
   * smaller move of the two that stay in the survey wins (the first on a tie).
   */
  private fourthStep(coplanar: boolean): boolean {
    const { search, center, u, mask, alt } = this;
    if (!coplanar) return this.step(3);
    let move1 = Number.NaN;
    if (search.nextBounding(center, u, this.bound, 3, mask)) {
      const x = search.moveBy;
      if (!isOutsideMask(mask, center[0] + x * u[0]!, center[1] + x * u[1]!, center[2] + x * u[2]!)) move1 = x;
    }
    for (let d = 0; d < 3; d++) alt[d] = -u[d]!;
    let move2 = Number.NaN;
    if (search.nextBounding(center, alt, this.bound, 3, mask)) {
      const x = search.moveBy;
      if (!isOutsideMask(mask, center[0] + x * alt[0]!, center[1] + x * alt[1]!, center[2] + x * alt[2]!)) move2 = x;
    }
    if (Number.isNaN(move1) && Number.isNaN(move2)) return false;
    const useFirst = !Number.isNaN(move1) && (Number.isNaN(move2) || move1 <= move2);
    const x = useFirst ? move1 : move2;
    const dir = useFirst ? u : alt;
    center[0] += x * dir[0]!;
    center[1] += x * dir[1]!;
    center[2] += x * dir[2]!;
    return !isOutsideMask(mask, center[0], center[1], center[2]);
  }
}
