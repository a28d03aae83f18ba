import { raDecOf, unitVectors } from '../core/index.js';
import { CosmoError } from '../errors/index.js';
import type { FlatLambdaCDM } from './flat-lcdm.js';

/**
 * Comoving Cartesian positions (Mpc; Mpc/h for H0 = 100) of sky positions (degrees) at redshifts, on VAST's axes (x
 * towards ra 0, z towards the north pole; lib/core's `unitVector`), interleaved x0 y0 z0 x1 y1 z1 ... (numpy's (N, 3)).
 * Distances come from the cosmology's vectorised `comovingDistances`.
 *
 * @example
 * const xyz = skyToCartesian(new FlatLambdaCDM({ omegaM: 0.3 }), ra, dec, z); // Float64Array of 3n
 */
export function skyToCartesian(
  cosmo: Pick<FlatLambdaCDM, 'comovingDistances'>,
  raDeg: ArrayLike<number>,
  decDeg: ArrayLike<number>,
  redshift: ArrayLike<number>,
  out = new Float64Array(3 * raDeg.length),
): Float64Array {
  if (redshift.length !== raDeg.length)
    throw new CosmoError(`ra (${raDeg.length}) and redshift (${redshift.length}) lengths differ`, { scope: 'skyToCartesian' });
  const d = cosmo.comovingDistances(redshift);
  unitVectors(raDeg, decDeg, out);
  for (let i = 0; i < d.length; i++) {
    out[3 * i] = out[3 * i]! * d[i]!;
    out[3 * i + 1] = out[3 * i + 1]! * d[i]!;
    out[3 * i + 2] = out[3 * i + 2]! * d[i]!;
  }
  return out;
}

/**
 * Sky positions and redshifts of comoving Cartesian positions (interleaved x y z, Mpc): the inverse of
 * {@link skyToCartesian}, with `distance` the comoving distance of each point. The origin maps to ra 0, dec 0, z 0.
 *
 * @example
 * const { ra, dec, redshift, distance } = cartesianToSky(cosmo, xyz);
 */
export function cartesianToSky(
  cosmo: Pick<FlatLambdaCDM, 'redshiftsAtDistances'>,
  xyz: ArrayLike<number>,
): { ra: Float64Array; dec: Float64Array; redshift: Float64Array; distance: Float64Array } {
  if (xyz.length % 3 !== 0) throw new CosmoError(`length ${xyz.length} is not a multiple of 3`, { scope: 'cartesianToSky' });
  const n = xyz.length / 3;
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xyz[3 * i]!,
      y = xyz[3 * i + 1]!,
      z = xyz[3 * i + 2]!;
    const r = Math.hypot(x, y, z);
    distance[i] = r;
    if (r === 0) continue;
    const p = raDecOf(x / r, y / r, z / r);
    ra[i] = p.ra;
    dec[i] = p.dec;
  }
  return { ra, dec, redshift: cosmo.redshiftsAtDistances(distance), distance };
}
