import { VoidsError } from '../errors/index.js';

/**
 * VAST's angular survey mask: a (360 * resolution) x (180 * resolution) grid of whole-sky cells plus distance limits.
 * A point is in the survey when its (ra, dec) cell holds a galaxy (or was filled by smoothing) and its distance from
 * the observer lies in [rMin, rMax].
 *
 * @example
 * const mask = buildSurveyMask(ra, dec, { rMin: 0, rMax: 298.9 });
 * mask.cells[raCell * 180 * mask.resolution + decCell]; // 1 = in the survey
 */
export interface SurveyMask {
  /** Cells per degree (VAST's mask_resolution, the MSKRES keyword). */
  readonly resolution: number;
  /** 1 = in the survey; index `raCell * (180 * resolution) + decCell` (VAST's mask[i, j]). */
  readonly cells: Uint8Array;
  /** Distance limits, Mpc/h (VAST's dist_limits, the DLIML and DLIMU keywords). */
  readonly rMin: number;
  readonly rMax: number;
}

/** Options of {@link buildSurveyMask}. */
export interface SurveyMaskOptions {
  /** Nearest distance of the survey, Mpc/h. */
  rMin: number;
  /** Farthest distance of the survey, Mpc/h; with `minMaximalRadius` it sets the resolution. */
  rMax: number;
  /** The smallest maximal sphere, Mpc/h (default 10): a cell is at most this wide at rMax. */
  minMaximalRadius?: number;
  /** Fill empty cells that have at least 3 of their 4 neighbours in the survey (default true, as VAST). */
  smooth?: boolean;
}

const RAD_PER_DEG = Math.PI / 180.0;
const DEG_PER_RAD = 180.0 / Math.PI;

/**
 * VAST's mask resolution: cells per degree such that one cell at rMax is no wider than the smallest maximal sphere,
 * `1 + int(rMax * pi/180 / minMaximalRadius)`.
 *
 * @example
 * maskResolution(298.9, 10); // 1
 */
export function maskResolution(rMax: number, minMaximalRadius = 10): number {
  if (!(rMax > 0) || !Number.isFinite(rMax))
    throw new VoidsError(`invalid rMax: ${rMax} (a positive distance)`, { scope: 'buildSurveyMask' });
  if (!(minMaximalRadius > 0)) throw new VoidsError(`invalid minMaximalRadius: ${minMaximalRadius} (> 0)`, { scope: 'buildSurveyMask' });
  return 1 + Math.trunc((RAD_PER_DEG * rMax) / minMaximalRadius);
}

/**
 * The survey mask of a galaxy sample, as VAST's `generate_mask` makes it: every (ra, dec) cell holding a galaxy is in,
 * cells found by truncating `resolution * angle` toward zero (so on the sky's southern half a cell spans
 * (-1/resolution, 0] degrees, and dec in (-1, 1) degree at resolution 1 shares one cell, exactly as VAST); then, with
 * `smooth`, every empty cell that is not on the grid's border and has at least 3 of its 4 neighbours in the survey
 * (judged on the unsmoothed mask) is filled. RA is taken modulo 360 first; the poles and an RA that rounds to 360
 * (where VAST would index past its array) fall in the last dec cell and the first RA cell.
 *
 * @example
 * const mask = buildSurveyMask(ra, dec, { rMin: 0, rMax: 298.9, minMaximalRadius: 10 });
 */
export function buildSurveyMask(ra: Float64Array, dec: Float64Array, options: SurveyMaskOptions): SurveyMask {
  const { rMin, rMax, minMaximalRadius = 10, smooth = true } = options;
  if (ra.length !== dec.length)
    throw new VoidsError(`ra (${ra.length}) and dec (${dec.length}) lengths differ`, { scope: 'buildSurveyMask' });
  if (!(rMin >= 0) || !(rMin < rMax))
    throw new VoidsError(`invalid distance limits: [${rMin}, ${rMax}] (0 <= rMin < rMax)`, { scope: 'buildSurveyMask' });
  const resolution = maskResolution(rMax, minMaximalRadius);
  const nRa = 360 * resolution;
  const nDec = 180 * resolution;
  const cells = new Uint8Array(nRa * nDec);
  for (let i = 0; i < ra.length; i++) {
    const a = ra[i]!;
    const d = dec[i]!;
    if (!Number.isFinite(a)) throw new VoidsError(`ra is ${a}`, { scope: 'buildSurveyMask', column: 'ra', row: i });
    if (!(d >= -90 && d <= 90)) throw new VoidsError(`dec is ${d} (-90 <= dec <= 90)`, { scope: 'buildSurveyMask', column: 'dec', row: i });
    cells[cellIndex(resolution, raModulo360(a), d)] = 1;
  }
  if (smooth) smoothMask(cells, nRa, nDec);
  return { resolution, cells, rMin, rMax };
}

