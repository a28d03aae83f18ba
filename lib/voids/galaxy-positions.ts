import { VoidsError } from '../errors/index.js';
import { vastComovingDistances } from './vast-comoving.js';

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
  /**
   * Whether the ra, dec (and redshift) columns are float32, as in VAST's SDSS DR7 file: numpy then computes the
   * positions in float32 (`vastXyz`), and so must anyone who wants VAST's positions to the last bit.
   */
  float32?: boolean;
}

/** VAST's speed of light (its constants.py), km/s: not the exact value, and distances follow it. */
const VAST_C = 299792.0;

/**
 * Distances of redshifts as VAST's preprocessing computes them (Mpc/h for h = 1), to the last bit. 'comoving': VAST
 * casts each redshift and Omega_M to float32, integrates a float32 integrand with QUADPACK's QAGS (reproduced step
 * for step in `quadpack.ts`; `vastComovingDistances`), rounds the integral to float32 and multiplies it by c / H0 in float32 (c = 299792 km/s),
 * so its distances are float32 numbers up to ~3e-4 Mpc/h from the exact comoving distance (the float32 lower limit
 * float32(1 / (1 + z)) alone moves the integral by up to 3e-8 c / H0): these are those numbers (all 120,606 of SDSS
 * DR7 identical to VAST's).
 * 'redshift': c z / (100 h) in double. NaN or infinite in, NaN out.
 *
 * @example
 * const r = vastDistances(Float64Array.of(0.05, 0.1), { omegaM: 0.26 }); // [148.5..., 292.2...]
 */
export function vastDistances(redshift: ArrayLike<number>, cosmology: VastCosmology = {}): Float64Array {
  const { omegaM = 0.3, h = 1, distanceMetric = 'comoving' } = cosmology;
  if (!(h > 0) || !Number.isFinite(h)) throw new VoidsError(`invalid h: ${h} (a finite number > 0)`, { scope: 'vastDistances' });
  if (!(omegaM > 0 && omegaM <= 1)) throw new VoidsError(`invalid omegaM: ${omegaM} (0 < omegaM <= 1)`, { scope: 'vastDistances' });
  const out = new Float64Array(redshift.length);
  if (distanceMetric === 'redshift') {
    for (let i = 0; i < out.length; i++) out[i] = (VAST_C * redshift[i]!) / (100 * h);
    return out;
  }
  if (distanceMetric !== 'comoving')
    throw new VoidsError(`invalid distance metric: ${JSON.stringify(distanceMetric)} (comoving or redshift)`, { scope: 'vastDistances' });
  // float32 distances through QUADPACK's QAGS, bit for bit (vast-comoving.ts)
  const comoving = vastComovingDistances(redshift, omegaM, h);
  for (let i = 0; i < out.length; i++) out[i] = Number.isFinite(redshift[i]!) ? comoving[i]! : Number.NaN;
  return out;
}
