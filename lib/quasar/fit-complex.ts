import { C_KMS } from '../cosmo/index.js';
import { expSmall } from './continuum.js';
import { GaussianLines, type GaussianComponent } from './fit/gaussian-lines.js';
import { type BinnedPoints, type BinOptions, binPoints } from './fit/bin-points.js';
import { leastSquares } from './fit/least-squares.js';
import type { LineComplex } from './line-complexes.js';

/**
 * What one Gaussian of a fitted complex stands for: the line, broad or narrow, and its vacuum rest wavelength.
 *
 * @example
 * const role: ComponentRole = { line: 'hb', kind: 'broad', rest: 4862.68 };
 */
export interface ComponentRole {
  line: string;
  kind: 'broad' | 'narrow';
  rest: number;
}

/**
 * A fitted line complex: the parameter vector (shift and sigma in ln lambda, peaks in rest-frame flux density) with
 * its covariance, the Gaussians that read it (`components`, with `roles` beside them), which of them make the main
 * broad line (`broad`), the fit's chi2 (over the binned points it read: fitComplex) and the `npix` pixels it used.
 *
 * @example
 * const fit: ComplexFit = fitComplex(complex, x, y, w)!;
 * fit.nBroad; // 1 or 2
 */
export interface ComplexFit {
  complex: LineComplex;
  nBroad: number;
  params: Float64Array;
  covariance: Float64Array;
  components: readonly GaussianComponent[];
  roles: readonly ComponentRole[];
  broad: readonly GaussianComponent[];
  chi2: number;
  npix: number;
  /**
   * How the parameters depend on the continuum that was subtracted from the flux (FitComplexOptions.continuum):
   * params.length x 2 (norm, slope) or x 3 (norm, slope, feScale with a template), row-major, d params[k] / d
   * continuum parameter j, to first order; empty when no continuum was given.
   */
  continuumResponse: Float64Array;
}

// Bounds in ln lambda. FWHM = 2.3548 sigma c: narrow lines 160-1200 km/s, broad lines 1200-17600 km/s (PyQSOFit's
// broad/narrow split at sigma 0.0017); narrow lines move at most 900 km/s.
const NARROW_SIGMA = [0.00023, 0.0017] as const;
const BROAD_SIGMA = [0.0017, 0.025] as const;
const NARROW_SHIFT = 0.003;
const LN_3000 = Math.log(3000);
const START_BROAD_SIGMA = 4000 / C_KMS / 2.3548;
const START_NARROW_SIGMA = 500 / C_KMS / 2.3548;
/** Reach of a narrow line around its rest wavelength (largest shift + 4 of the largest sigma): pixels stay single there. */
const NARROW_REACH = NARROW_SHIFT + 4 * NARROW_SIGMA[1];
/**
 * Bins elsewhere: at most 8 pixels and 0.001 in ln lambda (300 km/s, 0.6 of the narrowest broad sigma), read with
 * the curvature term (GaussianLines' `variance`), which leaves a bias of ~1e-4 at the narrowest broad line's peak.
 */
const BIN_WIDTH = 0.001;
const BIN_MOST = 8;

