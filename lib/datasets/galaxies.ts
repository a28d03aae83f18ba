import { inverseLookup, unitVector } from '../core/index.js';
import type { LinearDistanceTable } from '../cosmo/index.js';
import { DatasetError } from '../errors/index.js';
import { samplePixel, type FootprintPixel } from './footprint.js';
import type { SurveyPreset } from './presets.js';
import type { Rng } from './random.js';
import { density, type PlantedVoid, type PlantedWall } from './structures.js';
import { mockTargetId } from './targetid.js';

/**
 * BGS Bright's magnitude limit (r < 19.5) and the Schechter luminosity function (h = 1) the galaxies follow.
 *
 * @example
 * const visible = magR < BGS_RLIMIT;
 */
export const BGS_RLIMIT = 19.5;
const MSTAR = -20.44;
const ALPHA = -1.05;
const M_BRIGHT = -23.5;
const M_FAINT = -16;

/**
 * The galaxies of one pixel, as columns.
 *
 * @example
 * const g: GalaxyColumns = generateGalaxies(pixel, 300, preset, cosmo, near, walls, rng); g.z[0];
 */
export interface GalaxyColumns {
  n: number;
  targetid: BigInt64Array;
  ra: Float64Array;
  dec: Float64Array;
  z: Float64Array;
  absMagR: Float32Array;
  magG: Float32Array;
  magR: Float32Array;
  magZ: Float32Array;
}

/** Cumulative luminosity function on a 0.01 mag grid from the bright end, for drawing M below a limit. */
class LuminosityFunction {
  private readonly cdf: Float64Array;
  private readonly mags: Float64Array;
  constructor() {
    const n = Math.round((M_FAINT - M_BRIGHT) / 0.01) + 1;
    this.cdf = new Float64Array(n);
    this.mags = Float64Array.from({ length: n }, (_, i) => M_BRIGHT + i * 0.01);
    for (let i = 1; i < n; i++) {
      const m = M_BRIGHT + (i - 0.5) * 0.01;
      const x = 10 ** (0.4 * (MSTAR - m));
      this.cdf[i] = this.cdf[i - 1]! + x ** (ALPHA + 1) * Math.exp(-x);
    }
    const total = this.cdf[n - 1]!;
    for (let i = 0; i < n; i++) this.cdf[i]! /= total;
  }
  /** Fraction of galaxies brighter than absolute magnitude m. */
  fraction(m: number): number {
    const x = (m - M_BRIGHT) / 0.01;
    if (x <= 0) return 0;
    if (x >= this.cdf.length - 1) return 1;
    const i = Math.floor(x);
    return this.cdf[i]! + (x - i) * (this.cdf[i + 1]! - this.cdf[i]!);
  }
  /** The magnitude whose cumulative fraction is u (inverse CDF, by bisection). */
  quantile(u: number): number {
    return inverseLookup(this.mags, this.cdf, u);
  }
}

const LF = new LuminosityFunction();

/** A simple K-correction for the r band at low redshift. */
function kcorr(z: number): number {
  return 0.9 * z;
}

/**
 * Distances of a magnitude-limited sample: d drawn with density d^2 * F(M_lim(d)) (volume times the visible fraction
 * of the luminosity function) by inverting a tabulated CDF, so candidates only need the density-field test.
 */
class RadialSampler {
  private readonly d: Float64Array;
  private readonly cdf: Float64Array;
  constructor(d0: number, d1: number, cosmo: LinearDistanceTable) {
    const n = 4096;
    this.d = new Float64Array(n);
    this.cdf = new Float64Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const d = d0 + ((d1 - d0) * i) / (n - 1);
      const z = cosmo.redshift(d);
      const w = d * d * LF.fraction(BGS_RLIMIT - cosmo.distanceModulus(z) - kcorr(z));
      this.d[i] = d;
      if (i > 0) this.cdf[i] = this.cdf[i - 1]! + ((prev + w) / 2) * (d - this.d[i - 1]!);
      prev = w;
    }
    const total = this.cdf[n - 1]!;
    for (let i = 0; i < n; i++) this.cdf[i]! /= total;
  }
  /** The distance whose cumulative fraction is u. */
  sample(u: number): number {
    return inverseLookup(this.d, this.cdf, u);
  }
}