/** numpy's `ra % 360.0`: the result takes the divisor's sign, so it lies in [0, 360] (360 only by rounding). */
function raModulo360(ra: number): number {
  const m = ra % 360;
  return m < 0 ? m + 360 : m + 0; // + 0 turns -0 into 0, as numpy's remainder does
}

/** The flat cell index of an angle pair, with VAST's truncation toward zero; clamped where VAST would overrun. */
function cellIndex(resolution: number, ra: number, dec: number): number {
  const nRa = 360 * resolution;
  const nDec = 180 * resolution;
  let i = Math.trunc(resolution * ra);
  if (i >= nRa) i -= nRa;
  let j = Math.trunc(resolution * dec) + 90 * resolution;
  if (j >= nDec) j = nDec - 1;
  return i * nDec + j;
}

/**
 * VAST's smoothing: fill an empty interior cell when 3 or 4 of its neighbours along RA and dec are in the survey. All
 * fills are decided on the mask as it was before any of them, and the RA seam is not wrapped (border cells never fill).
 */
function smoothMask(cells: Uint8Array, nRa: number, nDec: number): void {
  const fill: number[] = [];
  for (let i = 1; i < nRa - 1; i++) {
    for (let j = 1; j < nDec - 1; j++) {
      const k = i * nDec + j;
      if (cells[k] !== 0) continue;
      const neighbours = cells[k - nDec]! + cells[k + nDec]! + cells[k - 1]! + cells[k + 1]!;
      if (neighbours >= 3) fill.push(k);
    }
  }
  for (const k of fill) cells[k] = 1;
}

/**
 * Whether a comoving point (Mpc/h, observer at the origin) lies outside the survey: VAST's `not_in_mask` (the Cython
 * one VoidFinder runs), exactly. Outside when r^2 < rMin^2 or r^2 > rMax^2 (the limits themselves are inside); else
 * ra = atan(y / x) in degrees, plus 180 when x < 0 and y != 0, plus 360 when still negative (so a point on the negative
 * x axis reads ra 0, as in VAST), dec = asin(z / r); the cell is `int(resolution * ra)`, `int(resolution * dec) +
 * 90 * resolution`, truncating toward zero. The observer's own position (r = 0) and NaN coordinates are outside.
 *
 * @example
 * isOutsideMask(mask, 100, 20, 50); // false when (ra 11.3, dec 26.1) is a survey cell and rMin <= 113.6 <= rMax
 */
export function isOutsideMask(mask: SurveyMask, x: number, y: number, z: number): boolean {
  const r2 = x * x + y * y + z * z;
  const { rMin, rMax, resolution } = mask;
  if (r2 < rMin * rMin || r2 > rMax * rMax) return true;
  if (!(r2 > 0)) return true; // r = 0 (VAST divides by it) or NaN
  const r = Math.sqrt(r2);
  let ra = Math.atan(y / x) * DEG_PER_RAD;
  const dec = Math.asin(z / r) * DEG_PER_RAD;
  if (x < 0 && y !== 0) ra += 180;
  if (ra < 0) ra += 360;
  const nRa = 360 * resolution;
  const nDec = 180 * resolution;
  let i = Math.trunc(resolution * ra);
  if (i >= nRa) i -= nRa; // ra rounded up to 360: VAST reads past its row; the same direction on the sky is cell 0
  let j = Math.trunc(resolution * dec) + 90 * resolution;
  if (j >= nDec) j = nDec - 1; // the north pole itself
  return mask.cells[i * nDec + j] === 0;
}
