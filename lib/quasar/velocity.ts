import { C_KMS } from '../cosmo/index.js';

/**
 * Speed (km/s) of rest wavelength `restWave` relative to a line at `ionRest`, in baltools' linear convention
 * v = c (lambda - lambda_ion) / lambda_ion: negative blueward (outflows).
 *
 * @example
 * velocityOffset(1500, 1549.48); // -9573.36 km/s
 */
export function velocityOffset(restWave: number, ionRest: number): number {
  return (C_KMS * (restWave - ionRest)) / ionRest;
}

/**
 * The rest wavelength at speed v (km/s) from a line at `ionRest`: the inverse of {@link velocityOffset},
 * lambda = lambda_ion (1 + v / c).
 *
 * @example
 * wavelengthAtVelocity(-25000, 1549.48); // 1420.27 A, the blue edge of the CIV BAL window
 */
export function wavelengthAtVelocity(v: number, ionRest: number): number {
  return ionRest * (1 + v / C_KMS);
}