const SAMPLERS = new Map<string, RadialSampler>();
function radialSampler(preset: SurveyPreset, cosmo: LinearDistanceTable): RadialSampler {
  const key = `${preset.zMin}:${preset.zMax}:${cosmo.omegaM}`;
  let s = SAMPLERS.get(key);
  if (!s) {
    s = new RadialSampler(cosmo.distance(preset.zMin), cosmo.distance(preset.zMax), cosmo);
    SAMPLERS.set(key, s);
  }
  return s;
}

/**
 * Draws one candidate galaxy in a pixel with its acceptance probability, the density field at its position (0 in
 * voids, up to 1 in shells and walls). Distances follow the magnitude-limited n(z) (r < 19.5), so accepted galaxies
 * trace that n(z) modulated by the planted voids and walls.
 *
 * @example
 * const c = drawCandidate(pixel, preset, cosmo, near, walls, rng); if (rng.uniform() < c.accept) keep(c);
 */
export function drawCandidate(
  p: FootprintPixel,
  preset: SurveyPreset,
  cosmo: LinearDistanceTable,
  near: readonly PlantedVoid[],
  walls: readonly PlantedWall[],
  rng: Rng,
) {
  const { ra, dec } = samplePixel(p, rng);
  const d = radialSampler(preset, cosmo).sample(rng.uniform());
  const [ux, uy, uz] = unitVector(ra, dec);
  const z = cosmo.redshift(d);
  const visible = LF.fraction(BGS_RLIMIT - cosmo.distanceModulus(z) - kcorr(z));
  return { ra, dec, d, z, visible, accept: density(d * ux, d * uy, d * uz, near, walls) };
}

/**
 * The galaxies of one pixel: exactly `count` accepted candidates, with absolute magnitudes drawn from the
 * luminosity function below the visibility limit and g, r, z apparent magnitudes.
 *
 * @example
 * const g = generateGalaxies(pixel, 350, preset, cosmo, nearbyVoids, walls, Rng.for(seed, 'galaxies', pixel.pix));
 */
export function generateGalaxies(
  p: FootprintPixel,
  count: number,
  preset: SurveyPreset,
  cosmo: LinearDistanceTable,
  near: readonly PlantedVoid[],
  walls: readonly PlantedWall[],
  rng: Rng,
): GalaxyColumns {
  const g: GalaxyColumns = {
    n: count,
    targetid: new BigInt64Array(count),
    ra: new Float64Array(count),
    dec: new Float64Array(count),
    z: new Float64Array(count),
    absMagR: new Float32Array(count),
    magG: new Float32Array(count),
    magR: new Float32Array(count),
    magZ: new Float32Array(count),
  };
  let k = 0;
  for (let tries = 0; k < count; tries++) {
    if (tries > 2000 * (count + 10)) throw new DatasetError(`galaxy acceptance too low to place ${count} galaxies`, { pixel: p.pix });
    const c = drawCandidate(p, preset, cosmo, near, walls, rng);
    if (rng.uniform() >= c.accept) continue;
    const absMag = LF.quantile(rng.uniform() * c.visible);
    const r = absMag + cosmo.distanceModulus(c.z) + kcorr(c.z);
    g.targetid[k] = mockTargetId(p.pix, k);
    g.ra[k] = c.ra;
    g.dec[k] = c.dec;
    g.z[k] = c.z;
    g.absMagR[k] = absMag;
    g.magR[k] = r;
    g.magG[k] = r + 0.55 + 0.8 * c.z + 0.12 * rng.normal();
    g.magZ[k] = r - 0.4 - 0.3 * c.z + 0.08 * rng.normal();
    k++;
  }
  return g;
}
