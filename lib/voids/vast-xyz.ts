import { VoidsError } from '../errors/index.js';
import type { DistanceMetric, VastCosmology } from './galaxy-positions.js';
import { numpyCosF32, numpySinF32 } from './numpy-float32-trig.js';
import { vastComovingDistances } from './vast-comoving.js';

const RAD_PER_DEG = Math.PI / 180;

/** VAST's speed of light (vast.voidfinder.constants.c), km/s. */
const VAST_C = 299792.0;

/**
 * Galaxy distances as VAST's VoidFinder gets them for its input: `comoving` always in float32, bit for bit
 * ({@link vastComovingDistances}); `redshift` as c z / (100 h) in the precision of the redshift column: float32
 * arithmetic when `float32` (numpy keeps a float32 column float32), double otherwise.
 *
 * @example
 * const r = vastRadii(z, { omegaM: 0.26, distanceMetric: 'comoving' });
 */
export function vastRadii(
  z: Float64Array,
  options: { omegaM: number; h: number; distanceMetric: DistanceMetric; float32?: boolean },
): Float64Array {
  if (options.distanceMetric === 'comoving') return vastComovingDistances(z, options.omegaM, options.h);
  const f = options.float32 ? Math.fround : (v: number) => v;
  const c = f(VAST_C);
  const hubble = f(100 * options.h);
  return Float64Array.from(z, (zi) => f(f(c * f(zi)) / hubble));
}

/**
 * Comoving Cartesian positions (interleaved x y z) of galaxies at distances r toward (ra, dec) in degrees, as VAST's
 * ra_dec_to_xyz computes them: x = r cos(ra) cos(dec), y = r sin(ra) cos(dec), z = r sin(dec), multiplied left to
 * right. With `float32`, as numpy computes them for float32 ra and dec columns (a FITS `E` column, as in VAST's SDSS
 * DR7 file): radians and every product rounded to float32, sines and cosines by numpy's own float32 routine
 * (numpy-float32-trig.ts), so the positions are VAST's to the bit.
 *
 * @example
 * const xyz = vastXyz(ra, dec, r, { float32: true });
 */
export function vastXyz(ra: Float64Array, dec: Float64Array, r: Float64Array, options: { float32?: boolean } = {}): Float64Array {
  const n = ra.length;
  const out = new Float64Array(3 * n);
  if (options.float32) {
    const f = Math.fround;
    const d2r = f(RAD_PER_DEG);
    for (let i = 0; i < n; i++) {
      const a = f(f(ra[i]!) * d2r);
      const d = f(f(dec[i]!) * d2r);
      const ri = f(r[i]!);
      const cd = numpyCosF32(d);
      out[3 * i] = f(f(ri * numpyCosF32(a)) * cd);
      out[3 * i + 1] = f(f(ri * numpySinF32(a)) * cd);
      out[3 * i + 2] = f(ri * numpySinF32(d));
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

/**
 * Positions of galaxies on the sky as VAST's VoidFinder places them (interleaved x y z, Mpc/h): {@link vastRadii}
 * then {@link vastXyz}, in float32 arithmetic when `float32` (float32 ra and dec columns). Classification must place
 * galaxies exactly as the void finder did: the galaxies that bound a hole lie on its surface, and the last bit of their
 * position decides whether VAST's strict test puts them inside.
 *
 * @example
 * const xyz = vastPositions(ra, dec, redshift, { omegaM: 0.26, float32: true });
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
  const { omegaM = 0.3, h = 1, distanceMetric = 'comoving', float32 = false } = cosmology;
  const r = vastRadii(Float64Array.from(redshift), { omegaM, h, distanceMetric, float32 });
  return vastXyz(Float64Array.from(ra), Float64Array.from(dec), r, { float32 });
}
