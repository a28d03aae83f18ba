/**
 * How far skybook's void catalogue and vflags agree with VAST's on the same galaxies: the wall/field split as point
 * sets, maximal spheres matched by centre and radius, and per-galaxy vflags. Plain typed arrays in, counts out.
 */

/** Points of one set that have a point of the other within `tolerance` (one-to-one), both ways. */
export interface SetAgreement {
  ours: number;
  theirs: number;
  /** Our points with a distinct VAST point within the tolerance. */
  oursMatched: number;
  /** VAST points with a distinct point of ours within the tolerance. */
  theirsMatched: number;
  identical: boolean;
}

/** Matching maximal spheres both ways: centre within `centre` Mpc/h and radius within `radius` Mpc/h. */
export interface MaximalAgreement {
  ours: number;
  theirs: number;
  oursMatched: number;
  theirsMatched: number;
  /** Over VAST's maximals that matched: the largest centre and radius differences. */
  worstCentre: number;
  worstRadius: number;
  /** Over all VAST maximals: the median distance to our nearest maximal centre. */
  medianNearest: number;
}

/** Two sphere tables row by row, in their order: rows identical to the bit, rows within 1e-12, the largest difference. */
export interface RowAgreement {
  ours: number;
  theirs: number;
  identical: number;
  within1e12: number;
  largest: number;
}

/** Per-row vflag agreement and the confusion counts (VAST's flag -> ours). */
export interface VflagAgreement {
  rows: number;
  same: number;
  fraction: number;
  /** The same over the rows not excluded (galaxies off every hole surface), when an exclusion was given. */
  excluded?: number;
  fractionKept?: number;
  /** `confusion['0->1']`: rows VAST calls 0 and we call 1 (only the off-diagonal cells that occur). */
  confusion: Record<string, number>;
  oursCounts: Record<string, number>;
  theirsCounts: Record<string, number>;
}

/** A spatial hash of interleaved xyz points in cubes of side `cell`, for matching within a tolerance below `cell`. */
class PointHash {
  private readonly cells = new Map<string, number[]>();
  constructor(
    readonly xyz: ArrayLike<number>,
    private readonly cell: number,
  ) {
    for (let i = 0; i < xyz.length / 3; i++) {
      const key = this.key(Math.floor(xyz[3 * i]! / cell), Math.floor(xyz[3 * i + 1]! / cell), Math.floor(xyz[3 * i + 2]! / cell));
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    }
  }
  private key(i: number, j: number, k: number): string {
    return `${i},${j},${k}`;
  }
  /** Indices of points within `r` (<= cell) of (x, y, z). */
  near(x: number, y: number, z: number, r: number): number[] {
    const out: number[] = [];
    const ci = Math.floor(x / this.cell);
    const cj = Math.floor(y / this.cell);
    const ck = Math.floor(z / this.cell);
    for (let i = ci - 1; i <= ci + 1; i++)
      for (let j = cj - 1; j <= cj + 1; j++)
        for (let k = ck - 1; k <= ck + 1; k++) {
          for (const p of this.cells.get(this.key(i, j, k)) ?? []) {
            const dx = this.xyz[3 * p]! - x;
            const dy = this.xyz[3 * p + 1]! - y;
            const dz = this.xyz[3 * p + 2]! - z;
            if (dx * dx + dy * dy + dz * dz <= r * r) out.push(p);
          }
        }
    return out;
  }
}

/** Greedy one-to-one matching of `a` onto `b` within `tolerance`: how many of `a` found a distinct partner. */
function matchedCount(a: ArrayLike<number>, b: PointHash, tolerance: number): number {
  const taken = new Uint8Array(b.xyz.length / 3);
  let n = 0;
  for (let i = 0; i < a.length / 3; i++) {
    const cands = b.near(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!, tolerance);
    const free = cands.find((p) => !taken[p]);
    if (free !== undefined) {
      taken[free] = 1;
      n++;
    }
  }
  return n;
}

/**
 * Compares two point sets (interleaved xyz) allowing `tolerance` Mpc/h per point: VAST keeps wall and field positions
 * as float32 from float32 distances, ours are float64, so equal galaxies differ by ~1e-5 Mpc/h.
 *
 * @example
 * comparePointSets(ourWall, vastWall, 1e-3).identical; // true when the wall galaxies are the same galaxies
 */
export function comparePointSets(ours: ArrayLike<number>, theirs: ArrayLike<number>, tolerance: number): SetAgreement {
  const cell = Math.max(tolerance, 1e-6);
  const oursMatched = matchedCount(ours, new PointHash(theirs, cell), tolerance);
  const theirsMatched = matchedCount(theirs, new PointHash(ours, cell), tolerance);
  const n = ours.length / 3;
  const m = theirs.length / 3;
  return { ours: n, theirs: m, oursMatched, theirsMatched, identical: n === m && oursMatched === n && theirsMatched === m };
}

/** Spheres as columns (centres interleaved xyz, radii). */
export interface Spheres {
  xyz: Float64Array;
  radius: Float64Array;
}

function nearestSphere(s: Spheres, x: number, y: number, z: number): { index: number; distance: number } {
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < s.radius.length; i++) {
    const dx = s.xyz[3 * i]! - x;
    const dy = s.xyz[3 * i + 1]! - y;
    const dz = s.xyz[3 * i + 2]! - z;
    const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return { index: best, distance: bestD };
}

