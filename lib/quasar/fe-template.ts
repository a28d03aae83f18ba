import { C_KMS } from '../cosmo/index.js';
import { QuasarError } from '../errors/index.js';

/**
 * An Fe II emission template as the caller provides it: rest wavelength (Angstrom, increasing) and flux (any units;
 * the continuum fit scales it). No template ships with skybook.
 *
 * @example
 * const fe: FeTemplateInput = { wave: vestergaardWave, flux: vestergaardFlux, fwhm: 3000 };
 */
export interface FeTemplateInput {
  wave: ArrayLike<number>;
  flux: ArrayLike<number>;
  /** Gaussian broadening (FWHM, km/s) applied once before fitting; default 0 (use the template as given). */
  fwhm?: number;
}

/** Step of the ln(lambda) grid the template is resampled onto (~30 km/s). */
const STEP = 1e-4;
const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/**
 * An Fe II template resampled onto a uniform ln(lambda) grid and broadened by a Gaussian in velocity, ready to be
 * evaluated at any rest wavelengths (0 outside its range).
 *
 * @example
 * const fe = new FeTemplate({ wave, flux, fwhm: 3000 });
 * const t = fe.at(rest.wave); // Float64Array
 */
export class FeTemplate {
  private readonly x0: number;
  private readonly values: Float64Array;

  constructor(input: FeTemplateInput) {
    const { wave, flux } = input;
    const n = wave.length;
    if (flux.length !== n || n < 2)
      throw new QuasarError(`Fe II template needs >= 2 points and as many fluxes as wavelengths (got ${n}, ${flux.length})`, {
        scope: 'FeTemplate',
      });
    for (let i = 1; i < n; i++)
      if (!(wave[i]! > wave[i - 1]!))
        throw new QuasarError(`Fe II template wavelengths must increase (index ${i})`, { scope: 'FeTemplate' });
    this.x0 = Math.log(wave[0]!);
    const m = Math.floor((Math.log(wave[n - 1]!) - this.x0) / STEP) + 1;
    const grid = new Float64Array(m);
    let j = 0;
    for (let k = 0; k < m; k++) {
      const lam = Math.exp(this.x0 + k * STEP);
      while (j < n - 2 && wave[j + 1]! < lam) j++;
      const t = (lam - wave[j]!) / (wave[j + 1]! - wave[j]!);
      grid[k] = flux[j]! + Math.min(Math.max(t, 0), 1) * (flux[j + 1]! - flux[j]!);
    }
    const fwhm = input.fwhm ?? 0;
    this.values = fwhm > 0 ? broaden(grid, fwhm / C_KMS / FWHM_PER_SIGMA / STEP) : grid;
  }

  /**
   * The template at rest wavelengths `restWave` (linear interpolation on its grid; 0 outside it).
   *
   * @example
   * fe.at(Float64Array.of(4500, 5200));
   */
  at(restWave: ArrayLike<number>, out = new Float64Array(restWave.length)): Float64Array {
    const v = this.values;
    for (let i = 0; i < restWave.length; i++) {
      const u = (Math.log(restWave[i]!) - this.x0) / STEP;
      const k = Math.floor(u);
      out[i] = k < 0 || k >= v.length - 1 ? 0 : v[k]! + (u - k) * (v[k + 1]! - v[k]!);
    }
    return out;
  }
}

/** Convolution with a unit-area Gaussian of `sigma` grid steps (truncated at 4 sigma). */
function broaden(values: Float64Array, sigma: number): Float64Array {
  const half = Math.ceil(4 * sigma);
  const kernel = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) kernel[k + half] = Math.exp(-0.5 * (k / sigma) ** 2);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let s = 0;
    let w = 0;
    for (let k = -half; k <= half; k++) {
      const j = i + k;
      if (j < 0 || j >= values.length) continue;
      s += kernel[k + half]! * values[j]!;
      w += kernel[k + half]!;
    }
    out[i] = s / w;
  }
  return out;
}
