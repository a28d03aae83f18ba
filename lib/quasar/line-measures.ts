import { C_KMS } from '../cosmo/index.js';
import { powerLaw, type ContinuumFit } from './continuum.js';
import type { ComplexFit } from './fit-complex.js';
import type { GaussianComponent } from './fit/gaussian-lines.js';

/**
 * Measurements of a broad line from the sum of its broad Gaussians (PyQSOFit's "whole_br"): FWHM (km/s) of the summed
 * profile, flux (rest-frame f_lambda (1+z) integrated, 1e-17 erg/s/cm2), rest equivalent width (A) against the power
 * law at the line's rest wavelength, flux-weighted centroid (rest A), S/N = flux / flux error, and the wavelength
 * that bisects the flux. Errors come from the fit covariance, propagated by finite differences. The flux error is the
 * line fit's, for the continuum as fitted; the FWHM and EW errors add the continuum's covariance, carried through the
 * line fit's response to the continuum (ComplexFit.continuumResponse) and, for the EW, through the continuum at the
 * line as well.
 *
 * @example
 * const m: BroadMeasures = measureBroad(civFit, continuum);
 * m.fwhm; // km/s
 */
export interface BroadMeasures {
  fwhm: number;
  fwhmErr: number;
  flux: number;
  fluxErr: number;
  ew: number;
  ewErr: number;
  centroid: number;
  snr: number;
  lambdaHalf: number;
}

const HALF_WIDTH = Math.sqrt(2 * Math.LN2);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * The {@link BroadMeasures} of a complex's main broad line.
 *
 * @example
 * measureBroad(fit, continuum).ew;
 */
export function measureBroad(fit: ComplexFit, continuum: ContinuumFit): BroadMeasures {
  const p = fit.params;
  const comps = fit.broad;
  const rest = fit.complex.broad.rest;
  const idx = [...new Set(comps.flatMap((c) => [c.shift, c.sigma, c.amp]))];
  const flux = totalFlux(p, comps);
  const fwhm = profileFwhm(p, comps);
  // Finite-difference gradients of flux and FWHM over the broad parameters; work on a copy.
  const q = Float64Array.from(p);
  const gFlux = new Float64Array(idx.length);
  const gFwhm = new Float64Array(idx.length);
  idx.forEach((k, j) => {
    const h = comps.some((c) => c.amp === k)
      ? Math.max(Math.abs(p[k]!) * 1e-4, 1e-12)
      : comps.some((c) => c.sigma === k)
        ? p[k]! * 1e-4
        : 1e-6;
    q[k] = p[k]! + h;
    const fp = totalFlux(q, comps);
    const wp = profileFwhm(q, comps);
    q[k] = p[k]! - h;
    const fm = totalFlux(q, comps);
    const wm = profileFwhm(q, comps);
    q[k] = p[k]!;
    gFlux[j] = (fp - fm) / (2 * h);
    gFwhm[j] = (wp - wm) / (2 * h);
  });
  const fluxVar = quadratic(gFlux, idx, fit.covariance, p.length);
  const fwhmVar = quadratic(gFwhm, idx, fit.covariance, p.length);
  const cont = powerLaw(continuum, rest);
  const ew = flux / cont;
  // The continuum's errors: through the continuum at the line (EW = flux / continuum) and through the line fit, which
  // read the flux less that continuum (fit.continuumResponse): a continuum set too high both lowers the fitted flux
  // and raises the EW's denominator, so the two add, where taken as independent they would add in quadrature.
  const dCont = [cont / continuum.norm, cont * Math.log(rest / 3000), 0];
  const nb = fit.continuumResponse.length / p.length;
  const gEw = new Float64Array(3);
  const gWidth = new Float64Array(3);
  for (let j = 0; j < 3; j++) {
    let dFlux = 0;
    let dFwhm = 0;
    if (j < nb)
      idx.forEach((k, a) => {
        dFlux += gFlux[a]! * fit.continuumResponse[k * nb + j]!;
        dFwhm += gFwhm[a]! * fit.continuumResponse[k * nb + j]!;
      });
    gEw[j] = dFlux / cont - (ew / cont) * dCont[j]!;
    gWidth[j] = dFwhm;
  }
  const fluxErr = Math.sqrt(fluxVar);
  const fwhmErr = Math.sqrt(fwhmVar + continuumVariance(gWidth, continuum.covariance));
  const ewErr = Math.sqrt(fluxVar / (cont * cont) + continuumVariance(gEw, continuum.covariance));
  return {
    fwhm,
    fwhmErr,
    flux,
    fluxErr,
    ew,
    ewErr,
    centroid: centroid(p, comps),
    snr: flux / fluxErr,
    lambdaHalf: bisectingWavelength(p, comps),
  };
}

