import { C_KMS, FlatLambdaCDM } from '../cosmo/index.js';
import { VoidsError } from '../errors/index.js';

/** VAST's speed of light (vast.voidfinder.constants.c), km/s: 299792, not 299792.458. */
export const VAST_C_KMS = 299792.0;

const RAD_PER_DEG = Math.PI / 180;

/**
 * How redshift becomes distance: `comoving` (flat LambdaCDM with Omega_M and h) or `redshift` (c z / H0, the
 * Hubble-law distance VAST's `dist_metric='redshift'` uses).
 *
 * @example
 * const metric: DistanceMetric = 'comoving';
 */
export type DistanceMetric = 'comoving' | 'redshift';

/** The cosmology and metric of {@link vastDistances}. */
export interface VastDistanceOptions {
  /** Omega_M (VAST's Omega_M); default 0.3. */
  omegaM?: number;
  /** H0 / 100 km/s/Mpc; default 1, distances in Mpc/h. */
  h?: number;
  /** Default `comoving`. */
  metric?: DistanceMetric;
}

/**
 * Distances (Mpc/h for h = 1) of redshifts as VAST computes them, in single precision: VAST reads redshifts as float32
 * and returns float32 distances, `float32(integral) * float32(c / H0)` with its c = 299792 km/s for `comoving`
 * (distance.pyx, z_to_comoving_dist), and `c z / (100 h)` in float32 for `redshift`. The integral itself comes from
 * lib/cosmo (exact); VAST's quadrature of a float32 integrand differs from it by ~1e-8 relative, so about 6% of
 * distances land one float32 step (2e-5 Mpc/h at 300 Mpc/h) away from VAST's.
 *
 * @example
 * vastDistances(Float64Array.of(0.1026), { omegaM: 0.26 }); // Float64Array [~297.7], a float32 value
 */
export function vastDistances(z: Float64Array, options: VastDistanceOptions = {}): Float64Array {
  const { omegaM = 0.3, h = 1, metric = 'comoving' } = options;
  if (!(h > 0)) throw new VoidsError(`invalid h: ${h} (> 0)`, { scope: 'vastDistances' });
  const out = new Float64Array(z.length);
  const f = Math.fround;
  if (metric === 'redshift') {
    // numpy: float32 column * python float -> float32, then / (100 h) -> float32
    const cz = f(VAST_C_KMS);
    const hubble = f(100 * h);
    for (let i = 0; i < z.length; i++) out[i] = f(f(cz * f(z[i]!)) / hubble);
    return out;
  }
  if (!(omegaM > 0 && omegaM <= 1)) throw new VoidsError(`invalid omegaM: ${omegaM} (0 < omegaM <= 1)`, { scope: 'vastDistances' });
  // H0 = c makes the Hubble distance 1, so comovingDistances returns the dimensionless integral of da / (a^2 E(a)).
  const cosmo = new FlatLambdaCDM({ omegaM: f(omegaM), H0: C_KMS });
  const cOverH0 = f(f(VAST_C_KMS) / f(100 * f(h)));
  const zAtA = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    // VAST integrates from a = 1 / (1 + z) (rounded to float32) to 1, i.e. to the redshift 1/a - 1.
    const a = f(1 / (1 + f(z[i]!)));
    zAtA[i] = 1 / a - 1;
  }
  const integral = cosmo.comovingDistances(zAtA);
  for (let i = 0; i < z.length; i++) out[i] = f(f(integral[i]!) * cOverH0);
  return out;
}

/**
 * Comoving Cartesian positions (interleaved x y z) of galaxies at distances r toward (ra, dec) in degrees, with VAST's
 * axes and arithmetic (voidfinder.ra_dec_to_xyz): x = r cos(ra) cos(dec), y = r sin(ra) cos(dec), z = r sin(dec),
 * multiplied left to right. With `float32`, as VAST computes when its ra and dec columns are float32 (a FITS `E`
 * column): angles in radians, sines, cosines and products all rounded to float32.
 *
 * @example
 * const xyz = vastPositions(ra, dec, r, { float32: true });
 */
export function vastPositions(ra: Float64Array, dec: Float64Array, r: Float64Array, options: { float32?: boolean } = {}): Float64Array {
  const n = ra.length;
  const out = new Float64Array(3 * n);
  if (options.float32) {
    const f = Math.fround;
    const d2r = f(RAD_PER_DEG);
    for (let i = 0; i < n; i++) {
      const a = f(f(ra[i]!) * d2r);
      const d = f(f(dec[i]!) * d2r);
      const ri = f(r[i]!);
      const cd = f(Math.cos(d));
      out[3 * i] = f(f(ri * f(Math.cos(a))) * cd);
      out[3 * i + 1] = f(f(ri * f(Math.sin(a))) * cd);
      out[3 * i + 2] = f(ri * f(Math.sin(d)));
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const a = ra[i]! * RAD_PER_DEG;
    const d = dec[i]! * RAD_PER_DEG;
    const ri = r[i]!;
    out[3 * i] = ri * Math.cos(a) * Math.cos(d);
    out[3 * i + 1] = ri * Math.sin(a) * Math.cos(d);
    out[3 * i + 2] = ri * Math.sin(d);
  }
  return out;
}
