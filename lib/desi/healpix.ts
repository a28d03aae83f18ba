import { angleBetween, unitVector } from '../core/index.js';
import { DesiError } from '../errors/index.js';

// HEALPix NESTED scheme (Gorski et al. 2005), written from the published geometry: 12 base faces, each split into
// nside x nside pixels; a pixel's (x, y) inside its face interleave into the nested index (x on even bits, y on odd).
// Pixel indices are JS numbers, exact up to nside 2^24 (12 * 4^24 < 2^53).

const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const HALF_PI = Math.PI / 2;
const DEG = Math.PI / 180;
const MAX_NSIDE = 2 ** 24;

function checkNside(nside: number): void {
  if (!Number.isInteger(nside) || nside < 1 || nside > MAX_NSIDE || (nside & (nside - 1)) !== 0) {
    throw new DesiError(`nside ${nside} must be a power of two between 1 and 2^24`, { scope: 'healpix' });
  }
}

/** Spreads the bits of v (< 2^24) onto the even bit positions, as a number (may exceed 2^32). */
function spread(v: number): number {
  const lo = v & 0xfff;
  const hi = Math.floor(v / 4096);
  return spread12(lo) + spread12(hi) * 16777216; // 2^24 = (2^12)^2
}

function spread12(v: number): number {
  let x = v & 0xfff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** Inverse of spread: collects the even bits of v (a number up to 2^48). */
function compact(v: number): number {
  const lo = v % 16777216;
  const hi = Math.floor(v / 16777216);
  return compact24(lo) + compact24(hi) * 4096;
}

function compact24(v: number): number {
  let x = v & 0x555555;
  x = (x | (x >>> 1)) & 0x333333;
  x = (x | (x >>> 2)) & 0x0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x & 0xfff;
}

/**
 * The NESTED HEALPix pixel containing (ra, dec) in degrees, at any power-of-two nside up to 2^24. DESI groups
 * spectra by nside 64 nested pixels (HPXPIXEL).
 *
 * @example
 * ang2pixNest(64, 150.1, 2.2); // the DR1 healpix of a target at RA 150.1, Dec 2.2
 */
export function ang2pixNest(nside: number, raDeg: number, decDeg: number): number {
  checkNside(nside);
  if (!Number.isFinite(raDeg) || !Number.isFinite(decDeg) || decDeg < -90 || decDeg > 90) {
    throw new DesiError(`bad position ra=${raDeg} dec=${decDeg}`, { scope: 'healpix' });
  }
  const dec = decDeg * DEG;
  const z = Math.sin(dec);
  const za = Math.abs(z);
  let phi = (raDeg % 360) * DEG;
  if (phi < 0) phi += 2 * Math.PI;
  let tt = phi / HALF_PI; // in [0, 4)
  if (tt >= 4) tt = 0;
  let face: number;
  let ix: number;
  let iy: number;
  if (za <= 2 / 3) {
    const t1 = nside * (0.5 + tt);
    const t2 = nside * z * 0.75;
    const jp = Math.floor(t1 - t2);
    const jm = Math.floor(t1 + t2);
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    ix = jm & (nside - 1);
    iy = nside - (jp & (nside - 1)) - 1;
  } else {
    const ntt = Math.min(3, Math.floor(tt));
    const tp = tt - ntt;
    // sqrt(3(1-|z|)) written with cos(dec) to keep precision near the poles.
    const tmp = (nside * Math.cos(dec)) / Math.sqrt((1 + za) / 3);
    const jp = Math.min(nside - 1, Math.floor(tp * tmp));
    const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
    if (z >= 0) {
      face = ntt;
      ix = nside - jm - 1;
      iy = nside - jp - 1;
    } else {
      face = ntt + 8;
      ix = jp;
      iy = jm;
    }
  }
  return face * nside * nside + spread(ix) + 2 * spread(iy);
}

/** (z = sin dec, phi) of the point at fractional face coordinates (x, y) in [0, 1] of a base face. */
function faceToAngle(x: number, y: number, face: number): { z: number; phi: number } {
  const jr = JRLL[face]! - x - y;
  let nr: number;
  let z: number;
  if (jr < 1) {
    nr = jr;
    z = 1 - (nr * nr) / 3;
  } else if (jr > 3) {
    nr = 4 - jr;
    z = (nr * nr) / 3 - 1;
  } else {
    nr = 1;
    z = ((2 - jr) * 2) / 3;
  }
  let t = JPLL[face]! * nr + x - y;
  if (t < 0) t += 8;
  if (t >= 8) t -= 8;
  const phi = nr < 1e-15 ? 0 : (0.5 * HALF_PI * t) / nr;
  return { z, phi };
}

function decompose(nside: number, pix: number): { face: number; ix: number; iy: number } {
  const npface = nside * nside;
  if (!Number.isInteger(pix) || pix < 0 || pix >= 12 * npface) {
    throw new DesiError(`pixel ${pix} out of range for nside ${nside}`, { scope: 'healpix' });
  }
  const face = Math.floor(pix / npface);
  const ipf = pix - face * npface;
  return { face, ix: compact(ipf), iy: compact(Math.floor(ipf / 2)) };
}

function toRaDec(z: number, phi: number): { ra: number; dec: number } {
  let ra = phi / DEG;
  if (ra >= 360) ra -= 360;
  return { ra, dec: Math.asin(Math.max(-1, Math.min(1, z))) / DEG };
}

/**
 * The centre (ra, dec in degrees) of a NESTED HEALPix pixel.
 *
 * @example
 * const { ra, dec } = pix2angNest(64, 27247);
 */
export function pix2angNest(nside: number, pix: number): { ra: number; dec: number } {
  checkNside(nside);
  const { face, ix, iy } = decompose(nside, pix);
  const a = faceToAngle((ix + 0.5) / nside, (iy + 0.5) / nside, face);
  return toRaDec(a.z, a.phi);
}

/**
 * The four corners and four edge midpoints of a NESTED pixel, as unit vectors; used to bound a pixel's extent.
 *
 * @example
 * pixelOutline(64, 27247).length; // 8
 */
export function pixelOutline(nside: number, pix: number): Array<[number, number, number]> {
  checkNside(nside);
  const { face, ix, iy } = decompose(nside, pix);
  const pts: Array<[number, number, number]> = [];
  for (const [dx, dy] of [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0.5, 0],
    [1, 0.5],
    [0.5, 1],
    [0, 0.5],
  ] as const) {
    const a = faceToAngle((ix + dx) / nside, (iy + dy) / nside, face);
    const s = Math.sqrt(Math.max(0, 1 - a.z * a.z));
    pts.push([s * Math.cos(a.phi), s * Math.sin(a.phi), a.z]);
  }
  return pts;
}

