import { C_KMS } from '../cosmo/index.js';
import { CONTINUUM_WINDOWS, fitContinuum } from './continuum.js';
import { leastSquares, type LeastSquaresModel } from './fit/least-squares.js';
import type { FeGroup } from './quasar-templates.js';
import type { RestSpectrum } from './rest-frame.js';
import { firstAtLeast } from './first-at-least.js';

/**
 * A fitted optical Fe II model: every line of every group a Gaussian of one FWHM (km/s) and one velocity shift (km/s),
 * each group's lines in their fixed relative intensities times the group's amplitude (rest-frame flux density at
 * the peak of an intensity-1 line). `at(restWave)` evaluates the whole model.
 *
 * @example
 * const fe: FeOpticalFit = fitFeOptical(rest, rest.good, templates.feOptical)!;
 * fe.at(Float64Array.of(4570)); // Fe II flux under the 4570 A blend
 */
export interface FeOpticalFit {
  fwhm: number;
  shift: number;
  groups: readonly FeGroup[];
  amplitudes: Float64Array;
  /** chi2 of the power law + Fe II fit over the continuum windows. */
  chi2: number;
  at(restWave: ArrayLike<number>): Float64Array;
}

/**
 * Options of {@link fitFeOptical}: the grids of FWHM and shift (km/s) tried (the FWHM is chosen at zero shift, then
 * the shift at that FWHM), and `score`, which ranks the candidates (lower is better) instead of their chi2 in the
 * continuum windows.
 *
 * @example
 * fitFeOptical(rest, rest.good, groups, { fwhms: [2000, 4000], shifts: [0] } satisfies FeOpticalOptions);
 */
export interface FeOpticalOptions {
  fwhms?: readonly number[];
  shifts?: readonly number[];
  score?: (candidate: FeOpticalFit) => number;
}

/**
 * Groups with a line in this rest range (A) are fitted: the optical Fe II around Hbeta that Kovacevic et al. (2010)
 * model; the groups further red are the near-infrared multiplets, which no continuum window here constrains.
 *
 * @example
 * groups.filter((g) => g.wave.some((w) => w >= FE_OPTICAL_RANGE[0] && w <= FE_OPTICAL_RANGE[1]));
 */
export const FE_OPTICAL_RANGE: readonly [number, number] = [3700, 5600];

const FWHM_GRID = [1200, 2000, 3000, 4500, 6500, 9000, 12000];
const SHIFT_GRID = [-600, -300, 0, 300, 600];
const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
const LN_3000 = Math.log(3000);
/** Gaussians are summed out to this many sigma. */
const REACH = 5;

/**
 * Vacuum wavelength (A) of an air wavelength: the Kovacevic et al. lines are in air, SDSS and DESI spectra in vacuum.
 * Morton (1991) refractive index, with the air wavelength standing in for the vacuum one in it (good to 0.01 A).
 *
 * @example
 * airToVacuum(5018.44); // ~5019.84
 */
export function airToVacuum(air: number): number {
  const s2 = (1e4 / air) ** 2;
  return air * (1 + 6.4328e-5 + 2.94981e-2 / (146 - s2) + 2.554e-4 / (41 - s2));
}

/**
 * One group's lines (peak of an intensity-1 line = 1) at the increasing rest wavelengths `restWave`, all broadened to
 * `fwhm` km/s and shifted by `shift` km/s; `out` is added to.
 *
 * @example
 * const col = feGroupProfile(group, rest.wave, 3000, 0);
 */
export function feGroupProfile(
  group: FeGroup,
  restWave: ArrayLike<number>,
  fwhm: number,
  shift: number,
  out = new Float64Array(restWave.length),
): Float64Array {
  const n = restWave.length;
  for (let j = 0; j < group.wave.length; j++) {
    const centre = airToVacuum(group.wave[j]!) * (1 + shift / C_KMS);
    const sigma = (centre * fwhm) / C_KMS / FWHM_PER_SIGMA;
    const amp = group.intensity[j]!;
    let i = firstAtLeast(restWave, centre - REACH * sigma);
    for (; i < n; i++) {
      const d = (restWave[i]! - centre) / sigma;
      if (d > REACH) break;
      out[i]! += amp * Math.exp(-0.5 * d * d);
    }
  }
  return out;
}

/**
 * Fits the optical Fe II of Kovacevic, Popovic & Dimitrijevic (2010) together with a power law over the good
 * pixels (`use` = 1) of the continuum windows: one non-negative amplitude per multiplet group (those with a line in
 * {@link FE_OPTICAL_RANGE}), one FWHM and one shift shared by all, chosen on a grid by chi2. Returns undefined when
 * no window or no group is covered.
 *
 * @example
 * const fe = fitFeOptical(rest, use, templates.feOptical);
 * const c = fitContinuum(rest, use, fe?.at(rest.wave)); // the power law refitted with this Fe II, scale ~1
 */