/**
 * Width (FWHM, km/s), flux and rest EW of one narrow line of a fitted complex (named as in LINE_COMPLEXES), or
 * undefined when the complex has no such line.
 *
 * @example
 * measureNarrow(hbFit, continuum, 'oiii5007')?.ew;
 */
export function measureNarrow(
  fit: ComplexFit,
  continuum: ContinuumFit,
  line: string,
): { fwhm: number; flux: number; ew: number } | undefined {
  const k = fit.roles.findIndex((r) => r.kind === 'narrow' && r.line === line);
  if (k < 0) return undefined;
  const c = fit.components[k]!;
  const flux = totalFlux(fit.params, [c]);
  return { fwhm: gaussianFwhm(fit.params[c.sigma]!), flux, ew: flux / powerLaw(continuum, fit.roles[k]!.rest) };
}

/**
 * FWHM (km/s) of one Gaussian of width sigma in ln lambda: c (lambda_right - lambda_left) / lambda_peak.
 *
 * @example
 * gaussianFwhm(0.0017); // ~1200 km/s, the broad/narrow boundary
 */
export function gaussianFwhm(sigma: number): number {
  return 2 * C_KMS * Math.sinh(HALF_WIDTH * sigma);
}

/** Flux of a Gaussian in ln lambda over lambda: peak * sigma * sqrt(2 pi) * exp(mu + sigma^2 / 2). */
function componentFlux(p: ArrayLike<number>, c: GaussianComponent): number {
  const s = p[c.sigma]!;
  return p[c.amp]! * c.ratio * s * SQRT_2PI * Math.exp(c.lnRest + p[c.shift]! + 0.5 * s * s);
}

function totalFlux(p: ArrayLike<number>, comps: readonly GaussianComponent[]): number {
  let f = 0;
  for (const c of comps) f += componentFlux(p, c);
  return f;
}

/** Flux-weighted mean wavelength: exp(mu + 1.5 sigma^2) per component. */
function centroid(p: ArrayLike<number>, comps: readonly GaussianComponent[]): number {
  let f = 0;
  let fl = 0;
  for (const c of comps) {
    const fc = componentFlux(p, c);
    const s = p[c.sigma]!;
    f += fc;
    fl += fc * Math.exp(c.lnRest + p[c.shift]! + 1.5 * s * s);
  }
  return fl / f;
}

function quadratic(g: Float64Array, idx: number[], cov: Float64Array, np: number): number {
  let v = 0;
  for (let a = 0; a < idx.length; a++) for (let b = 0; b < idx.length; b++) v += g[a]! * g[b]! * cov[idx[a]! * np + idx[b]!]!;
  return v;
}

/** gᵀ C g over the continuum's [norm, slope, feScale] covariance; a NaN entry (feScale without a template) counts 0. */
function continuumVariance(g: Float64Array, cov: Float64Array): number {
  let v = 0;
  for (let a = 0; a < 3; a++) {
    if (g[a] === 0) continue;
    for (let b = 0; b < 3; b++) {
      const c = cov[a * 3 + b]!;
      if (g[b] !== 0 && !Number.isNaN(c)) v += g[a]! * g[b]! * c;
    }
  }
  return Math.max(v, 0);
}

