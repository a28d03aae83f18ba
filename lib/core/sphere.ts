import { ArgumentError } from '../errors/index.js';

// Sphere geometry in degrees, with VAST's axes: x towards (ra 0, dec 0), y towards (ra 90, dec 0), z towards the
// north pole. HEALPix (lib/desi), the mock survey's footprint and the comoving coordinates of lib/cosmo all use
// these functions, so a position means the same vector everywhere.

const DEG = Math.PI / 180;

/**
 * A 3-vector (x, y, z).
 *
 * @example
 * const v: Vec3 = unitVector(150, 2);
 */
export type Vec3 = readonly [number, number, number];

/**
 * The unit vector of (ra, dec) in degrees: x towards ra 0, z towards the north pole (VAST's convention).
 *
 * @example
 * unitVector(90, 0); // [~0, 1, 0]
 */
export function unitVector(raDeg: number, decDeg: number): [number, number, number] {
  const r = raDeg * DEG;
  const d = decDeg * DEG;
  return [Math.cos(d) * Math.cos(r), Math.cos(d) * Math.sin(r), Math.sin(d)];
}

/**
 * Unit vectors of many positions, interleaved x0 y0 z0 x1 y1 z1 ... (an n x 3 row-major array, numpy's (N, 3)).
 * Each triple is exactly what {@link unitVector} returns.
 *
 * @example
 * const xyz = unitVectors(ra, dec); // Float64Array of 3 * ra.length
 * const z0 = xyz[2];
 */
export function unitVectors(raDeg: ArrayLike<number>, decDeg: ArrayLike<number>, out = new Float64Array(3 * raDeg.length)): Float64Array {
  if (decDeg.length !== raDeg.length || out.length < 3 * raDeg.length) {
    throw new ArgumentError(`ra (${raDeg.length}), dec (${decDeg.length}) and out (${out.length} >= 3 x ra) must agree`, {
      scope: 'unitVectors',
    });
  }
  for (let i = 0; i < raDeg.length; i++) {
    const r = raDeg[i]! * DEG;
    const d = decDeg[i]! * DEG;
    const c = Math.cos(d);
    out[3 * i] = c * Math.cos(r);
    out[3 * i + 1] = c * Math.sin(r);
    out[3 * i + 2] = Math.sin(d);
  }
  return out;
}

/** ra in [0, 360) of a direction: atan2 of a tiny negative y gives -tiny, which + 360 rounds to 360; of -0, -0. */
function raOf(x: number, y: number): number {
  let ra = Math.atan2(y, x) / DEG;
  if (ra < 0) ra += 360;
  if (ra >= 360) ra -= 360;
  return ra === 0 ? 0 : ra;
}

/**
 * dec of a unit vector. asin(z) away from the poles: the form HEALPix uses, accurate to rounding where |z| <= 0.99
 * (and the one the mock survey's footprint boxes were built with, so they stay bit-identical). Nearer the poles asin
 * loses digits (up to ~1e-8 rad at the pole), so there atan2(z, hypot(x, y)) takes over.
 */
function decOf(x: number, y: number, z: number): number {
  return (Math.abs(z) <= 0.99 ? Math.asin(z) : Math.atan2(z, Math.hypot(x, y))) / DEG;
}

/**
 * The (ra, dec) in degrees of a unit vector: the inverse of {@link unitVector}, ra in [0, 360). For a vector of any
 * length divide by its length first (lib/cosmo's `cartesianToSky` does).
 *
 * @example
 * raDecOf(0, 1, 0); // { ra: 90, dec: 0 }
 * raDecOf(...unitVector(359.5, -30)); // { ra: 359.5, dec: -30 } to rounding
 */
export function raDecOf(x: number, y: number, z: number): { ra: number; dec: number } {
  return { ra: raOf(x, y), dec: decOf(x, y, z) };
}

/**
 * (ra, dec) in degrees of many unit vectors interleaved x y z (as {@link unitVectors} writes them).
 *
 * @example
 * const { ra, dec } = raDecOfVectors(unitVectors(ra0, dec0)); // ra0, dec0 back, to rounding
 */
export function raDecOfVectors(xyz: ArrayLike<number>): { ra: Float64Array; dec: Float64Array } {
  if (xyz.length % 3 !== 0) throw new ArgumentError(`length ${xyz.length} is not a multiple of 3`, { scope: 'raDecOfVectors' });
  const n = xyz.length / 3;
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xyz[3 * i]!,
      y = xyz[3 * i + 1]!,
      z = xyz[3 * i + 2]!;
    ra[i] = raOf(x, y);
    dec[i] = decOf(x, y, z);
  }
  return { ra, dec };
}

