import { PointIndex } from './spatial-index.js';

/** How close (Mpc/h) a computed position must be to a catalogue galaxy to take its recorded position: ~30 float32 ulps at 300 Mpc/h, far below any real galaxy separation. */
export const SNAP_TOLERANCE = 1e-3;

/**
 * Moves each position onto the catalogue's own record of that galaxy (its WALL and FIELD positions) when one lies
 * within `tolerance`; others stay. Why: a VoidFinder hole is bounded by galaxies lying on its surface, and VAST's
 * vflag test (distance < radius) decides those galaxies by the last bit of their coordinates. VAST computes positions
 * in float32 with numpy's vectorised sines and cosines, whose last bit no other arithmetic reproduces everywhere (a
 * third of the DR7 galaxies land one float32 ulp away), so the positions VAST recorded are the ones to classify at.
 * NaN positions stay NaN. Returns a new array and how many galaxies moved onto a recorded position.
 *
 * @example
 * const { xyz: placed, snapped } = snapToCatalogue(xyz, [catalogue.wall, catalogue.field]);
 */
export function snapToCatalogue(
  xyz: Float64Array,
  recorded: readonly Float64Array[],
  tolerance = SNAP_TOLERANCE,
): { xyz: Float64Array; snapped: number } {
  const total = recorded.reduce((a, r) => a + r.length, 0);
  const out = xyz.slice();
  if (total === 0) return { xyz: out, snapped: 0 };
  const points = new Float64Array(total);
  let at = 0;
  for (const r of recorded) {
    points.set(r, at);
    at += r.length;
  }
  const index = new PointIndex(points);
  let snapped = 0;
  for (let i = 0; i < out.length; i += 3) {
    const x = out[i]!;
    const y = out[i + 1]!;
    const z = out[i + 2]!;
    if (Number.isNaN(x + y + z)) continue;
    const near = index.nearest(x, y, z, 1);
    if (near.indices.length === 0 || !(near.distances[0]! <= tolerance)) continue;
    const j = near.indices[0]!;
    out[i] = points[3 * j]!;
    out[i + 1] = points[3 * j + 1]!;
    out[i + 2] = points[3 * j + 2]!;
    snapped++;
  }
  return { xyz: out, snapped };
}