interface Layout {
  nParams: number;
  components: GaussianComponent[];
  roles: ComponentRole[];
  broad: GaussianComponent[];
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Options of {@link fitComplex}.
 *
 * @example
 * fitComplex(complex, x, y, w, { maxBroad: 1 } satisfies FitComplexOptions);
 */
export interface FitComplexOptions {
  /** Cap on the main broad line's components (default: the complex's own, 1 or 2). */
  maxBroad?: 1 | 2;
  /**
   * The continuum that was subtracted from `y`: norm (lambda / 3000)^slope, plus feScale times `fe` (an Fe II
   * template at the same points as y) when given. The fit then reports its `continuumResponse` to norm, slope (and
   * feScale), so that the continuum's errors can be carried into the line's.
   */
  continuum?: { norm: number; slope: number; fe?: Float64Array };
}

/**
 * Fits one complex to continuum-subtracted flux `y` (weights `w`) at x = ln(rest lambda), sorted. The main broad line
 * is fitted with one Gaussian; where the complex allows two, a second fit starts from the first with the line split
 * into a narrower and a wider component, and is kept only when chi2 drops by more than the Bayesian information
 * criterion's price of three parameters (3 ln n): a single Gaussian stays a single Gaussian unless the data say
 * otherwise, so the FWHM of a one-component line is not at the mercy of a degenerate pair. The second fit is only
 * tried when the one-Gaussian residuals project onto the Gauss-Hermite h3 and h4 shapes of the broad line (skewness
 * and peakiness: what a second component adds) with a chi2 gain of at least half that price; this score test costs
 * one pass over the pixels where a fit costs dozens. Undefined with fewer than 20 pixels.
 *
 * @example
 * const fit = fitComplex(LINE_COMPLEXES[2]!, lnWave, flux, ivar);
 */
export function fitComplex(
  complex: LineComplex,
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  options: FitComplexOptions = {},
): ComplexFit | undefined {
  const n = x.length;
  if (n < 20) return undefined;
  // The fit reads points, not pixels: away from the narrow lines neighbouring pixels are binned (fit/bin-points.ts),
  // which a broad line cannot tell from the pixels and which cuts every iteration's work about in half. The model
  // choice below still prices parameters by the pixels (n), as the binned chi2 differences stand for theirs.
  if (binWork.length < 4 * n) binWork = new Float64Array(4 * n);
  const binning = { width: BIN_WIDTH, most: BIN_MOST, keep: narrowZones(complex) };
  const points = binPoints(x, y, w, binning, binWork);
  const directions = options.continuum ? responseDirections(options.continuum, x, w, binning, points.x) : undefined;
  const one = layout(complex, 1);
  const fit1 = run(one, points, guess(complex, one, points.x, points.y));
  const maxBroad = Math.min(options.maxBroad ?? complex.broad.maxComponents, complex.broad.maxComponents);
  if (maxBroad < 2) return fit1;
  const price = 3 * Math.log(n);
  if (shapeScore(fit1, points) < price / 2) return fit1;
  const two = layout(complex, 2);
  const fit2 = run(two, points, split(one, two, fit1.params));
  return fit1.chi2 - fit2.chi2 > price ? fit2 : fit1;

  function run(l: Layout, pts: BinnedPoints, p0: Float64Array): ComplexFit {
    const r = leastSquares(new GaussianLines(l.nParams, l.components, pts.x, pts.v), pts.y, pts.w, p0, {
      lower: l.lower,
      upper: l.upper,
      maxIterations: 60,
      response: directions,
    });
    return {
      complex,
      nBroad: l.broad.length,
      params: r.params,
      covariance: r.covariance,
      components: l.components,
      roles: l.roles,
      broad: l.broad,
      chi2: r.chi2,
      npix: n,
      continuumResponse: r.response ?? new Float64Array(0),
    };
  }
}

/** The directions of the continuum response, kept between fits: leastSquares reads them and returns none. */
let directionWork = new Float64Array(0);

/**
 * The directions in the binned data along which a change of each continuum parameter moves y, the flux less the
 * continuum: minus the continuum's derivatives by norm, slope and feScale. The power law's are taken at each point's
 * mean x, which differs from their mean over its bin by a part in ~1e7 (slope^2 times the bin's variance in x); the
 * template, with structure on the bins' scale, is binned as y was.
 */
function responseDirections(
  continuum: NonNullable<FitComplexOptions['continuum']>,
  x: Float64Array,
  w: Float64Array,
  binning: BinOptions,
  xb: Float64Array,
): Float64Array[] {
  const m = xb.length;
  const { norm, slope, fe } = continuum;
  if (directionWork.length < 2 * m) directionWork = new Float64Array(2 * m);
  const dNorm = directionWork.subarray(0, m);
  const dSlope = directionWork.subarray(m, 2 * m);
  // The power law from point to point by a short series for exp(slope dx) where the step is small (as fitContinuum
  // does), a fresh exp after larger ones: an exp per point was half of this function's cost.
  let pl = 0;
  for (let k = 0; k < m; k++) {
    const t = xb[k]! - LN_3000;
    const u = k > 0 ? slope * (xb[k]! - xb[k - 1]!) : Number.POSITIVE_INFINITY;
    pl = Math.abs(u) < 1e-2 ? pl * expSmall(u) : Math.exp(slope * t);
    dNorm[k] = -pl;
    dSlope[k] = -norm * t * pl;
  }
  if (!fe) return [dNorm, dSlope];
  if (feWork.length < 4 * x.length) feWork = new Float64Array(4 * x.length);
  const dFe = binPoints(x, fe, w, binning, feWork).y;
  for (let k = 0; k < m; k++) dFe[k] = -dFe[k]!;
  return [dNorm, dSlope, dFe];
}

/** The binned template of responseDirections, likewise. */
let feWork = new Float64Array(0);

/** The binned points of the complex being fitted, kept between fits: no ComplexFit holds them. */
let binWork = new Float64Array(0);

/** The ln-lambda intervals around a complex's narrow lines, sorted and merged. */
function narrowZones(complex: LineComplex): [number, number][] {
  const zones: [number, number][] = [];
  const centres = complex.narrow.map((l) => Math.log(l.rest)).sort((a, b) => a - b);
  for (const c of centres) {
    const last = zones.at(-1);
    if (last && c - NARROW_REACH <= last[1]) last[1] = c + NARROW_REACH;
    else zones.push([c - NARROW_REACH, c + NARROW_REACH]);
  }
  return zones;
}

/** Parameter layout: per broad component [shift, sigma, amp]; per extra broad line the same; narrow [shift, sigma, amps...]. */
function layout(complex: LineComplex, nBroad: number): Layout {
  const lower: number[] = [];
  const upper: number[] = [];
  const components: GaussianComponent[] = [];
  const roles: ComponentRole[] = [];
  const broad: GaussianComponent[] = [];
  const push = (lo: number, hi: number) => {
    lower.push(lo);
    upper.push(hi);
    return lower.length - 1;
  };
  const broadLine = (name: string, rest: number, maxShift: number) => {
    const c = {
      lnRest: Math.log(rest),
      shift: push(-maxShift, maxShift),
      sigma: push(BROAD_SIGMA[0], BROAD_SIGMA[1]),
      amp: push(0, Infinity),
      ratio: 1,
    };
    components.push(c);
    roles.push({ line: name, kind: 'broad', rest });
    return c;
  };
  for (let j = 0; j < nBroad; j++) broad.push(broadLine(complex.broad.name, complex.broad.rest, complex.broad.maxShift));
  for (const e of complex.extraBroad) broadLine(e.name, e.rest, 0.01);
  if (complex.narrow.length > 0) {
    const shift = push(-NARROW_SHIFT, NARROW_SHIFT);
    const sigma = push(NARROW_SIGMA[0], NARROW_SIGMA[1]);
    const amps = new Map<string, number>();
    for (const l of complex.narrow) if (!l.tieTo) amps.set(l.name, push(0, Infinity));
    for (const l of complex.narrow) {
      const amp = amps.get(l.tieTo ?? l.name)!;
      components.push({ lnRest: Math.log(l.rest), shift, sigma, amp, ratio: l.tieTo ? l.ratio! : 1 });
      roles.push({ line: l.name, kind: 'narrow', rest: l.rest });
    }
  }
  return { nParams: lower.length, components, roles, broad, lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
}

/** Starting values: broad lines at 4000 km/s with the mean flux near their centre, narrow ones at 500 km/s. */
function guess(complex: LineComplex, l: Layout, x: Float64Array, y: Float64Array): Float64Array {
  const p = new Float64Array(l.nParams);
  const seen = new Set<number>();
  l.components.forEach((c, k) => {
    const role = l.roles[k]!;
    if (role.kind === 'broad') {
      p[c.shift] = 0;
      p[c.sigma] = START_BROAD_SIGMA;
      p[c.amp] = Math.max(meanNear(x, y, c.lnRest, START_BROAD_SIGMA), 0) || 1e-3;
    } else if (!seen.has(c.amp)) {
      seen.add(c.amp);
      p[c.shift] = 0;
      p[c.sigma] = START_NARROW_SIGMA;
      // Above the broad line, if any, at this wavelength: a narrow line's peak is the excess over its surroundings.
      const core = meanNear(x, y, c.lnRest, START_NARROW_SIGMA);
      const around = meanNear(x, y, c.lnRest, 4 * START_NARROW_SIGMA);
      const isMain = role.line === complex.broad.name;
      p[c.amp] = Math.max(core - around, 0) || (isMain ? 0.1 * p[l.broad[0]!.amp]! : 0) || 1e-4;
    }
  });
  for (let k = 0; k < p.length; k++) p[k] = Math.min(Math.max(p[k]!, l.lower[k]!), l.upper[k]!);
  return p;
}

/** Two-component start from a one-component fit: a narrower core with most of the peak and a wider, redder wing. */
function split(one: Layout, two: Layout, p1: Float64Array): Float64Array {
  const p = new Float64Array(two.nParams);
  const b = one.broad[0]!;
  const [c0, c1] = [two.broad[0]!, two.broad[1]!];
  p[c0.shift] = p1[b.shift]! - 0.0005;
  p[c0.sigma] = p1[b.sigma]! * 0.7;
  p[c0.amp] = p1[b.amp]! * 0.7;
  p[c1.shift] = p1[b.shift]! + 0.001;
  p[c1.sigma] = p1[b.sigma]! * 1.8;
  p[c1.amp] = p1[b.amp]! * 0.3;
  // Everything after the main broad line keeps its one-component value (same order, offset by one component).
  const offset = two.nParams - one.nParams;
  for (let k = 3; k < one.nParams; k++) p[k + offset] = p1[k]!;
  for (let k = 0; k < p.length; k++) p[k] = Math.min(Math.max(p[k]!, two.lower[k]!), two.upper[k]!);
  return p;
}

/**
 * The chi2 a least-squares fit of the residuals with the broad line's Gauss-Hermite h3 and h4 shapes would remove
 * (the score statistic for departures from one Gaussian).
 */
function shapeScore(fit: ComplexFit, { x, y, w, v }: BinnedPoints): number {
  const model = new Float64Array(x.length);
  new GaussianLines(fit.params.length, fit.components, x, v).evaluate(fit.params, model, null);
  const b = fit.broad[0]!;
  const p = fit.params;
  const mu = b.lnRest + p[b.shift]!;
  const s = p[b.sigma]!;
  let a33 = 0;
  let a34 = 0;
  let a44 = 0;
  let b3 = 0;
  let b4 = 0;
  for (let i = 0; i < x.length; i++) {
    const u = (x[i]! - mu) / s;
    if (u * u > 25) continue;
    const e = Math.exp(-0.5 * u * u);
    const u2 = u * u;
    const h3 = e * u * (2 * u2 - 3);
    const h4 = e * (4 * u2 * u2 - 12 * u2 + 3);
    const r = y[i]! - model[i]!;
    const wi = w[i]!;
    a33 += wi * h3 * h3;
    a34 += wi * h3 * h4;
    a44 += wi * h4 * h4;
    b3 += wi * h3 * r;
    b4 += wi * h4 * r;
  }
  const det = a33 * a44 - a34 * a34;
  if (!(det > 0)) return 0;
  return (a44 * b3 * b3 - 2 * a34 * b3 * b4 + a33 * b4 * b4) / det;
}

function meanNear(x: Float64Array, y: Float64Array, centre: number, half: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]! - centre) < half) {
      s += y[i]!;
      n++;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}