/** Profile value and its first two derivatives in x = ln lambda. */
function profile(p: ArrayLike<number>, comps: readonly GaussianComponent[], x: number, out: Float64Array): void {
  let f = 0;
  let d1 = 0;
  let d2 = 0;
  for (const c of comps) {
    const s = p[c.sigma]!;
    const u = (x - c.lnRest - p[c.shift]!) / s;
    const e = p[c.amp]! * c.ratio * Math.exp(-0.5 * u * u);
    f += e;
    d1 -= (e * u) / s;
    d2 += (e * (u * u - 1)) / (s * s);
  }
  out[0] = f;
  out[1] = d1;
  out[2] = d2;
}

const GRID = 160;

/**
 * FWHM (km/s) of the summed profile, c (lambda_right - lambda_left) / lambda_peak with the outermost half-maximum
 * crossings: the peak from a grid refined by Newton steps on f' = 0, each crossing bracketed on the grid and
 * refined by bisection, so the result moves smoothly with the parameters (finite-difference errors need that).
 */
function profileFwhm(p: ArrayLike<number>, comps: readonly GaussianComponent[]): number {
  if (comps.length === 1) return gaussianFwhm(p[comps[0]!.sigma]!);
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of comps) {
    if (!(p[c.amp]! > 0)) continue;
    const mu = c.lnRest + p[c.shift]!;
    lo = Math.min(lo, mu - 5 * p[c.sigma]!);
    hi = Math.max(hi, mu + 5 * p[c.sigma]!);
  }
  if (!(hi > lo)) return Number.NaN;
  const step = (hi - lo) / (GRID - 1);
  const v = new Float64Array(3);
  let kMax = 0;
  let fMax = -Infinity;
  for (let k = 0; k < GRID; k++) {
    profile(p, comps, lo + k * step, v);
    if (v[0]! > fMax) {
      fMax = v[0]!;
      kMax = k;
    }
  }
  let xp = lo + kMax * step;
  for (let it = 0; it < 8; it++) {
    profile(p, comps, xp, v);
    if (!(v[2]! < 0)) break;
    const dx = -v[1]! / v[2]!;
    xp += Math.max(-step, Math.min(step, dx));
    if (Math.abs(dx) < 1e-12) break;
  }
  profile(p, comps, xp, v);
  const half = v[0]! / 2;
  const f = (x: number) => {
    profile(p, comps, x, v);
    return v[0]! - half;
  };
  let kl = 0;
  while (kl < GRID && f(lo + kl * step) < 0) kl++;
  let kr = GRID - 1;
  while (kr >= 0 && f(lo + kr * step) < 0) kr--;
  if (kl === 0 || kr === GRID - 1 || kl > kr) return Number.NaN;
  const xl = bisect(f, lo + (kl - 1) * step, lo + kl * step);
  const xr = bisect(f, lo + (kr + 1) * step, lo + kr * step);
  return (C_KMS * (Math.exp(xr) - Math.exp(xl))) / Math.exp(xp);
}

/** Root of f between a (f < 0) and b (f >= 0). */
function bisect(f: (x: number) => number, a: number, b: number): number {
  for (let it = 0; it < 40; it++) {
    const m = 0.5 * (a + b);
    if (f(m) < 0) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/**
 * The rest wavelength with half the broad flux on either side. Flux per unit ln lambda of a component is
 * peak exp(mu + sigma^2/2) times a Gaussian centred at mu + sigma^2, so the cumulative flux is a sum of error functions.
 */
function bisectingWavelength(p: ArrayLike<number>, comps: readonly GaussianComponent[]): number {
  const total = totalFlux(p, comps);
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of comps) {
    const s = p[c.sigma]!;
    const m = c.lnRest + p[c.shift]! + s * s;
    lo = Math.min(lo, m - 8 * s);
    hi = Math.max(hi, m + 8 * s);
  }
  const below = (x: number) => {
    let f = 0;
    for (const c of comps) {
      const s = p[c.sigma]!;
      const m = c.lnRest + p[c.shift]! + s * s;
      f += componentFlux(p, c) * 0.5 * (1 + erf((x - m) / (s * Math.SQRT2)));
    }
    return f - total / 2;
  };
  if (!(total > 0)) return Number.NaN;
  return Math.exp(bisect(below, lo, hi));
}

/** The error function to ~1e-7 (Abramowitz & Stegun 7.1.26). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}
