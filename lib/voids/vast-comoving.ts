import { VoidsError } from '../errors/index.js';
import { qags } from './quadpack.js';

/** VAST's speed of light (vast.voidfinder.constants.c), km/s: 299792, not 299792.458. */
const VAST_C = 299792.0;

/**
 * Comoving distances (Mpc/h for h = 1) of redshifts exactly as VAST computes them (distance.pyx, z_to_comoving_dist):
 * the redshift and Omega_M in float32; a = float32(1 / (1 + z)); the integrand 1 / sqrt(a Om (1 + (1 - Om) a^3 / Om))
 * evaluated with a rounded to float32, a Om in float32 and the result rounded to float32; integrated from a to 1 by
 * QUADPACK's QAGS (epsabs = epsrel = 1.49e-8, 50 intervals) as scipy runs it; the integral rounded to float32 and multiplied by
 * float32(c / H0) in float32. The float32 integrand makes the quadrature subdivide and extrapolate, which moves the
 * integral by up to ~3e-8 of itself: only the same steps give VAST's float32 distance for every redshift. Each distinct
 * redshift is integrated once.
 *
 * @example
 * vastComovingDistances(Float64Array.of(0.1026), 0.26, 1); // Float64Array [301.2730712890625], VAST's DLIMU for DR7
 */
export function vastComovingDistances(z: ArrayLike<number>, omegaM: number, h: number): Float64Array {
  if (!(omegaM > 0 && omegaM <= 1)) throw new VoidsError(`invalid omegaM: ${omegaM} (0 < omegaM <= 1)`, { scope: 'vastComovingDistances' });
  if (!(h > 0) || !Number.isFinite(h)) throw new VoidsError(`invalid h: ${h} (a finite number > 0)`, { scope: 'vastComovingDistances' });
  const f = Math.fround;
  const om = f(omegaM);
  const oneMinusOm = 1.0 - om;
  const integrand = (x: number) => {
    const a = f(x);
    return f(1.0 / Math.sqrt(f(a * om) * (1.0 + (oneMinusOm * a * a * a) / om)));
  };
  const cOverH0 = f(f(VAST_C) / f(100.0 * f(h)));
  const out = new Float64Array(z.length);
  const known = new Map<number, number>();
  for (let i = 0; i < z.length; i++) {
    const zi = f(z[i]!);
    let d = known.get(zi);
    if (d === undefined) {
      if (Number.isNaN(zi)) d = Number.NaN;
      else {
        const a = f(1.0 / (1.0 + zi));
        d = f(f(qags(integrand, a, 1.0, 1.49e-8, 1.49e-8, 50).result) * cOverH0);
      }
      known.set(zi, d);
    }
    out[i] = d;
  }
  return out;
}
