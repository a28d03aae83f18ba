import { C_KMS } from '../cosmo/index.js';
import { ABSORPTION_REGION, markAbsorbed } from './absorbed-pixels.js';
import { expSmall, fitContinuum, powerLaw, type ContinuumFit } from './continuum.js';
import { fitFeOptical, type FeOpticalFit } from './fe-optical.js';
import { FeTemplate, type FeTemplateInput } from './fe-template.js';
import { fitComplex, type ComplexFit, type FitComplexOptions } from './fit-complex.js';
import { addProfiles } from './fit/gaussian-lines.js';
import { type ComplexName, LINE_COMPLEXES, type LineComplex } from './line-complexes.js';
import { decomposeHost, type HostDecomposition } from './host-decomposition.js';
import { measureBroad, measureNarrow } from './line-measures.js';
import { logLambdaLuminosity } from './luminosity.js';
import { emptyQuasarValues } from './quasar-columns.js';
import type { QuasarTemplates } from './quasar-templates.js';
import { restFrame, type ObservedSpectrum, type RestSpectrum } from './rest-frame.js';
import { firstAtLeast } from './first-at-least.js';

/**
 * Options of {@link fitQuasar}.
 *
 * @example
 * fitQuasar(spectrum, z, { feTemplate: { wave, flux, fwhm: 3000 }, maxBroad: 1 } satisfies FitQuasarOptions);
 */
export interface FitQuasarOptions {
  /** An Fe II template (rest wavelength and flux), scaled in the continuum fit; a built FeTemplate is reused as is. */
  feTemplate?: FeTemplateInput | FeTemplate;
  /**
   * Most Gaussians per broad line (default 2, taken only when significant: see fitComplex), for every complex or per
   * complex by name (`{ hb: 1 }`: one broad Gaussian for Hbeta, the default elsewhere), e.g. to fit another
   * program's line model.
   */
  maxBroad?: 1 | 2 | Partial<Record<ComplexName, 1 | 2>>;
  /** Refits without pixels absorbed blueward of CIV and SiIV, at most this many times (default 3; 0 = never). */
  absorptionPasses?: number;
  /**
   * Host-galaxy and optical Fe II templates (loadQuasarTemplates). With them, as PyQSOFit does: the host galaxy is
   * subtracted first (decomposeHost; pixels outside the eigenspectra's range are then dropped), and the continuum is
   * a power law plus the Kovacevic et al. (2010) Fe II model (fitFeOptical), which replaces `feTemplate`. EWs stay
   * against the power law, now the AGN's, and so do the luminosities. Absent (the default): neither.
   */
  templates?: QuasarTemplates;
}

/**
 * The fit of one quasar spectrum: `values` keyed by {@link QUASAR_LINE_COLUMNS} (NaN = null), `reason` a sentence when
 * nothing could be measured (else null), the continuum and per-complex fits, how many pixels were rejected as
 * absorbed, and `model(restWave)`: the unabsorbed model, continuum plus emission lines, in rest-frame flux
 * f_lambda (1 + z) at the given rest wavelengths (NaN everywhere when nothing was fitted).
 *
 * @example
 * const fit: QuasarFit = fitQuasar(spectrum, 2.1);
 * const norm = rest.flux.map((f, i) => f / fit.model(rest.wave)[i]!); // what the BAL indices read
 */
export interface QuasarFit {
  z: number;
  values: Record<string, number>;
  reason: string | null;
  continuum: ContinuumFit | undefined;
  complexes: readonly ComplexFit[];
  rejectedPixels: number;
  /** The host decomposition, when `templates` were given (applied or not, with its reason). */
  host?: HostDecomposition;
  /** The optical Fe II fit, when `templates` were given and it could be made. */
  feOptical?: FeOpticalFit;
  /**
   * With `range` [min, max] (rest Angstrom), evaluated only there and 0 elsewhere (the BAL search reads one region).
   * Without the host galaxy when one was subtracted (`host.applied`).
   */
  model(restWave: ArrayLike<number>, range?: readonly [number, number]): Float64Array;
}

const LN_3000 = Math.log(3000);

/** The narrow lines with columns: complex, line, whether the FWHM has a column too. */
const NARROW_COLUMNS = [
  ['hb', 'hb', true],
  ['hb', 'oiii5007', true],
  ['ha', 'ha', true],
  ['ha', 'nii6585', false],
] as const;

/** Pixels a covered complex needs in its window, and the good fraction of its core. */
const MIN_WINDOW_PIXELS = 20;
const MIN_CORE_GOOD = 0.6;
const MIN_WINDOW_COVERED = 0.7;

