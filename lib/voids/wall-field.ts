import { PointIndex } from './spatial-index.js';

/** How VoidFinder split galaxies into wall and field (voidfinder.wall_field_separation). */
export interface WallFieldSplit {
  /** Wall galaxies, interleaved x y z, in input order. */
  readonly wall: Float64Array;
  /** Field (isolated) galaxies, interleaved x y z, in input order. */
  readonly field: Float64Array;
  /** For each input galaxy: 1 wall, 0 field, 255 dropped as an exact duplicate of another galaxy. */
  readonly kind: Uint8Array;
  /** Galaxies dropped because another galaxy sits at exactly the same position (VAST drops every copy). */
  readonly duplicates: number;
  /** Mean and standard deviation of the distance to the n-th nearest neighbour, and the wall limit mean + 1.5 sd. */
  readonly meanSeparation: number;
  readonly sdSeparation: number;
  readonly limit: number;
}

/** Galaxy kinds in {@link WallFieldSplit.kind}. */
export const WALL = 1;
export const FIELD = 0;
export const DUPLICATE = 255;

/**
 * VoidFinder's wall/field split: drop galaxies that have another galaxy at distance 0 (all copies, as VAST does), find
 * each remaining galaxy's distance d to its `neighbour`-th nearest neighbour (3 by default), and call a galaxy wall when
 * d < mean(d) + 1.5 std(d), field otherwise. The mean and standard deviation are summed pairwise as numpy sums, so the
 * limit is VAST's to the last bit for the same distances.
 *
 * @example
 * const { wall, field, limit } = separateWallField(xyz); // limit ~ 7 Mpc/h for SDSS DR7
 */
export function separateWallField(xyz: Float64Array, options: { neighbour?: number } = {}): WallFieldSplit {
  const neighbour = options.neighbour ?? 3;
  const n = xyz.length / 3;
  const kind = new Uint8Array(n);
  let index = new PointIndex(xyz);
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    if (n > 1 && index.kthDistance(xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!, 2) === 0) {
      kind[i] = DUPLICATE;
      duplicates++;
    }
  }
  let kept = xyz;
  if (duplicates > 0) {
    kept = new Float64Array(3 * (n - duplicates));
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (kind[i] === DUPLICATE) continue;
      kept[3 * m] = xyz[3 * i]!;
      kept[3 * m + 1] = xyz[3 * i + 1]!;
      kept[3 * m + 2] = xyz[3 * i + 2]!;
      m++;
    }
    index = new PointIndex(kept);
  }
  const m = kept.length / 3;
  const d = new Float64Array(m);
  // The galaxy itself is its own nearest neighbour at distance 0, so the n-th neighbour is the (n + 1)-th nearest.
  for (let i = 0; i < m; i++) d[i] = index.kthDistance(kept[3 * i]!, kept[3 * i + 1]!, kept[3 * i + 2]!, neighbour + 1);
  const mean = pairwiseSum(d, 0, m) / m;
  const dev = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const t = d[i]! - mean;
    dev[i] = t * t;
  }
  const sd = Math.sqrt(pairwiseSum(dev, 0, m) / m);
  const limit = mean + 1.5 * sd;
  let nWall = 0;
  for (let i = 0; i < m; i++) if (d[i]! < limit) nWall++;
  const wall = new Float64Array(3 * nWall);
  const field = new Float64Array(3 * (m - nWall));
  let w = 0,
    f = 0,
    j = 0;
  for (let i = 0; i < n; i++) {
    if (kind[i] === DUPLICATE) continue;
    const isWall = d[j]! < limit;
    const dst = isWall ? wall : field;
    const k = isWall ? w++ : f++;
    dst[3 * k] = kept[3 * j]!;
    dst[3 * k + 1] = kept[3 * j + 1]!;
    dst[3 * k + 2] = kept[3 * j + 2]!;
    kind[i] = isWall ? WALL : FIELD;
    j++;
  }
  return { wall, field, kind, duplicates, meanSeparation: mean, sdSeparation: sd, limit };
}

/**
 * numpy's pairwise summation of a float64 array (np.add.reduce): blocks of up to 128 summed in 8 running partial sums,
 * halves (at a multiple of 8) above that, so a mean computed here equals numpy's bit for bit.
 *
 * @example
 * pairwiseSum(Float64Array.of(1, 2, 3), 0, 3); // 6
 */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= 128) {
    let r0 = a[start]!,
      r1 = a[start + 1]!,
      r2 = a[start + 2]!,
      r3 = a[start + 3]!,
      r4 = a[start + 4]!,
      r5 = a[start + 5]!,
      r6 = a[start + 6]!,
      r7 = a[start + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const b = start + i;
      r0 += a[b]!;
      r1 += a[b + 1]!;
      r2 += a[b + 2]!;
      r3 += a[b + 3]!;
      r4 += a[b + 4]!;
      r5 += a[b + 5]!;
      r6 += a[b + 6]!;
      r7 += a[b + 7]!;
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
