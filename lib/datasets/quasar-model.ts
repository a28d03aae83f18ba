import { C_KMS } from '../cosmo/index.js';
import { MGII_DOUBLET } from '../quasar/index.js';
import { balTransmission, type BalTrough } from './bal-troughs.js';
import type { LyaForest } from './lya-forest.js';
import type { LineTruth } from './quasar-lines.js';

/**
 * Everything that fixes one mock quasar's noiseless spectrum: redshift, power-law continuum
 * f_lambda = norm * (lambda_rest / 3000)^slope (observed-frame 1e-17 erg/s/cm2/A), Gaussian lines, forest, BAL troughs
 * and an optional intervening MgII absorber (an injected anomaly).
 *
 * @example
 * const m: QuasarModel = { z: 2.1, slope: -1.5, norm: 1.2, lines, troughs: [], forest, absorber: undefined };
 */
export interface QuasarModel {
  z: number;
  slope: number;
  norm: number;
  lines: readonly LineTruth[];
  troughs: readonly BalTrough[];
  forest: LyaForest | undefined;
  absorber: { z: number; ew: number } | undefined;
}

/**
 * Which parts of the model to include (the truth checks evaluate it with and without absorption).
 *
 * @example
 * evaluateQuasar(model, wave, { bal: false, forest: false }); // the unabsorbed model
 */
export interface ModelParts {
  bal?: boolean;
  forest?: boolean;
  absorber?: boolean;
}

const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.log(2)));

function gaussian(x: number, mu: number, sigma: number): number {
  const d = (x - mu) / sigma;
  return d * d > 60 ? 0 : Math.exp(-0.5 * d * d) / (sigma * Math.sqrt(2 * Math.PI));
}

/**
 * Continuum at a rest wavelength (observed-frame flux density units).
 *
 * @example
 * continuumAt(model, 1549.48); // continuum under CIV
 */
export function continuumAt(m: QuasarModel, rest: number): number {
  return m.norm * (rest / 3000) ** m.slope;
}

/**
 * The noiseless observed-frame flux density of `m` at each of `obsWave` (Angstrom), in 1e-17 erg/s/cm2/A.
 * A line of rest equivalent width EW and velocity FWHM adds continuum(lambda) * EW * g(lambda), g a unit-area Gaussian
 * in rest wavelength with sigma = lambda_line * FWHM / (2.3548 c): so (f - C) / C is exactly a Gaussian centred at
 * (1 + z) * lambda_line observed, whose integral over observed wavelength is (1 + z) * EW.
 *
 * @example
 * const flux = evaluateQuasar(model, wave); // Float64Array like wave
 */
export function evaluateQuasar(m: QuasarModel, obsWave: ArrayLike<number>, parts: ModelParts = {}): Float64Array {
  const { bal = true, forest = true, absorber = true } = parts;
  const out = new Float64Array(obsWave.length);
  // Only the lines that reach this grid (an arm covers a fraction of the spectrum).
  const restLo = obsWave[0]! / (1 + m.z);
  const restHi = obsWave[obsWave.length - 1]! / (1 + m.z);
  const comps = m.lines
    .flatMap((l) => [
      { mu: l.rest, sigma: (l.rest * l.fwhmBroad * FWHM_TO_SIGMA) / C_KMS, ew: l.ewBroad },
      { mu: l.rest, sigma: (l.rest * l.fwhmNarrow * FWHM_TO_SIGMA) / C_KMS, ew: l.ewNarrow },
    ])
    .filter((c) => c.ew > 0 && c.sigma > 0 && c.mu + 8 * c.sigma > restLo && c.mu - 8 * c.sigma < restHi);
  const absLines =
    absorber && m.absorber
      ? MGII_DOUBLET.map((w, k) => ({
          mu: w * (1 + m.absorber!.z),
          sigma: 1.2,
          ew: (m.absorber!.ew * (1 + m.absorber!.z)) / (k === 0 ? 1 : 1.25),
        }))
      : [];
  for (let i = 0; i < obsWave.length; i++) {
    const obs = obsWave[i]!;
    const rest = obs / (1 + m.z);
    const cont = continuumAt(m, rest);
    let f = cont;
    for (const c of comps) if (Math.abs(rest - c.mu) < 8 * c.sigma) f += cont * c.ew * gaussian(rest, c.mu, c.sigma);
    if (bal) f *= balTransmission(rest, m.troughs);
    if (forest && m.forest) f *= m.forest.transmission(obs);
    for (const a of absLines) if (Math.abs(obs - a.mu) < 8 * a.sigma) f *= Math.max(0, 1 - a.ew * gaussian(obs, a.mu, a.sigma));
    out[i] = f;
  }
  return out;
}
