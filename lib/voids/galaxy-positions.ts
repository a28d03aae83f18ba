import { VoidsError } from '../errors/index.js';
import { qags } from './quadpack.js';

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

/** VAST's tolerances for its distance integral (scipy's quad defaults, passed to _qagse as epsabs and epsrel). */
const VAST_EPS = 1.49e-8;

/**
 * VAST's comoving distance integrand, as its Cython z_to_comoving_dist has it: 1 / sqrt(a Om (1 + (1 - Om) a^3 /
 * Om)), integrated from a = float32(1 / (1 + z)) to 1, taking a and Om as float32 (a Om is a float32 product, the rest
 * double) and returning a float32.
 */
function vastIntegrand(om32: number): (x: number) => number {
  const f = Math.fround;
  return (x: number) => {
    const a = f(x);
    return f(1 / Math.sqrt(f(a * om32) * (1 + ((1 - om32) * a * a * a) / om32)));
  };
}

/**
 * Distances of redshifts as VAST's preprocessing computes them (Mpc/h for h = 1), to the last bit. 'comoving': VAST
 * casts each redshift and Omega_M to float32, integrates a float32 integrand with QUADPACK's QAGS (reproduced step
 * for step in `quadpack.ts`), rounds the integral to float32 and multiplies it by c / H0 in float32 (c = 299792 km/s),
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
  const integrand = vastIntegrand(Math.fround(omegaM));
  const cOverH0 = Math.fround(Math.fround(VAST_C) / Math.fround(100 * h));
  // a pure function of the float32 redshift: catalogues repeat redshifts (SDSS DR7: 54,892 distinct in 120,606)
  const seen = new Map<number, number>();
  for (let i = 0; i < out.length; i++) {
    const z = Math.fround(redshift[i]!);
    let r = seen.get(z);
    if (r === undefined) {
      const a0 = Math.fround(1 / (1 + z));
      r = Number.isFinite(z) && z > -1 ? Math.fround(Math.fround(qags(integrand, a0, 1, VAST_EPS, VAST_EPS)) * cOverH0) : Number.NaN;
      seen.set(z, r);
    }
    out[i] = r;
  }
  return out;
}
