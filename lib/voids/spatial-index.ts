import { VoidsError } from '../errors/index.js';

/** Points per leaf: small enough that a leaf is a few cache lines, large enough that the tree stays shallow. */
const DEFAULT_LEAF_SIZE = 12;

/** The k nearest points of a query, nearest first (ties: the lower point index first). */
export interface Neighbours {
  /** Point indices into the interleaved array the index was built on. */
  readonly indices: Int32Array;
  /** Euclidean distances, sqrt(dx^2 + dy^2 + dz^2), in the units of the points. */
  readonly distances: Float64Array;
}

/**
 * A k-d tree over points given as interleaved x y z (a Float64Array of 3n, numpy's (n, 3)): the k nearest neighbours
 * and all points within a radius of any query position. Answers are exact and deterministic: distances are
 * sqrt(dx*dx + dy*dy + dz*dz) as scikit-learn's KDTree computes them, neighbours come nearest first with ties broken
 * by the lower index, radius queries keep points with dx*dx + dy*dy + dz*dz <= r*r (scikit-learn's test, the boundary
 * included) and list indices in ascending order.
 *
 * @example
 * const index = new PointIndex(xyz);
 * const { indices, distances } = index.nearest(10, -3, 42, 4); // the 4 nearest points
 * const inside = index.withinRadius(10, -3, 42, 15); // Int32Array of point indices, ascending
 */
export class PointIndex {
  /** How many points the index holds. */
  readonly size: number;
  /** The points, reordered leaf by leaf (3 per point). */
  private readonly pts: Float64Array;
  /** Original index of each reordered point. */
  private readonly ids: Int32Array;
  /** Per node: first and one-past-last reordered point, and the children (-1 for a leaf). */
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** Per node: bounding box, min x y z then max x y z. */
  private readonly box: Float64Array;
  /** Scratch for k-nearest queries, reused between calls. */
  private bestD2 = new Float64Array(8);
  private bestId = new Int32Array(8);
  private bestN = 0;
  private bestK = 0;
  /** Scratch for radius queries. */
  private found = new Int32Array(64);
  private foundN = 0;
  private readonly stack: Int32Array;

  constructor(xyz: Float64Array, options: { leafSize?: number } = {}) {
    if (xyz.length % 3 !== 0) throw new VoidsError(`xyz length ${xyz.length} is not a multiple of 3`, { scope: 'PointIndex' });
    const n = xyz.length / 3;
    const leafSize = Math.max(1, options.leafSize ?? DEFAULT_LEAF_SIZE);
    this.size = n;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Median splits leave every leaf at least floor((leafSize + 1) / 2) points, so there are at most n / that leaves.
    const maxNodes = 2 * Math.ceil(n / Math.floor((leafSize + 1) / 2)) + 1;
    const lo = new Int32Array(maxNodes);
    const hi = new Int32Array(maxNodes);
    const left = new Int32Array(maxNodes).fill(-1);
    const right = new Int32Array(maxNodes).fill(-1);
    const box = new Float64Array(6 * maxNodes);
    let nodes = 0;
    const build = (start: number, end: number): number => {
      const node = nodes++;
      lo[node] = start;
      hi[node] = end;
      let minX = Infinity,
        minY = Infinity,
        minZ = Infinity,
        maxX = -Infinity,
        maxY = -Infinity,
        maxZ = -Infinity;
      for (let p = start; p < end; p++) {
        const i = 3 * order[p]!;
        const x = xyz[i]!,
          y = xyz[i + 1]!,
          z = xyz[i + 2]!;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
        if (z < minZ) minZ = z;
        if (z > maxZ) maxZ = z;
      }
      const b = 6 * node;
      box[b] = minX;
      box[b + 1] = minY;
      box[b + 2] = minZ;
      box[b + 3] = maxX;
      box[b + 4] = maxY;
      box[b + 5] = maxZ;
      if (end - start > leafSize) {
        const ex = maxX - minX,
          ey = maxY - minY,
          ez = maxZ - minZ;
        const dim = ex >= ey && ex >= ez ? 0 : ey >= ez ? 1 : 2;
        const mid = (start + end) >>> 1;
        selectNth(order, xyz, dim, start, end - 1, mid);
        left[node] = build(start, mid);
        right[node] = build(mid, end);
      }
      return node;
    };
    if (n > 0) build(0, n);
    this.lo = lo.slice(0, nodes);
    this.hi = hi.slice(0, nodes);
    this.left = left.slice(0, nodes);
    this.right = right.slice(0, nodes);
    this.box = box.slice(0, 6 * nodes);
    this.pts = new Float64Array(3 * n);
    for (let p = 0; p < n; p++) {
      const i = 3 * order[p]!;
      this.pts[3 * p] = xyz[i]!;
      this.pts[3 * p + 1] = xyz[i + 1]!;
      this.pts[3 * p + 2] = xyz[i + 2]!;
    }
    this.ids = order;
    this.stack = new Int32Array(4 * Math.max(1, Math.ceil(Math.log2(nodes + 1))) + 8);
  }

