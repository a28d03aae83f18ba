import { VoidsError } from '../errors/index.js';

/** Most grid cells a SphereGrid allocates; a coarser cell is chosen beyond it. */
const MAX_CELLS = 1 << 24;

/**
 * An index of spheres (void holes) for "which spheres contain this point": a uniform grid whose every cell lists the
 * spheres that reach into it, largest first. A point's candidates are the list of its one cell, so a query costs a few
 * distance tests, not one per sphere; `containing` then applies VAST's own test, sqrt(dx^2 + dy^2 + dz^2) < radius, so
 * the answer is the brute-force answer exactly. (A k-d tree over the centres answers "points near a point"; this
 * answers "spheres around a point", which is what classifying galaxies asks, without a per-query search radius.)
 *
 * @example
 * const grid = new SphereGrid(x, y, z, radius);
 * grid.containing(10, -200, 35); // index of the largest hole holding the point, or -1
 */
export class SphereGrid {
  /** Edge of a cell, Mpc/h. */
  readonly cell: number;
  private readonly origin: [number, number, number];
  private readonly dims: [number, number, number];
  /** CSR lists: the spheres of cell c are entries[start[c] .. start[c + 1]). */
  private readonly start: Uint32Array;
  private readonly entries: Int32Array;

  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
    private readonly z: Float64Array,
    private readonly radius: Float64Array,
    options: { cell?: number } = {},
  ) {
    const n = x.length;
    if (y.length !== n || z.length !== n || radius.length !== n)
      throw new VoidsError(`x, y, z, radius lengths differ (${n}, ${y.length}, ${z.length}, ${radius.length})`, { scope: 'SphereGrid' });
    for (let i = 0; i < n; i++) {
      if (!(radius[i]! >= 0) || !Number.isFinite(radius[i]!))
        throw new VoidsError(`radius ${radius[i]} (a finite distance >= 0)`, { scope: 'SphereGrid', column: 'radius', row: i });
      if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!) || !Number.isFinite(z[i]!))
        throw new VoidsError(`centre (${x[i]}, ${y[i]}, ${z[i]}) is not finite`, { scope: 'SphereGrid', row: i });
    }
    const lo: [number, number, number] = [Infinity, Infinity, Infinity];
    const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    const sorted = Float64Array.from(radius).sort();
    for (let i = 0; i < n; i++) {
      const r = radius[i]!;
      const c = [x[i]!, y[i]!, z[i]!];
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, c[a]! - r);
        hi[a] = Math.max(hi[a]!, c[a]! + r);
      }
    }
    // A cell about the median radius keeps both the cells a hole covers (~(2r/cell + 1)^3) and the holes per cell small.
    let cell = options.cell ?? Math.max(n ? sorted[n >> 1]! : 1, 1e-3);
    if (n === 0) {
      lo.fill(0);
      hi.fill(0);
    }
    const span = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
    const cellsFor = (c: number) => span.map((s) => Math.max(1, Math.ceil(s / c) + 1)) as [number, number, number];
    while (cellsFor(cell).reduce((a, b) => a * b, 1) > MAX_CELLS) cell *= 1.5;
    this.cell = cell;
    this.origin = lo;
    this.dims = cellsFor(cell);

    // Largest spheres first in every cell: a point inside several holes is answered by the first test, and the
    // answer ("the largest hole holding it", ties to the lower index) does not depend on the grid.
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => radius[b]! - radius[a]! || a - b);
    const [nx, ny, nz] = this.dims;
    const counts = new Uint32Array(nx * ny * nz + 1);
    const visit = (i: number, add: (cellIndex: number) => void) => {
      const r = radius[i]!;
      const cx = x[i]!;
      const cy = y[i]!;
      const cz = z[i]!;
      // A cell is listed when the sphere comes within r + 1e-7 cell of its box: a little wider than the sphere, so a
      // point that rounding puts in the next cell over still finds every hole the exact test would accept.
      const reach = r + 1e-7 * cell;
      const reach2 = reach * reach;
      const i0 = Math.max(0, Math.floor((cx - reach - lo[0]) / cell));
      const i1 = Math.min(nx - 1, Math.floor((cx + reach - lo[0]) / cell));
      const j0 = Math.max(0, Math.floor((cy - reach - lo[1]) / cell));
      const j1 = Math.min(ny - 1, Math.floor((cy + reach - lo[1]) / cell));
      const k0 = Math.max(0, Math.floor((cz - reach - lo[2]) / cell));
      const k1 = Math.min(nz - 1, Math.floor((cz + reach - lo[2]) / cell));
      for (let a = i0; a <= i1; a++) {
        const bx = lo[0] + a * cell;
        const dx = cx < bx ? bx - cx : cx > bx + cell ? cx - bx - cell : 0;
        for (let b = j0; b <= j1; b++) {
          const by = lo[1] + b * cell;
          const dy = cy < by ? by - cy : cy > by + cell ? cy - by - cell : 0;
          for (let c = k0; c <= k1; c++) {
            const bz = lo[2] + c * cell;
            const dz = cz < bz ? bz - cz : cz > bz + cell ? cz - bz - cell : 0;
            if (dx * dx + dy * dy + dz * dz <= reach2) add((a * ny + b) * nz + c);
          }
        }
      }
    };
    for (const i of order) visit(i, (c) => counts[c + 1]!++);
    for (let c = 1; c < counts.length; c++) counts[c]! += counts[c - 1]!;
    this.start = counts;
    this.entries = new Int32Array(counts[counts.length - 1]!);
    const fill = counts.slice(0, -1);
    for (const i of order) visit(i, (c) => (this.entries[fill[c]!++] = i));
  }

  /** Spheres listed in all cells (a sphere counts once per cell it reaches): the index's size. */
  get listed(): number {
    return this.entries.length;
  }

  /**
   * The largest sphere that holds the point strictly inside (VAST's test: sqrt(dx^2 + dy^2 + dz^2) < radius, with
   * dx = x_hole - x), ties to the lower index; -1 when none does.
   */
  containing(px: number, py: number, pz: number): number {
    const cell = this.cell;
    const a = Math.floor((px - this.origin[0]) / cell);
    const b = Math.floor((py - this.origin[1]) / cell);
    const c = Math.floor((pz - this.origin[2]) / cell);
    const [nx, ny, nz] = this.dims;
    // NaN coordinates fail every comparison below and land here too: no hole holds them
    if (!(a >= 0 && a < nx && b >= 0 && b < ny && c >= 0 && c < nz)) return -1;
    const k = (a * ny + b) * nz + c;
    const { x, y, z, radius, entries } = this;
    for (let e = this.start[k]!, end = this.start[k + 1]!; e < end; e++) {
      const i = entries[e]!;
      const dx = x[i]! - px;
      const dy = y[i]! - py;
      const dz = z[i]! - pz;
      if (Math.sqrt(dx * dx + dy * dy + dz * dz) < radius[i]!) return i;
    }
    return -1;
  }
}
