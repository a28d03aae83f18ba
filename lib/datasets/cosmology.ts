import { inverseLookup } from '../core/index.js';

/**
 * Flat LambdaCDM comoving distances in Mpc/h (H0 = 100 h km/s/Mpc, the VAST/DESIVAST convention), tabulated once
 * so the light cone can map redshift to distance and back quickly and identically on every run.
 *
 * @example
 * const cosmo = new Cosmology(0.3);
 * cosmo.distance(0.1); // ~ 292 Mpc/h
 * cosmo.redshift(292); // ~ 0.1
 */
export class Cosmology {
  /** Speed of light in km/s. */
  static readonly C_KMS = 299792.458;
  private readonly zs: Float64Array;
  private readonly ds: Float64Array;
  private readonly dz: number;

  constructor(readonly omegaM = 0.3, readonly zMax = 6) {
    const n = Math.ceil(zMax / 0.0005) + 1;
    this.dz = zMax / (n - 1);
    this.zs = new Float64Array(n);
    this.ds = new Float64Array(n);
    const hubble = Cosmology.C_KMS / 100;
    const inv = (z: number) => 1 / Math.sqrt(omegaM * (1 + z) ** 3 + (1 - omegaM));
    for (let i = 1; i < n; i++) {
      const a = (i - 1) * this.dz;
      const b = i * this.dz;
      // Simpson's rule on each step: far below float32 precision for this smooth integrand.
      this.ds[i] = this.ds[i - 1]! + (hubble * (b - a) * (inv(a) + 4 * inv((a + b) / 2) + inv(b))) / 6;
      this.zs[i] = b;
    }
  }

  /** Comoving distance (Mpc/h) to redshift z (0 <= z <= zMax), linearly interpolated in the table. */
  distance(z: number): number {
    const x = Math.min(Math.max(z / this.dz, 0), this.zs.length - 1.000001);
    const i = Math.floor(x);
    const f = x - i;
    return this.ds[i]! * (1 - f) + this.ds[i + 1]! * f;
  }

  /** The redshift at comoving distance d (Mpc/h), by bisection in the table. */
  redshift(d: number): number {
    return inverseLookup(this.zs, this.ds, d);
  }

  /** Distance modulus for h = 1 distances: 5 log10(d_L / 10 pc) with d_L = (1 + z) d in Mpc/h. */
  distanceModulus(z: number): number {
    return 5 * Math.log10(Math.max((1 + z) * this.distance(z), 1e-6) * 1e5);
  }
}