/**
 * Fits a quasar spectrum at redshift z: rest frame, power-law (+ Fe II) continuum in line-free windows, then each
 * emission-line complex whose window the spectrum covers (LINE_COMPLEXES) on the continuum-subtracted flux; pixels
 * lying well below the model blueward of CIV and SiIV (BAL troughs) are dropped and everything refitted, up to
 * `absorptionPasses` times. With `templates`, a host galaxy is subtracted first and the continuum carries the optical
 * Fe II model (see FitQuasarOptions). Bad data never throws: all pixels masked, no line covered or no continuum
 * window give NaN values and a `reason`.
 *
 * @example
 * const { spectra, z } = await readSdssSpec('spec-0332-52367-0639.fits');
 * const a = spectra.arms.SDSS!;
 * const fit = fitQuasar({ wave: a.wavelength, flux: a.flux, ivar: a.ivar, mask: a.mask }, z!);
 * fit.values.hb_br_fwhm; // km/s
 */
export function fitQuasar(spectrum: ObservedSpectrum, z: number, options: FitQuasarOptions = {}): QuasarFit {
  if (!Number.isFinite(z) || z <= -1) return fitRestFrame(undefined, z, options);
  return fitRestFrame(restFrame(spectrum, z), z, options);
}

/**
 * {@link fitQuasar} on a spectrum already moved to the rest frame of z (undefined when z is not a redshift), so that a
 * caller who needs the rest frame too (measureQuasar's BAL search) makes it once.
 *
 * @example
 * const rest = restFrame(spectrum, z);
 * const fit = fitRestFrame(rest, z);
 */
export function fitRestFrame(observed: RestSpectrum | undefined, z: number, options: FitQuasarOptions = {}): QuasarFit {
  const values = emptyQuasarValues();
  const fail = (reason: string): QuasarFit => ({
    z,
    values,
    reason,
    continuum: undefined,
    complexes: [],
    rejectedPixels: 0,
    model: (w) => new Float64Array(w.length).fill(Number.NaN),
  });
  if (observed === undefined || !Number.isFinite(z) || z <= -1) return fail(`invalid redshift ${z}`);
  if (observed.ngood === 0) return fail('no good pixels');
  const host = options.templates ? decomposeHost(observed, z, options.templates) : undefined;
  const rest = host?.applied ? withoutHost(observed, host) : observed;
  let first = 0;
  while (!rest.good[first]) first++;
  let last = rest.wave.length - 1;
  while (!rest.good[last]) last--;
  const span = [rest.wave[first]!, rest.wave[last]!] as const;
  const covered = LINE_COMPLEXES.filter((c) => isCovered(rest, span, c));
  if (!covered.some((c) => c.output)) return fail(`no emission line window covered at z=${z.toFixed(3)}`);
  const use = Uint8Array.from(rest.good);
  const feOptical = options.templates ? fitFeOpticalWithHbeta(rest, use, options.templates, covered, options) : undefined;
  const template =
    options.templates !== undefined
      ? feOptical
      : options.feTemplate === undefined
        ? undefined
        : options.feTemplate instanceof FeTemplate
          ? options.feTemplate
          : new FeTemplate(options.feTemplate);
  const fe = template?.at(rest.wave);
  let continuum = fitContinuum(rest, use, fe);
  if (!continuum) return fail(`no continuum window covered at z=${z.toFixed(3)}`);
  let complexes = fitComplexes(rest, use, continuum, fe, covered, options);
  let rejectedPixels = 0;
  // Troughs lie blueward of CIV: the passes refit the continuum and the complexes near them; the others are refitted
  // once at the end against the final continuum.
  const near = covered.filter((c) => c.window[0] < ABSORPTION_REGION[1]);
  for (let pass = 0; pass < (options.absorptionPasses ?? 3); pass++) {
    if (passModel.length !== rest.wave.length) passModel = new Float64Array(rest.wave.length);
    const model = evaluateModel(continuum, complexes, rest.wave, fe, ABSORPTION_REGION, rest.lnWave, passModel);
    const marked = markAbsorbed(rest, use, model);
    if (marked === 0) break;
    rejectedPixels += marked;
    continuum = fitContinuum(rest, use, fe) ?? continuum;
    const refit = fitComplexes(rest, use, continuum, fe, near, options);
    complexes = complexes.map((f) => refit.find((r) => r.complex === f.complex) ?? f);
  }
  if (rejectedPixels > 0) {
    const far = covered.filter((c) => !near.includes(c));
    const refit = fitComplexes(rest, use, continuum, fe, far, options);
    complexes = complexes.map((f) => refit.find((r) => r.complex === f.complex) ?? f);
  }
  fillValues(values, span, z, continuum, complexes, fe !== undefined);
  const cont = continuum;
  const fits = complexes;
  return {
    z,
    values,
    reason: null,
    continuum,
    complexes,
    rejectedPixels,
    ...(host && { host }),
    ...(feOptical && { feOptical }),
    model: (restWave, range) => evaluateModel(cont, fits, restWave, template?.at(restWave), range),
  };
}

