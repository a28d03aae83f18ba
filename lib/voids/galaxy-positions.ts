import { C_KMS, FlatLambdaCDM } from '../cosmo/index.js';
import { VoidsError } from '../errors/index.js';

/**
 * How VAST turns redshift into distance: 'comoving' (the flat LambdaCDM comoving distance, VAST's default) or
 * 'redshift' (c z / H0, cosmology-free).
 *
 * @example
 * const metric: DistanceMetric = 'comoving';
 */
export type DistanceMetric = 'comoving' | 'redshift';

/**
 * The cosmology of a distance conversion: Omega_M (VAST's default 0.3; its SDSS DR7 run uses 0.26), h (default 1,
 * distances in Mpc/h) and the metric (default 'comoving').
 *
 * @example
 * const c: VastCosmology = { omegaM: 0.26, h: 1 };
 */
export interface VastCosmology {
  omegaM?: number;
  h?: number;
  distanceMetric?: DistanceMetric;
}

/** VAST's speed of light (its constants.py), km/s: not the exact value, and distances follow it. */
const VAST_C = 299792.0;
const DEG_TO_RAD = Math.PI / 180;

/**
 * Distances of redshifts as VAST's preprocessing computes them (Mpc/h for h = 1). 'comoving': VAST casts each redshift
 * and Omega_M to float32, integrates, rounds the integral to float32 and multiplies it by c / H0 in float32 (c =
 * 299792 km/s), so its distances are float32 numbers; this does the same around lib/cosmo's exact integral, lower limit included (the
 * quadrature's own last bits aside, the result is VAST's float32 value). 'redshift': c z / (100 h) in double. NaN in,
 * NaN out.
 *
 * @example
 * const r = vastDistances(Float64Array.of(0.05, 0.1), { omegaM: 0.26 }); // [148.5..., 292.2...]
 */
export function vastDistances(redshift: ArrayLike<number>, cosmology: VastCosmology = {}): Float64Array {
  const { omegaM = 0.3, h = 1, distanceMetric = 'comoving' } = cosmology;
  if (!(h > 0) || !Number.isFinite(h)) throw new VoidsError(`invalid h: ${h} (a finite number > 0)`, { scope: 'vastDistances' });
  const out = new Float64Array(redshift.length);
  if (distanceMetric === 'redshift') {
    for (let i = 0; i < out.length; i++) out[i] = (VAST_C * redshift[i]!) / (100 * h);
    return out;
  }
  if (distanceMetric !== 'comoving')
    throw new VoidsError(`invalid distance metric: ${JSON.stringify(distanceMetric)} (comoving or redshift)`, { scope: 'vastDistances' });
  // H0 = c makes the Hubble distance 1: comovingDistances returns the dimensionless integral VAST rounds to float32.
  const cosmo = new FlatLambdaCDM({ omegaM: Math.fround(omegaM), H0: C_KMS });
  // VAST integrates da / (a^2 E) from a = float32(1 / (1 + float32(z))) to 1: the float32 lower limit moves the
  // integral by up to ~6e-7 of itself (1e-4 Mpc/h at 300 Mpc/h), so it is the redshift of that a that is integrated.
  const zAtLimit = Float64Array.from(redshift, (z) => 1 / Math.fround(1 / (1 + Math.fround(z))) - 1);
  const integral = cosmo.comovingDistances(zAtLimit);
  const cOverH0 = Math.fround(Math.fround(VAST_C) / Math.fround(100 * h));
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(Math.fround(integral[i]!) * cOverH0);
  return out;
}

/**
 * Comoving positions of galaxies as VAST computes them (its ra_dec_to_xyz): x = r cos(ra) cos(dec), y = r sin(ra)
 * cos(dec), z = r sin(dec), multiplied in that order, with r from {@link vastDistances}; interleaved x y z.
 *
 * @example
 * const xyz = vastPositions(ra, dec, redshift, { omegaM: 0.26 });
 */
export function vastPositions(
  ra: ArrayLike<number>,
  dec: ArrayLike<number>,
  redshift: ArrayLike<number>,
  cosmology: VastCosmology = {},
): Float64Array {
  const n = ra.length;
  if (dec.length !== n || redshift.length !== n)
    throw new VoidsError(`ra (${n}), dec (${dec.length}) and redshift (${redshift.length}) lengths differ`, { scope: 'vastPositions' });
  const r = vastDistances(redshift, cosmology);
  const xyz = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = ra[i]! * DEG_TO_RAD;
    const d = dec[i]! * DEG_TO_RAD;
    xyz[3 * i] = r[i]! * Math.cos(a) * Math.cos(d);
    xyz[3 * i + 1] = r[i]! * Math.sin(a) * Math.cos(d);
    xyz[3 * i + 2] = r[i]! * Math.sin(d);
  }
  return xyz;
}
