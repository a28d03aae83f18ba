import { shellOffsets } from './galaxy-cells.js';
import { isOutsideMask, type SurveyMask } from './survey-mask.js';

/** VAST's hole-combining settings (hole_combine.combine_holes_2), with its defaults. */
export interface CombineOptions {
  /** Holes closer than this (centres and radii, Mpc/h) to the last kept hole are the same hole (dup_tol, 0.1). */
  duplicateTolerance?: number;
  /** A candidate overlapping a larger maximal by more than this fraction of its volume is not maximal (0.1). */
  maximalOverlap?: number;
  /** Maximal spheres are larger than this radius, Mpc/h (min_maximal_radius, 10). */
  minMaximalRadius?: number;
  /** A hole joins the void of the one maximal it overlaps by more than this fraction of its volume (0.5). */
  joinFraction?: number;
}

/** Voids from holes: which holes are maximal, which void each kept hole belongs to, and each void's edge flag. */
export interface CombinedHoles {
  /** The holes after duplicate removal, x y z radius per hole, largest first. */
  readonly unique: Float64Array;
  /** Indices into `unique` of the maximal spheres, largest first; void k is maximals[k]. */
  readonly maximals: Int32Array;
  /** Indices into `unique` of the holes in voids (maximals included), in `unique` order, and their void numbers. */
  readonly holes: Int32Array;
  readonly holeVoid: Int32Array;
  /** Per void: 0 interior, 1 a hole of it touches the survey edge, 2 a point 10 Mpc/h (minMaximalRadius) from a hole centre along x, y or z lies outside. */
  readonly edge: Int32Array;
}

/** The volume of the lens two spheres share, by VAST's cap formulas (cap_height, spherical_cap_volume). */
function overlapVolume(r: number, big: number, d: number): number {
  const h1 = ((big - r + d) * (big + r - d)) / (2 * d);
  const h2 = ((r - big + d) * (r + big - d)) / (2 * d);
  return (Math.PI * (h1 * h1) * (3 * r - h1)) / 3 + (Math.PI * (h2 * h2) * (3 * big - h2)) / 3;
}

/**
 * Combines holes (x y z radius, sorted largest first) into voids as VAST 1.7.6 does (combine_holes_2 and
 * _hole_combine_cython): drop a hole within `duplicateTolerance` of the last kept one in both centre and radius; walk
 * the holes larger than `minMaximalRadius` from the largest and keep one as maximal unless it lies inside an earlier
 * maximal or overlaps one by more than `maximalOverlap` of its volume; then a hole joins a void when it overlaps
 * exactly one maximal by more than `joinFraction` of its volume. Maximals are found through a grid of cells twice the
 * largest radius wide, walked in VAST's order, because VAST stops looking through a cell's maximals once the hole lies
 * inside one of them, so which maximals are counted depends on that order. `boundary` flags holes whose surface
 * touches the survey edge (from the volume cut); a void with such a hole has edge 1, else edge 2 when a point
 * `minMaximalRadius` from one of its hole centres along +-x, +-y or +-z is outside the survey.
 *
 * @example
 * const { maximals, holes, holeVoid, edge } = combineHoles(sortedHoles, boundary, mask);
 */