export function fitFeOptical(
  rest: RestSpectrum,
  use: Uint8Array,
  groups: readonly FeGroup[],
  options: FeOpticalOptions = {},
): FeOpticalFit | undefined {
  const idx = windowPixels(rest, use);
  const start = fitContinuum(rest, use, undefined);
  if (!start || idx.length === 0) return undefined;
  const wave = Float64Array.from(idx, (i) => rest.wave[i]!);
  const inRange = groups.filter((g) => g.wave.some((w) => w >= FE_OPTICAL_RANGE[0] && w <= FE_OPTICAL_RANGE[1]));
  const fitAt = (fwhm: number, shift: number) => {
    // Only groups with some flux in the windows can be fitted; the others keep amplitude 0.
    const cols: Float64Array[] = [];
    const which: number[] = [];
    inRange.forEach((g, k) => {
      const col = feGroupProfile(g, wave, fwhm, shift);
      if (col.some((v) => v > 1e-3)) {
        cols.push(col);
        which.push(k);
      }
    });
    if (cols.length === 0) return undefined;
    const fit = fitLinearGroups(rest, idx, cols, start.norm, start.slope);
    const amplitudes = new Float64Array(inRange.length);
    which.forEach((k, j) => {
      amplitudes[k] = fit.amps[j]!;
    });
    const candidate = feModel(inRange, fwhm, shift, amplitudes, fit.chi2);
    return { candidate, score: options.score ? options.score(candidate) : fit.chi2 };
  };
  type Trial = NonNullable<ReturnType<typeof fitAt>>;
  const best = (trials: (Trial | undefined)[]) =>
    trials.reduce<Trial | undefined>((b, t) => (t && (!b || t.score < b.score) ? t : b), undefined);
  const byWidth = best((options.fwhms ?? FWHM_GRID).map((w) => fitAt(w, 0)));
  if (!byWidth) return undefined;
  const fwhm = byWidth.candidate.fwhm;
  return (best((options.shifts ?? SHIFT_GRID).map((s) => (s === 0 ? byWidth : fitAt(fwhm, s)))) ?? byWidth).candidate;
}

function feModel(groups: readonly FeGroup[], fwhm: number, shift: number, amplitudes: Float64Array, chi2: number): FeOpticalFit {
  return {
    fwhm,
    shift,
    groups,
    amplitudes,
    chi2,
    at(restWave) {
      const out = new Float64Array(restWave.length);
      const col = new Float64Array(restWave.length);
      groups.forEach((g, k) => {
        if (!(amplitudes[k]! > 0)) return;
        col.fill(0);
        feGroupProfile(g, restWave, fwhm, shift, col);
        for (let i = 0; i < out.length; i++) out[i]! += amplitudes[k]! * col[i]!;
      });
      return out;
    },
  };
}

/** Power law (norm, slope) plus non-negative multiples of `cols` at the pixels `idx`, by bounded Levenberg-Marquardt. */
function fitLinearGroups(
  rest: RestSpectrum,
  idx: Int32Array,
  cols: Float64Array[],
  norm0: number,
  slope0: number,
): { amps: Float64Array; chi2: number } {
  const m = idx.length;
  const k = cols.length;
  const np = 2 + k;
  const y = Float64Array.from(idx, (i) => rest.flux[i]!);
  const w = Float64Array.from(idx, (i) => rest.ivar[i]!);
  const lnx = Float64Array.from(idx, (i) => rest.lnWave[i]! - LN_3000);
  const model: LeastSquaresModel = {
    nParams: np,
    evaluate(p, out, jac) {
      for (let r = 0; r < m; r++) {
        const pl = Math.exp(p[1]! * lnx[r]!);
        let v = p[0]! * pl;
        for (let c = 0; c < k; c++) v += p[2 + c]! * cols[c]![r]!;
        out[r] = v;
        if (jac) {
          jac[np * r] = pl;
          jac[np * r + 1] = p[0]! * pl * lnx[r]!;
          for (let c = 0; c < k; c++) jac[np * r + 2 + c] = cols[c]![r]!;
        }
      }
    },
  };
  const p0 = new Float64Array(np);
  p0[0] = norm0;
  p0[1] = slope0;
  const lower = new Float64Array(np).fill(0);
  lower[0] = -Infinity;
  lower[1] = -10;
  const upper = new Float64Array(np).fill(Infinity);
  upper[1] = 10;
  const fit = leastSquares(model, y, w, p0, { lower, upper, maxIterations: 100 });
  return { amps: fit.params.slice(2), chi2: fit.chi2 };
}

/** Good pixels (`use` = 1) inside the continuum windows. */
function windowPixels(rest: RestSpectrum, use: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < rest.wave.length; i++) {
    if (!use[i]) continue;
    const lam = rest.wave[i]!;
    if (CONTINUUM_WINDOWS.some(([lo, hi]) => lam >= lo && lam <= hi)) out.push(i);
  }
  return Int32Array.from(out);
}