/**
 * Every NESTED pixel at `nside` that may overlap the cone of `radiusDeg` around (ra, dec), sorted ascending. Walks
 * the pixel tree from the 12 base faces, keeping a pixel when its centre lies within radius + its own extent
 * (largest centre-to-outline distance, with a 5% margin because pixel edges are curved). Conservative: every point
 * inside the cone lies in a listed pixel; a few pixels just outside may be listed too.
 *
 * @example
 * conePixels(64, 150.1, 2.2, 1.5); // the healpix files to open for a 1.5 degree cone
 */
export function conePixels(nside: number, raDeg: number, decDeg: number, radiusDeg: number): number[] {
  checkNside(nside);
  if (!(radiusDeg >= 0) || !Number.isFinite(radiusDeg)) {
    throw new DesiError(`cone radius ${radiusDeg} must be a finite number >= 0`, { scope: 'healpix' });
  }
  const centre = unitVector(raDeg, decDeg);
  const radius = Math.min(radiusDeg, 180) * DEG;
  // 0: outside, 1: partly inside (descend), 2: wholly inside (all descendants are in the answer).
  const classify = (ns: number, pix: number): 0 | 1 | 2 => {
    const c = pix2angNest(ns, pix);
    const cv = unitVector(c.ra, c.dec);
    let extent = 0;
    for (const p of pixelOutline(ns, pix)) extent = Math.max(extent, angleBetween(cv, p));
    const d = angleBetween(centre, cv);
    extent = extent * 1.05 + 1e-12;
    if (d > radius + extent) return 0;
    return d + extent <= radius ? 2 : 1;
  };
  const out: number[] = [];
  const full = (ns: number, pix: number): void => {
    const k = (nside / ns) ** 2;
    for (let p = pix * k; p < (pix + 1) * k; p++) out.push(p);
  };
  let level: number[] = [];
  for (let p = 0; p < 12; p++) {
    const c = nside === 1 ? Math.min(classify(1, p), 1) : classify(1, p);
    if (c === 2) full(1, p);
    else if (c === 1) level.push(p);
  }
  for (let ns = 2; ns <= nside; ns *= 2) {
    const next: number[] = [];
    for (const parent of level) {
      for (let child = parent * 4; child < parent * 4 + 4; child++) {
        const c = classify(ns, child);
        if (c === 2) full(ns, child);
        else if (c === 1) next.push(child);
      }
    }
    level = next;
  }
  return out.concat(level).sort((a, b) => a - b);
}
