import { inverseLookup } from '../core/index.js';
import { C_KMS } from './speed-of-light.js';

/**
 * The mock survey's fast lookup of flat LambdaCDM comoving distances in Mpc/h (H0 = 100 h km/s/Mpc): Simpson's rule
 * on a 0.0005 redshift step up to zMax, linear interpolation for distance, bisection for redshift. lib/datasets uses
 * it so the mock's light cone maps redshift to distance and back identically on every run (its bits are frozen by
 * datasets/MANIFEST.json: do not change the algorithm). Its linear interpolation is within 6e-5 Mpc/h of
 * `FlatLambdaCDM` (2e-7 relative from z = 0.1, 2e-6 at z = 0.01) and its redshifts within 3e-8 for Omega_M 0.2-0.4;
 * new code should use FlatLambdaCDM.
 *
 * @example
 * const table = new LinearDistanceTable(0.3);
 * table.distance(0.1); // ~ 292.92 Mpc/h
 * table.redshift(292.92); // ~ 0.1
 */
export class LinearDistanceTable {
  private readonly zs: Float64Array;
  private readonly ds: Float64Array;
  private readonly dz: number;

  constructor(
    readonly omegaM = 0.3,
    readonly zMax = 6,
  ) {
    const n = Math.ceil(zMax / 0.0005) + 1;
    this.dz = zMax / (n - 1);
    this.zs = new Float64Array(n);
    this.ds = new Float64Array(n);
    const hubble = C_KMS / 100;
    const inv = (z: number) => 1 / Math.sqrt(omegaM * (1 + z) ** 3 + (1 - omegaM));
    for (let i = 1; i < n; i++) {
      const a = (i - 1) * this.dz;
      const b = i * this.dz;
      // Simpson's rule on each step: far below float32 precision for this smooth integrand.
      this.ds[i] = this.ds[i - 1]! + (hubble * (b - a) * (inv(a) + 4 * inv((a + b) / 2) + inv(b))) / 6;
      this.zs[i] = b;
    }
  }

  /**
   * Comoving distance (Mpc/h) to redshift z (0 <= z <= zMax), linearly interpolated in the table.
   *
   * @example
   * new LinearDistanceTable(0.3).distance(0.1); // ~ 292.92
   */
  distance(z: number): number {
    const x = Math.min(Math.max(z / this.dz, 0), this.zs.length - 1.000001);
    const i = Math.floor(x);
    const f = x - i;
    return this.ds[i]! * (1 - f) + this.ds[i + 1]! * f;
  }

  /**
   * The redshift at comoving distance d (Mpc/h), by bisection in the table.
   *
   * @example
   * new LinearDistanceTable(0.3).redshift(292.92); // ~ 0.1
   */
  redshift(d: number): number {
    return inverseLookup(this.zs, this.ds, d);
  }

  /**
   * Distance modulus for h = 1 distances: 5 log10(d_L / 10 pc) with d_L = (1 + z) d in Mpc/h.
   *
   * @example
   * new LinearDistanceTable(0.3).distanceModulus(0.1); // ~ 37.54
   */
  distanceModulus(z: number): number {
    return 5 * Math.log10(Math.max((1 + z) * this.distance(z), 1e-6) * 1e5);
  }
}
