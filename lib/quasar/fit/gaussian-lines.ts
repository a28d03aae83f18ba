import type { LeastSquaresModel } from './least-squares.js';
import { firstAtLeast } from '../first-at-least.js';

/**
 * One Gaussian of a line model in x = ln(rest lambda): centre ln(rest) + p[shift], width p[sigma] (both in ln lambda),
 * peak p[amp] * ratio (flux density). Components share shift and sigma parameters to tie kinematics, and an amplitude
 * parameter with a fixed ratio to tie doublets ([OIII] 4959 = 5007 / 2.98 in flux).
 *
 * @example
 * const oiii4959: GaussianComponent = { lnRest: Math.log(4960.29), shift: 6, sigma: 7, amp: 9, ratio: 0.3388 };
 */
export interface GaussianComponent {
  lnRest: number;
  shift: number;
  sigma: number;
  amp: number;
  ratio: number;
}

/** Components are cut at this many sigma (exp(-24.5) ~ 2e-11 of the peak). */
const CUT = 7;

/**
 * A sum of Gaussians in ln(lambda) over sorted abscissae x, as a {@link LeastSquaresModel} with its analytic Jacobian.
 * Each component touches only the pixels within 7 sigma of its centre (found by bisection), so narrow lines cost
 * little. With `variance` (binned points: fit/bin-points.ts), each point is a bin's mean and reads the profile's mean
 * over the bin, g(x) (1 + v (d^2 - 1) / (2 sigma^2)) to second order; the Jacobian keeps the exact amplitude column
 * and the plain Gaussian's shift and sigma columns (the term is under 1% where bins are used, and a Jacobian only
 * steers the steps: chi2 is always the corrected model's).
 *
 * @example
 * const model = new GaussianLines(5, [{ lnRest: Math.log(4862.68), shift: 0, sigma: 1, amp: 2, ratio: 1 }], lnWave);
 * leastSquares(model, flux, ivar, p0);
 */
export class GaussianLines implements LeastSquaresModel {
  constructor(
    readonly nParams: number,
    readonly components: readonly GaussianComponent[],
    private readonly x: Float64Array,
    private readonly variance?: Float64Array,
  ) {}

  evaluate(p: Float64Array, model: Float64Array, jac: Float64Array | null): void {
    model.fill(0);
    const x = this.x;
    const v = this.variance;
    const np = this.nParams;
    for (const c of this.components) {
      const mu = c.lnRest + p[c.shift]!;
      const s = p[c.sigma]!;
      const a = p[c.amp]! * c.ratio;
      if (!(s > 0)) continue;
      const inv = 1 / s;
      const half = 0.5 * inv * inv;
      const end = firstAtLeast(x, mu + CUT * s);
      for (let i = firstAtLeast(x, mu - CUT * s); i < end; i++) {
        const d = (x[i]! - mu) * inv;
        const g = Math.exp(-0.5 * d * d);
        const e = v ? g * (1 + v[i]! * (d * d - 1) * half) : g;
        model[i] += a * e;
        if (jac) {
          const row = i * np;
          jac[row + c.amp] += c.ratio * e;
          const ae = a * g * inv;
          jac[row + c.shift] += ae * d;
          jac[row + c.sigma] += ae * d * d;
        }
      }
    }
  }
}

/**
 * The summed profile (flux density) of `components` with parameters `p` at one x = ln(lambda).
 *
 * @example
 * profileAt(fit.params, broad, Math.log(4862.68));
 */
export function profileAt(p: ArrayLike<number>, components: readonly GaussianComponent[], x: number): number {
  let f = 0;
  for (const c of components) {
    const s = p[c.sigma]!;
    if (!(s > 0)) continue;
    const d = (x - c.lnRest - p[c.shift]!) / s;
    if (d * d < 2 * CUT * CUT) f += p[c.amp]! * c.ratio * Math.exp(-0.5 * d * d);
  }
  return f;
}

/**
 * Adds the summed profile of `components` (parameters `p`) to `out[i]` at x[i] = ln(lambda) for i0 <= i < i1 (x
 * sorted there; it is not read elsewhere): each component over the pixels within the same reach as
 * {@link profileAt}, found by bisection.
 *
 * @example
 * addProfiles(fit.params, fit.components, rest.lnWave, 0, rest.lnWave.length, model);
 */
export function addProfiles(
  p: ArrayLike<number>,
  components: readonly GaussianComponent[],
  x: Float64Array,
  i0: number,
  i1: number,
  out: Float64Array,
): void {
  const reach = CUT * Math.SQRT2;
  for (const c of components) {
    const s = p[c.sigma]!;
    if (!(s > 0)) continue;
    const mu = c.lnRest + p[c.shift]!;
    const a = p[c.amp]! * c.ratio;
    const inv = 1 / s;
    const end = firstAtLeast(x, mu + reach * s, i0, i1);
    for (let i = firstAtLeast(x, mu - reach * s, i0, i1); i < end; i++) {
      const d = (x[i]! - mu) * inv;
      if (d * d < 2 * CUT * CUT) out[i] += a * Math.exp(-0.5 * d * d);
    }
  }
}