/**
 * Maximal spheres matched both ways: a sphere matches when the other side has a sphere whose centre is within
 * `centre` and radius within `radius` (the "the same maximal spheres within 1 Mpc/h").
 *
 * @example
 * const m = compareMaximals(ours, vast, 1, 1); // m.theirsMatched / m.theirs of VAST's maximals found by us
 */
export function compareMaximals(ours: Spheres, theirs: Spheres, centre: number, radius: number): MaximalAgreement {
  const oneWay = (a: Spheres, b: Spheres) => {
    let matched = 0;
    let worstCentre = 0;
    let worstRadius = 0;
    const nearest: number[] = [];
    for (let i = 0; i < a.radius.length; i++) {
      const x = a.xyz[3 * i]!;
      const y = a.xyz[3 * i + 1]!;
      const z = a.xyz[3 * i + 2]!;
      nearest.push(nearestSphere(b, x, y, z).distance);
      // the best partner is the one within the centre tolerance with the closest radius
      let found = false;
      let bestDr = Number.POSITIVE_INFINITY;
      let bestDc = 0;
      for (let j = 0; j < b.radius.length; j++) {
        const dx = b.xyz[3 * j]! - x;
        const dy = b.xyz[3 * j + 1]! - y;
        const dz = b.xyz[3 * j + 2]! - z;
        const dc = Math.sqrt(dx * dx + dy * dy + dz * dz);
        const dr = Math.abs(b.radius[j]! - a.radius[i]!);
        if (dc <= centre && dr <= radius && dr < bestDr) {
          found = true;
          bestDr = dr;
          bestDc = dc;
        }
      }
      if (found) {
        matched++;
        worstCentre = Math.max(worstCentre, bestDc);
        worstRadius = Math.max(worstRadius, bestDr);
      }
    }
    nearest.sort((p, q) => p - q);
    return { matched, worstCentre, worstRadius, median: nearest.length ? nearest[nearest.length >> 1]! : Number.NaN };
  };
  const theirsWay = oneWay(theirs, ours);
  const oursWay = oneWay(ours, theirs);
  return {
    ours: ours.radius.length,
    theirs: theirs.radius.length,
    oursMatched: oursWay.matched,
    theirsMatched: theirsWay.matched,
    worstCentre: theirsWay.worstCentre,
    worstRadius: theirsWay.worstRadius,
    medianNearest: theirsWay.median,
  };
}

/**
 * Spheres compared row by row in the order both tables have (VAST orders HOLES by void, then radius): x, y, z, radius.
 *
 * @example
 * compareRows(ourHoles, vastHoles).identical; // rows equal to the bit
 */
export function compareRows(ours: Spheres, theirs: Spheres): RowAgreement {
  const n = Math.min(ours.radius.length, theirs.radius.length);
  let identical = 0;
  let within1e12 = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const d = [0, 1, 2].map((a) => Math.abs(ours.xyz[3 * i + a]! - theirs.xyz[3 * i + a]!));
    d.push(Math.abs(ours.radius[i]! - theirs.radius[i]!));
    const worst = Math.max(...d);
    if (worst === 0) identical++;
    if (worst <= 1e-12) within1e12++;
    largest = Math.max(largest, worst);
  }
  return { ours: ours.radius.length, theirs: theirs.radius.length, identical, within1e12, largest };
}

function counts(flags: ArrayLike<number>): Record<string, number> {
  const c: Record<string, number> = {};
  for (let i = 0; i < flags.length; i++) c[String(flags[i])] = (c[String(flags[i])] ?? 0) + 1;
  return c;
}

/**
 * Per-row vflag agreement of two classifications of the same rows; `exclude[i] = 1` leaves row i out of a second
 * figure (galaxies on a hole's surface, whose flag rounding decides).
 *
 * @example
 * compareVflags(Uint8Array.of(0, 1, 9), Uint8Array.of(0, 1, 2)).fraction; // 2/3
 */
export function compareVflags(ours: ArrayLike<number>, theirs: ArrayLike<number>, exclude?: ArrayLike<number>): VflagAgreement {
  if (ours.length !== theirs.length) throw new Error(`vflag rows differ: ours ${ours.length}, VAST ${theirs.length}`);
  let same = 0;
  let excluded = 0;
  let sameKept = 0;
  const confusion: Record<string, number> = {};
  for (let i = 0; i < ours.length; i++) {
    const out = exclude ? exclude[i] === 1 : false;
    if (out) excluded++;
    if (ours[i] === theirs[i]) {
      same++;
      if (!out) sameKept++;
    } else {
      const k = `${theirs[i]}->${ours[i]}`;
      confusion[k] = (confusion[k] ?? 0) + 1;
    }
  }
  const a: VflagAgreement = {
    rows: ours.length,
    same,
    fraction: ours.length ? same / ours.length : 1,
    confusion,
    oursCounts: counts(ours),
    theirsCounts: counts(theirs),
  };
  if (exclude) {
    a.excluded = excluded;
    a.fractionKept = ours.length - excluded ? sameKept / (ours.length - excluded) : 1;
  }
  return a;
}