/**
 * The continuum windows alone hardly constrain the Fe II width (chi2 changes by a few over 2000-9000 km/s), while the
 * Fe II under Hbeta and [O III] depends on it: each candidate is ranked by the chi2 of the continuum fit with it plus
 * that of the Hbeta complex fitted on top, as a joint fit of Fe II and lines would (Kovacevic et al. 2010).
 */
function fitFeOpticalWithHbeta(
  rest: RestSpectrum,
  use: Uint8Array,
  templates: QuasarTemplates,
  covered: readonly LineComplex[],
  options: FitQuasarOptions,
): FeOpticalFit | undefined {
  const hb = covered.filter((c) => c.name === 'hb');
  const score = (candidate: FeOpticalFit): number => {
    const fe = candidate.at(rest.wave);
    const c = fitContinuum(rest, use, fe);
    if (!c) return Number.POSITIVE_INFINITY;
    return c.chi2 + fitComplexes(rest, use, c, fe, hb, options).reduce((s, f) => s + f.chi2, 0);
  };
  return fitFeOptical(rest, use, templates.feOptical, hb.length > 0 ? { score } : {});
}

/** The spectrum less its host galaxy, with only the pixels the decomposition covered still good. */
function withoutHost(rest: RestSpectrum, host: HostDecomposition): RestSpectrum {
  const flux = new Float64Array(rest.flux.length);
  const good = new Uint8Array(rest.good.length);
  let ngood = 0;
  for (let i = 0; i < flux.length; i++) {
    const inside = rest.wave[i]! >= host.range[0] && rest.wave[i]! <= host.range[1];
    flux[i] = rest.flux[i]! - host.host[i]!;
    if (rest.good[i] && inside) {
      good[i] = 1;
      ngood++;
    }
  }
  return { ...rest, flux, good, ngood };
}

function isCovered(rest: RestSpectrum, [wmin, wmax]: readonly [number, number], c: LineComplex): boolean {
  const { wave, good } = rest;
  const [lo, hi] = c.window;
  if ((Math.min(hi, wmax) - Math.max(lo, wmin)) / (hi - lo) < MIN_WINDOW_COVERED) return false;
  if (c.core[0] < wmin || c.core[1] > wmax) return false;
  let inWindow = 0;
  let core = 0;
  let coreGood = 0;
  for (let i = firstAtLeast(wave, lo); i < wave.length; i++) {
    const w = wave[i]!;
    if (w > hi) break;
    if (good[i]) inWindow++;
    if (w >= c.core[0] && w <= c.core[1]) {
      core++;
      if (good[i]) coreGood++;
    }
  }
  return inWindow >= MIN_WINDOW_PIXELS && core > 0 && coreGood / core >= MIN_CORE_GOOD;
}

/**
 * A complex window's points, kept between complexes and spectra: fitComplex bins them into arrays of its own before it
 * fits, and nothing it returns holds them.
 */
let windowWork = new Float64Array(0);
/** The model the absorption passes read, likewise (markAbsorbed reads it at once). */
let passModel = new Float64Array(0);

