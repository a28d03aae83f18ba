import type { Rng } from './random.js';

/**
 * Number of resolution-matrix diagonals DESI stores, and their offsets ndiag//2 - arange(ndiag) (scipy dia_matrix).
 *
 * @example
 * new Float32Array(nspec * NDIAG * nwave); // a coadd's X_RESOLUTION
 */
export const NDIAG = 11;
const HALF = (NDIAG - 1) / 2;

/**
 * A DESI-layout resolution matrix for one spectrum of one arm: `data[d * nwave + j]` is R[i, j] with
 * j = i + (5 - d), i.e. scipy's `dia_matrix((data, offsets))` with offsets 5..-5 (lib/desi's `applyResolution` applies it). Each row is a Gaussian line-spread
 * function of width `sigmaPix(i)` pixels, truncated to 11 pixels and normalised to sum to 1 (flux conserving).
 *
 * @example
 * const R = resolutionData(2751, () => 0.9); // Float32Array(11 * 2751)
 */
export function resolutionData(nwave: number, sigmaPix: (row: number) => number): Float32Array {
  const data = new Float32Array(NDIAG * nwave);
  const w = new Float64Array(NDIAG);
  for (let i = 0; i < nwave; i++) {
    const s = sigmaPix(i);
    // exp(-k^2 / 2s^2) = e1^(k^2): one exp per row, the other weights by multiplication (e1^(k^2) = e1^((k-1)^2) * e1^(2k-1)).
    const e1 = Math.exp(-0.5 / (s * s));
    w[HALF] = 1;
    let sum = 1;
    let v = 1;
    let step = e1;
    for (let k = 1; k <= HALF; k++) {
      v *= step;
      step *= e1 * e1;
      w[HALF + k] = v;
      w[HALF - k] = v;
      sum += 2 * v;
    }
    for (let k = -HALF; k <= HALF; k++) {
      const j = i + k;
      if (j < 0 || j >= nwave) continue;
      data[(HALF - k) * nwave + j] = w[k + HALF]! / sum;
    }
  }
  return data;
}

/**
 * The line-spread width (sigma, pixels) along an arm: DESI's resolution rises from blue to red within each arm.
 *
 * @example
 * lsfSigma('B', 0.5, 0); // ~1.0 pixel
 */
export function lsfSigma(arm: 'B' | 'R' | 'Z', frac: number, fibreJitter: number): number {
  const base = arm === 'B' ? 0.95 : arm === 'R' ? 0.9 : 0.85;
  return (base + 0.15 * (1 - frac)) * (1 + fibreJitter);
}

/**
 * Noise model of one arm: sky-dominated variance per pixel (in flux units squared), higher at the arm edges and on sky lines.
 *
 * @example
 * skyVariance('Z', 8500, 0.4, 1); // flux units squared
 */
export function skyVariance(arm: 'B' | 'R' | 'Z', wave: number, frac: number, depth: number): number {
  const base = arm === 'B' ? 0.35 : arm === 'R' ? 0.25 : 0.4;
  const edge = 1 + 3 * Math.exp(-Math.min(frac, 1 - frac) * 40);
  // A comb of OH-like sky lines in the red arms, at fixed wavelengths so they repeat across spectra like real sky.
  const skyline = arm === 'B' ? 0 : 2.5 * Math.exp(-0.5 * ((((wave * 0.173) % 1) - 0.5) / 0.03) ** 2) * (arm === 'Z' ? 2 : 1);
  return ((base * edge) ** 2 + skyline) / depth;
}

/**
 * Observed flux, inverse variance and mask for one arm: flux = R @ model + N(0, 1) / sqrt(ivar), with
 * var = sky + max(R @ model, 0) / 25 (photon noise); masked pixels get ivar 0, flux 0 and the given mask bits.
 *
 * @example
 * const { flux, ivar, mask } = observe(convolved, variance, maskBits, rng);
 */
export function observe(
  convolved: Float64Array,
  sky: Float64Array,
  maskBits: Uint32Array,
  rng: Rng,
): { flux: Float32Array; ivar: Float32Array } {
  const n = convolved.length;
  const flux = new Float32Array(n);
  const ivar = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const variance = sky[i]! + Math.max(convolved[i]!, 0) / 25;
    const iv = Math.fround(1 / variance);
    const g = rng.normal();
    if (maskBits[i] !== 0) continue;
    ivar[i] = iv;
    // Noise drawn from the stored (float32) ivar so flux and ivar are exactly consistent.
    flux[i] = convolved[i]! + g / Math.sqrt(iv);
  }
  return { flux, ivar };
}
