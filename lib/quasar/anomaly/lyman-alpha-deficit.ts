import { restWavelength } from '../log-lambda-grid.js';
import type { MlMatrix } from '../ml-matrix.js';
import { coverageEnds, peakDeficit, windowMean } from './peak-deficit.js';

/**
 * Options of {@link lymanAlphaDeficit}.
 *
 * @example
 * lymanAlphaDeficit(m, { neighbours: 200 } satisfies LymanAlphaDeficitOptions);
 */
export interface LymanAlphaDeficitOptions {
  /**
   * Rest window (Angstrom) of the Lya peak (default [1216, 1230]: the line's red half, which the forest does not
   * absorb; with the blue half too, [1210, 1225], a misread spectrum at z > 4, beyond the mock population's range,
   * was compared with z ~ 4 quasars whose forest halves that side, and on 20,000 mock quasars half the catastrophic
   * redshifts fell back into the ordinary tail).
   */
  peak?: readonly [number, number];
  /** Rest window (Angstrom) of the continuum it is compared with (default [1270, 1370]: redward of NV, line-poor). */
  reference?: readonly [number, number];
  /**
   * Rest window (Angstrom) of the forest it is also compared with (default [1040, 1190], between Lyb/OVI and the Lya
   * wing): a misread spectrum has no forest there, and at a reported z above ~5.7 no 1270-1370 A either.
   */
  forest?: readonly [number, number];
  /** Spectra of the nearest rest-frame coverage the statistic is calibrated on (default 100). */
  neighbours?: number;
}

/**
 * LYA_DEFICIT: how much weaker a spectrum's Lya emission peak is than those of the population's spectra at the same
 * redshift, in units of their scatter and its own noise, against the continuum redward of it and against the forest
 * blueward of it, the larger of the two; NaN where the row covers neither pair of windows (z below ~1.95 on DESI).
 * For each pair the statistic is v = ln(mean flux in `peak` / mean flux in `reference` or `forest`), IVAR-weighted means of good
 * pixels; it is compared with the median and the scatter (1.4826 MAD, less the neighbours' median noise variance) of
 * v over the `neighbours` spectra next to it in the order of where their coverage ends in rest wavelength (the red edge of coverage is
 * lambda_max / (1 + z) on one instrument, so they are the population's spectra of nearly the same redshift), and
 * u = (median - v) / sqrt(scatter^2 + noise^2). One-sided: a Lya line is only ever missing.
 *
 * Why: a catastrophic redshift (MgII read as CIV, z reported ~ 1.8 (1 + z) - 1) puts a spectrum at z ~ 2-5, and the
 * masked PCA, which starts at 1260 A because the forest is different in every sightline, reproduces the misread
 * spectrum to within the noise. What no real quasar at that redshift lacks is its Lya emission, the strongest line of
 * the rest UV: at the reported 1216 A the misread spectrum shows the featureless continuum near 2200 A, and blueward
 * of it no forest (measured on 3000 mock quasars, seeds 1, 3, 4: the forest found 4 more of 75 misread redshifts, those
 * reported at z > 5.7, where 1270-1370 A lies beyond the spectrum, and faint ones). Weak-line
 * quasars and damped absorbers on the Lya peak are real and rare, and belong in an anomaly list too.
 *
 * @example
 * const u = lymanAlphaDeficit(matrix); // Float64Array, NaN below z ~ 1.95
 */
export function lymanAlphaDeficit(m: MlMatrix, options: LymanAlphaDeficitOptions = {}): Float64Array {
  const [pLo, pHi] = options.peak ?? [1216, 1230];
  const neighbours = options.neighbours ?? 100;
  const n = m.targetid.length;
  const wave = Float64Array.from({ length: m.npix }, (_, j) => restWavelength(m.grid, j));
  // The peak and where coverage ends, once per row for both comparisons.
  const peaks = Array.from({ length: n }, (_, r) => windowMean(m, r, wave, pLo, pHi));
  const key = coverageEnds(m, wave);
  const byContinuum = peakDeficit(m, wave, peaks, key, options.reference ?? [1270, 1370], neighbours);
  const byForest = peakDeficit(m, wave, peaks, key, options.forest ?? [1040, 1190], neighbours);
  return byContinuum.map((u, r) => (Number.isNaN(u) ? byForest[r]! : Number.isNaN(byForest[r]!) ? u : Math.max(u, byForest[r]!)));
}
