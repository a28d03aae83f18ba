import { emissionLine, LYMAN } from '../quasar/index.js';
import type { Rng } from './random.js';

/** Lyman alpha and beta rest wavelengths and the Lyman limit (Angstrom). */
const LYA = emissionLine('LYA').rest;
const LYB = LYMAN.beta;
const LYLIMIT = LYMAN.limit;
/** Observed-frame step (Angstrom) of the forest's random field: a little coarser than DESI's 0.8 A pixels. */
const STEP = 1.0;

/**
 * A quasar's Lyman-alpha forest: transmission exp(-tau) blueward of its Lya line, with the mean optical depth of
 * Faucher-Giguere et al. (2008), tau_eff = 0.0018 (1 + z_abs)^3.92, modulated by a log-normal random field (so
 * individual absorbers show), a Ly-beta forest below 1025.72 A rest and a Lyman-limit cut-off below 911.75 A.
 *
 * @example
 * const forest = new LyaForest(2.4, Rng.for(1, 'forest', 7)); forest.transmission(4000); // < 1
 */
export class LyaForest {
  private readonly field: Float32Array;
  private readonly start: number;

  constructor(
    readonly z: number,
    rng: Rng,
  ) {
    // The field covers the observed span of the forest, from the Lyman limit to Lya.
    this.start = LYLIMIT * (1 + z) - 2;
    const n = Math.ceil((LYA * (1 + z) + 2 - this.start) / STEP) + 2;
    const raw = new Float32Array(n);
    for (let i = 0; i < n; i++) raw[i] = rng.normal();
    this.field = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // A 3-tap smoothing gives absorbers a few pixels wide; renormalise to unit variance.
      const s = (raw[Math.max(i - 1, 0)]! + 2 * raw[i]! + raw[Math.min(i + 1, n - 1)]!) / Math.sqrt(6);
      this.field[i] = s;
    }
  }

  /** Transmission (0-1) at observed wavelength `obs` (Angstrom). */
  transmission(obs: number): number {
    const rest = obs / (1 + this.z);
    if (rest >= LYA) return 1;
    const x = (obs - this.start) / STEP;
    const i = Math.min(Math.max(Math.floor(x), 0), this.field.length - 2);
    const f = Math.min(Math.max(x - i, 0), 1);
    const g = this.field[i]! * (1 - f) + this.field[i + 1]! * f;
    const sigma = 1.0;
    const boost = Math.exp(sigma * g - (sigma * sigma) / 2);
    let tau = 0.0018 * (obs / LYA) ** 3.92 * boost;
    if (rest < LYB) tau += 0.16 * 0.0018 * (obs / LYB) ** 3.92 * boost;
    if (rest < LYLIMIT) tau += 3;
    return Math.exp(-tau);
  }
}