function fitComplexes(
  rest: RestSpectrum,
  use: Uint8Array,
  continuum: ContinuumFit,
  fe: Float64Array | undefined,
  covered: readonly LineComplex[],
  options: FitQuasarOptions,
): ComplexFit[] {
  const out: ComplexFit[] = [];
  const { wave, flux, ivar } = rest;
  for (const c of covered) {
    const i0 = firstAtLeast(wave, c.window[0]);
    let i1 = i0;
    let n = 0;
    while (i1 < wave.length && wave[i1]! <= c.window[1]) {
      if (use[i1]) n++;
      i1++;
    }
    if (windowWork.length < 4 * n) windowWork = new Float64Array(4 * n);
    const x = windowWork.subarray(0, n);
    const y = windowWork.subarray(n, 2 * n);
    const w = windowWork.subarray(2 * n, 3 * n);
    const feAt = windowWork.subarray(3 * n, 4 * n);
    // The power law from pixel to neighbouring pixel by a short series for exp(slope dln), as fitContinuum steps it
    // (exact to ~1e-15 per step), a fresh exp where a step is not small: an exp per pixel was most of this loop.
    const { slope } = continuum;
    const lnWave = rest.lnWave;
    let pl = Math.exp(slope * ((lnWave[i0] ?? LN_3000) - LN_3000));
    let k = 0;
    for (let i = i0; i < i1; i++) {
      if (i > i0) {
        const t = slope * (lnWave[i]! - lnWave[i - 1]!);
        pl = Math.abs(t) < 1e-2 ? pl * expSmall(t) : Math.exp(slope * (lnWave[i]! - LN_3000));
      }
      if (!use[i]) continue;
      x[k] = lnWave[i]!;
      y[k] = flux[i]! - continuum.norm * pl - (fe ? continuum.feScale * fe[i]! : 0);
      w[k] = ivar[i]!;
      if (fe) feAt[k] = fe[i]!;
      k++;
    }
    const cap = typeof options.maxBroad === 'object' ? options.maxBroad[c.name] : options.maxBroad;
    // The line fit's response to the continuum carries the continuum's errors into the measured lines' (measureBroad):
    // a complex without columns (SiIV) needs none.
    const opts: FitComplexOptions = cap === undefined ? {} : { maxBroad: cap };
    if (c.output) opts.continuum = { norm: continuum.norm, slope: continuum.slope, ...(fe && { fe: feAt }) };
    const fit = fitComplex(c, x, y, w, opts);
    if (fit) out.push(fit);
  }
  return out;
}

/**
 * Continuum plus lines at `restWave` (increasing); with `range`, only there (0 elsewhere). Each Gaussian is added over
 * the pixels within its reach only (profileRange): a spectrum has thousands of pixels and a line touches a few hundred.
 */
function evaluateModel(
  continuum: ContinuumFit,
  complexes: readonly ComplexFit[],
  restWave: ArrayLike<number>,
  fe: Float64Array | undefined,
  range: readonly [number, number] = [0, Infinity],
  lnWave?: Float64Array,
  into?: Float64Array,
): Float64Array {
  const n = restWave.length;
  const out = into ? into.fill(0) : new Float64Array(n);
  const i0 = firstAtLeast(restWave, range[0]);
  let i1 = firstAtLeast(restWave, range[1], i0);
  while (i1 < n && restWave[i1]! <= range[1]) i1++;
  if (i1 === i0) return out;
  const x = lnWave ?? new Float64Array(n);
  if (!lnWave) for (let i = i0; i < i1; i++) x[i] = Math.log(restWave[i]!);
  for (let i = i0; i < i1; i++)
    out[i] = continuum.norm * Math.exp(continuum.slope * (x[i]! - LN_3000)) + (fe ? continuum.feScale * fe[i]! : 0);
  for (const c of complexes) addProfiles(c.params, c.components, x, i0, i1, out);
  return out;
}

function fillValues(
  values: Record<string, number>,
  [wmin, wmax]: readonly [number, number],
  z: number,
  continuum: ContinuumFit,
  complexes: readonly ComplexFit[],
  withFe: boolean,
): void {
  for (const fit of complexes) {
    const name = fit.complex.name;
    if (!fit.complex.output) continue;
    const m = measureBroad(fit, continuum);
    if (!(m.flux > 0)) continue;
    values[`${name}_br_fwhm`] = m.fwhm;
    values[`${name}_br_fwhm_err`] = m.fwhmErr;
    values[`${name}_br_ew`] = m.ew;
    values[`${name}_br_ew_err`] = m.ewErr;
    values[`${name}_br_flux`] = m.flux;
    values[`${name}_br_flux_err`] = m.fluxErr;
    values[`${name}_br_centroid`] = m.centroid;
    values[`${name}_br_snr`] = m.snr;
    values[`${name}_br_ncomp`] = fit.nBroad;
    if (name === 'civ') values.civ_blueshift = (C_KMS * (fit.complex.broad.rest - m.lambdaHalf)) / fit.complex.broad.rest;
    for (const [complex, line, withFwhm] of NARROW_COLUMNS) {
      if (complex !== name) continue;
      const n = measureNarrow(fit, continuum, line);
      if (!n) continue;
      if (withFwhm) values[`${line}_na_fwhm`] = n.fwhm;
      values[`${line}_na_ew`] = n.ew;
    }
  }
  values.pl_norm = continuum.norm;
  values.pl_slope = continuum.slope;
  values.fe_scale = withFe ? continuum.feScale : Number.NaN;
  for (const lam of [1350, 3000, 5100]) {
    if (lam < wmin || lam > wmax) continue;
    values[`log_l${lam}`] = logLambdaLuminosity(lam, powerLaw(continuum, lam), z);
  }
}