  /**
   * The k nearest points to (x, y, z), nearest first, ties by the lower index; fewer than k when the index holds
   * fewer points. A point of the index queried at its own position is its own nearest neighbour, at distance 0.
   *
   * @example
   * const { indices, distances } = index.nearest(x, y, z, 4); // distances[3]: the 4th nearest, counting itself
   */
  nearest(x: number, y: number, z: number, k: number): Neighbours {
    const n = this.searchNearest(x, y, z, k);
    const indices = new Int32Array(n);
    const distances = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      indices[i] = this.bestId[i]!;
      distances[i] = Math.sqrt(this.bestD2[i]!);
    }
    return { indices, distances };
  }

  /**
   * The distance to the k-th nearest point (k = 1: the nearest), without allocating; NaN when the index holds fewer
   * than k points.
   *
   * @example
   * const d4 = index.kthDistance(x, y, z, 4);
   */
  kthDistance(x: number, y: number, z: number, k: number): number {
    const n = this.searchNearest(x, y, z, k);
    return n < k ? Number.NaN : Math.sqrt(this.bestD2[k - 1]!);
  }

  /**
   * Indices of every point within distance r of (x, y, z), the boundary included, in ascending order.
   *
   * @example
   * const inside = index.withinRadius(0, 0, 0, 10);
   */
  withinRadius(x: number, y: number, z: number, r: number): Int32Array {
    this.foundN = 0;
    if (this.size === 0 || !(r >= 0)) return new Int32Array(0);
    const r2 = r * r;
    const { pts, ids, lo, hi, left, right, box, stack } = this;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top]!;
      if (boxDistance2(box, node, x, y, z) > r2) continue;
      const l = left[node]!;
      if (l < 0) {
        for (let p = lo[node]!; p < hi[node]!; p++) {
          const dx = pts[3 * p]! - x,
            dy = pts[3 * p + 1]! - y,
            dz = pts[3 * p + 2]! - z;
          if (dx * dx + dy * dy + dz * dz <= r2) this.pushFound(ids[p]!);
        }
      } else {
        stack[top++] = right[node]!;
        stack[top++] = l;
      }
    }
    const out = this.found.slice(0, this.foundN);
    out.sort();
    return out;
  }

  private pushFound(id: number): void {
    if (this.foundN === this.found.length) {
      const grown = new Int32Array(2 * this.found.length);
      grown.set(this.found);
      this.found = grown;
    }
    this.found[this.foundN++] = id;
  }

  /** Fills bestD2/bestId with up to k nearest (squared distances), sorted; returns how many. */
  private searchNearest(x: number, y: number, z: number, k: number): number {
    if (!(k >= 1)) throw new VoidsError(`invalid k: ${k} (>= 1)`, { scope: 'PointIndex' });
    if (this.bestD2.length < k) {
      this.bestD2 = new Float64Array(k);
      this.bestId = new Int32Array(k);
    }
    this.bestN = 0;
    this.bestK = k;
    if (this.size > 0) this.visit(0, x, y, z);
    return this.bestN;
  }

  private visit(node: number, x: number, y: number, z: number): void {
    const l = this.left[node]!;
    if (l < 0) {
      const { pts, ids } = this;
      for (let p = this.lo[node]!; p < this.hi[node]!; p++) {
        const dx = pts[3 * p]! - x,
          dy = pts[3 * p + 1]! - y,
          dz = pts[3 * p + 2]! - z;
        this.offer(dx * dx + dy * dy + dz * dz, ids[p]!);
      }
      return;
    }
    const r = this.right[node]!;
    const dl = boxDistance2(this.box, l, x, y, z);
    const dr = boxDistance2(this.box, r, x, y, z);
    const [first, dFirst, second, dSecond] = dl <= dr ? [l, dl, r, dr] : [r, dr, l, dl];
    if (this.bestN < this.bestK || dFirst <= this.bestD2[this.bestN - 1]!) this.visit(first, x, y, z);
    if (this.bestN < this.bestK || dSecond <= this.bestD2[this.bestN - 1]!) this.visit(second, x, y, z);
  }

  /** Inserts a candidate into the sorted best list (distance, then index), dropping the worst when full. */
  private offer(d2: number, id: number): void {
    const { bestD2, bestId } = this;
    let n = this.bestN;
    if (n === this.bestK) {
      const wd = bestD2[n - 1]!;
      if (d2 > wd || (d2 === wd && id > bestId[n - 1]!)) return;
      n--;
    }
    let i = n;
    while (i > 0 && (bestD2[i - 1]! > d2 || (bestD2[i - 1] === d2 && bestId[i - 1]! > id))) {
      bestD2[i] = bestD2[i - 1]!;
      bestId[i] = bestId[i - 1]!;
      i--;
    }
    bestD2[i] = d2;
    bestId[i] = id;
    this.bestN = n + 1;
  }
}

/** Squared distance from a point to a node's bounding box (0 inside it). */
function boxDistance2(box: Float64Array, node: number, x: number, y: number, z: number): number {
  const b = 6 * node;
  const dx = x < box[b]! ? box[b]! - x : x > box[b + 3]! ? x - box[b + 3]! : 0;
  const dy = y < box[b + 1]! ? box[b + 1]! - y : y > box[b + 4]! ? y - box[b + 4]! : 0;
  const dz = z < box[b + 2]! ? box[b + 2]! - z : z > box[b + 5]! ? z - box[b + 5]! : 0;
  return dx * dx + dy * dy + dz * dz;
}

/** Reorders order[from..to] so that the element at nth is the one a full sort by coordinate dim would put there. */
function selectNth(order: Int32Array, xyz: Float64Array, dim: number, from: number, to: number, nth: number): void {
  let l = from;
  let r = to;
  while (r > l) {
    const pivot = xyz[3 * order[(l + r) >>> 1]! + dim]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (xyz[3 * order[i]! + dim]! < pivot) i++;
      while (xyz[3 * order[j]! + dim]! > pivot) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) r = j;
    else if (nth >= i) l = i;
    else return;
  }
}