export function combineHoles(sorted: Float64Array, boundary: Uint8Array, mask: SurveyMask, options: CombineOptions = {}): CombinedHoles {
  const { duplicateTolerance = 0.1, maximalOverlap = 0.1, minMaximalRadius = 10, joinFraction = 0.5 } = options;
  // 1. Duplicates: each hole against the last one kept.
  const n0 = sorted.length / 4;
  const keep: number[] = [];
  if (n0 > 0) keep.push(0);
  for (let i = 1; i < n0; i++) {
    const l = keep[keep.length - 1]!;
    const dx = sorted[4 * i]! - sorted[4 * l]!,
      dy = sorted[4 * i + 1]! - sorted[4 * l + 1]!,
      dz = sorted[4 * i + 2]! - sorted[4 * l + 2]!;
    const separation = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (separation > duplicateTolerance || sorted[4 * l + 3]! - sorted[4 * i + 3]! > duplicateTolerance) keep.push(i);
  }
  const n = keep.length;
  const h = new Float64Array(4 * n);
  const onEdge = new Uint8Array(n);
  keep.forEach((src, i) => {
    h.set(sorted.subarray(4 * src, 4 * src + 4), 4 * i);
    onEdge[i] = boundary[src]!;
  });
  if (n === 0)
    return { unique: h, maximals: new Int32Array(0), holes: new Int32Array(0), holeVoid: new Int32Array(0), edge: new Int32Array(0) };

  // 2. Maximals, through a grid of cells 2 R wide around the candidates (R the largest radius).
  const largest = h[3]!;
  const min = [h[0]!, h[1]!, h[2]!];
  const max = [h[0]!, h[1]!, h[2]!];
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    if (h[4 * i + 3]! <= minMaximalRadius) continue;
    candidates.push(i);
    for (let a = 0; a < 3; a++) {
      if (min[a]! > h[4 * i + a]!) min[a] = h[4 * i + a]!;
      if (max[a]! < h[4 * i + a]!) max[a] = h[4 * i + a]!;
    }
  }
  const width = 2.0 * largest;
  const lo = min.map((v) => v - largest);
  const nd = max.map((v, a) => Math.max(1, Math.ceil((v + largest - lo[a]!) / width)));
  const cellOf = (i: number, out: number[]) => {
    for (let a = 0; a < 3; a++) out[a] = Math.trunc((h[4 * i + a]! - lo[a]!) / width);
  };
  const members = new Map<number, number[]>();
  const key = (ci: number, cj: number, ck: number) => (ci * nd[1]! + cj) * nd[2]! + ck;
  const inGrid = (ci: number, cj: number, ck: number) => ci >= 0 && cj >= 0 && ck >= 0 && ci < nd[0]! && cj < nd[1]! && ck < nd[2]!;
  /** Visits the maximals of the 27 cells around hole i in VAST's order (_gen_cube: the cell, then shell 1); stops when visit returns true. */
  const aroundHole = (i: number, visit: (m: number) => 'next' | 'skip-cell' | 'stop') => {
    const c = [0, 0, 0];
    cellOf(i, c);
    for (const level of [0, 1]) {
      const shell = shellOffsets(level);
      for (let s = 0; s < shell.length; s += 3) {
        const ci = c[0]! + shell[s]!,
          cj = c[1]! + shell[s + 1]!,
          ck = c[2]! + shell[s + 2]!;
        if (!inGrid(ci, cj, ck)) continue;
        const list = members.get(key(ci, cj, ck));
        if (!list) continue;
        for (const m of list) {
          const v = visit(m);
          if (v === 'stop') return;
          if (v === 'skip-cell') break;
        }
      }
    }
  };
  const maximals: number[] = [];
  const isMaximal = new Int32Array(n).fill(-1);
  for (const i of candidates) {
    const r = h[4 * i + 3]!;
    const threshold = maximalOverlap * (4.0 / 3.0) * Math.PI * r * r * r;
    let maximal = true;
    aroundHole(i, (m) => {
      const d = distance(h, i, m);
      const big = h[4 * m + 3]!;
      if (big - r >= d || (big + r >= d && overlapVolume(r, big, d) > threshold)) {
        maximal = false;
        return 'stop';
      }
      return 'next';
    });
    if (!maximal) continue;
    isMaximal[i] = maximals.length;
    maximals.push(i);
    const c = [0, 0, 0];
    cellOf(i, c);
    const k = key(c[0]!, c[1]!, c[2]!);
    const list = members.get(k);
    if (list) list.push(i);
    else members.set(k, [i]);
  }

  // 3. Holes join the void of the one maximal they overlap by more than joinFraction of their volume.
  const holes: number[] = [];
  const holeVoid: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isMaximal[i]! >= 0) {
      holes.push(i);
      holeVoid.push(isMaximal[i]!);
      continue;
    }
    const r = h[4 * i + 3]!;
    const threshold = joinFraction * (4.0 / 3.0) * Math.PI * r * r * r;
    let matches = 0;
    let last = -1;
    aroundHole(i, (m) => {
      const d = distance(h, i, m);
      const big = h[4 * m + 3]!;
      if (big - r >= d) return 'skip-cell'; // inside this maximal: VAST leaves the rest of the cell unchecked
      if (big + r >= d && overlapVolume(r, big, d) > threshold) {
        matches++;
        last = m;
      }
      return 'next';
    });
    if (matches === 1) {
      holes.push(i);
      holeVoid.push(isMaximal[last]!);
    }
  }

  // 4. Edge flags per void.
  const edge = new Int32Array(maximals.length);
  const offsets = [
    [-1, 0, 0],
    [1, 0, 0],
    [0, -1, 0],
    [0, 1, 0],
    [0, 0, -1],
    [0, 0, 1],
  ] as const;
  for (let t = 0; t < holes.length; t++) if (onEdge[holes[t]!]) edge[holeVoid[t]!] = 1;
  for (let t = 0; t < holes.length; t++) {
    const v = holeVoid[t]!;
    if (edge[v] === 1) continue;
    const i = holes[t]!;
    const x = h[4 * i]!,
      y = h[4 * i + 1]!,
      z = h[4 * i + 2]!;
    for (const [ox, oy, oz] of offsets) {
      const px = ox === 0 ? x : ox < 0 ? x - minMaximalRadius : x + minMaximalRadius;
      const py = oy === 0 ? y : oy < 0 ? y - minMaximalRadius : y + minMaximalRadius;
      const pz = oz === 0 ? z : oz < 0 ? z - minMaximalRadius : z + minMaximalRadius;
      if (isOutsideMask(mask, px, py, pz)) {
        edge[v] = 2;
        break;
      }
    }
  }
  return {
    unique: h,
    maximals: Int32Array.from(maximals),
    holes: Int32Array.from(holes),
    holeVoid: Int32Array.from(holeVoid),
    edge,
  };
}

function distance(h: Float64Array, i: number, m: number): number {
  const dx = h[4 * i]! - h[4 * m]!,
    dy = h[4 * i + 1]! - h[4 * m + 1]!,
    dz = h[4 * i + 2]! - h[4 * m + 2]!;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