/**
 * The angle in radians between two vectors of any (non-zero) length: atan2(|a x b|, a . b), accurate at tiny angles
 * and near 180 degrees where acos of the dot product loses half its digits.
 *
 * @example
 * angleBetween([1, 0, 0], [0, 1, 0]); // Math.PI / 2
 */
export function angleBetween(a: Vec3, b: Vec3): number {
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.hypot(cx, cy, cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

/**
 * Angle in degrees between two sky positions (degrees), by {@link angleBetween} of their unit vectors.
 *
 * @example
 * angularDistance(150, 0, 151, 0); // 1
 * angularDistance(359.5, 0, 0.5, 0); // 1 (across ra 0)
 */
export function angularDistance(ra1: number, dec1: number, ra2: number, dec2: number): number {
  return angleBetween(unitVector(ra1, dec1), unitVector(ra2, dec2)) / DEG;
}

/**
 * Is (ra, dec) within `radiusDeg` of the centre (boundary included)? Exact angular test; for many points against
 * one cone use {@link cone} with {@link coneContains} or {@link coneMask}.
 *
 * @example
 * withinCone(150.5, 2, 150, 2, 1); // true
 */
export function withinCone(raDeg: number, decDeg: number, raCentre: number, decCentre: number, radiusDeg: number): boolean {
  return angularDistance(raDeg, decDeg, raCentre, decCentre) <= checkRadius(radiusDeg);
}

/**
 * A cone on the sky prepared for fast tests: its centre's unit vector and cos(radius).
 *
 * @example
 * const c: Cone = cone(150, 2, 1.5); c.cosRadius;
 */
export interface Cone {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly radiusDeg: number;
  readonly cosRadius: number;
}

function checkRadius(radiusDeg: number): number {
  if (!(radiusDeg >= 0) || !Number.isFinite(radiusDeg))
    throw new ArgumentError(`invalid radiusDeg: ${radiusDeg} (a finite number >= 0)`, { scope: 'cone' });
  return radiusDeg;
}

/**
 * Prepares the cone of `radiusDeg` around (ra, dec) for {@link coneContains} and {@link coneMask}. Radii of 180 or
 * more hold the whole sky.
 *
 * @example
 * const c = cone(150, 2, 1.5);
 * coneContains(c, ...unitVector(150.4, 2.1)); // true
 */
export function cone(raDeg: number, decDeg: number, radiusDeg: number): Cone {
  const [x, y, z] = unitVector(raDeg, decDeg);
  const r = Math.min(checkRadius(radiusDeg), 180);
  return { x, y, z, radiusDeg: r, cosRadius: r >= 180 ? -1 : Math.cos(r * DEG) };
}

/**
 * Does the cone hold the unit vector (x, y, z)? One dot product against cos(radius): fast, and exact to rounding
 * except within ~1e-16 / sin(radius) radians of the edge (about 5 microarcseconds for a 1 arcsecond cone), where
 * {@link withinCone} decides exactly.
 *
 * @example
 * coneContains(cone(0, 90, 1), 0, 0, 1); // true: the pole
 */
export function coneContains(c: Cone, x: number, y: number, z: number): boolean {
  return c.x * x + c.y * y + c.z * z >= c.cosRadius;
}

/**
 * For each unit vector of `xyz` (interleaved x y z, as {@link unitVectors} writes), 1 when the cone holds it, else 0.
 *
 * @example
 * const inside = coneMask(cone(150, 2, 1.5), unitVectors(ra, dec));
 * const n = inside.reduce((s, v) => s + v, 0);
 */
export function coneMask(c: Cone, xyz: ArrayLike<number>, out = new Uint8Array(Math.floor(xyz.length / 3))): Uint8Array {
  if (xyz.length % 3 !== 0 || out.length < xyz.length / 3) {
    throw new ArgumentError(`length ${xyz.length} must be 3 x n with out (${out.length}) >= n`, { scope: 'coneMask' });
  }
  const { x, y, z, cosRadius } = c;
  for (let i = 0, n = xyz.length / 3; i < n; i++) {
    out[i] = x * xyz[3 * i]! + y * xyz[3 * i + 1]! + z * xyz[3 * i + 2]! >= cosRadius ? 1 : 0;
  }
  return out;
}
