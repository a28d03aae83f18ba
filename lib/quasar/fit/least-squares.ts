import { fitAddon } from './native-fit.js';

/**
 * A model for {@link leastSquares}: fills `model[i]` for every data point and, when `jac` is given, the Jacobian
 * `jac[i * nParams + k]` = d model_i / d p_k (row-major, already zeroed by the fitter).
 *
 * @example
 * const line: LeastSquaresModel = {
 *   nParams: 2,
 *   evaluate(p, model, jac) {
 *     for (let i = 0; i < x.length; i++) {
 *       model[i] = p[0]! + p[1]! * x[i]!;
 *       if (jac) { jac[2 * i] = 1; jac[2 * i + 1] = x[i]!; }
 *     }
 *   },
 * };
 */
export interface LeastSquaresModel {
  readonly nParams: number;
  evaluate(params: Float64Array, model: Float64Array, jac: Float64Array | null): void;
}

/**
 * Options of {@link leastSquares}. A parameter whose lower and upper bounds are equal is held fixed.
 *
 * @example
 * const opts: LeastSquaresOptions = { lower: Float64Array.of(0, -5), upper: Float64Array.of(Infinity, 5), maxIterations: 60 };
 */
export interface LeastSquaresOptions {
  /** Box bounds (default unbounded); steps are projected onto the box. */
  lower?: Float64Array;
  upper?: Float64Array;
  /** Default 100. */
  maxIterations?: number;
  /**
   * Stop once an accepted step lowers chi2 by less than this fraction of it (default 1e-6) or by less than 0.01
   * absolute (a chi2 change that small moves no parameter by a noticeable fraction of its error).
   */
  tolerance?: number;
  /**
   * Directions d in data space (each as long as y): the result's `response` then says how the fitted parameters move
   * per unit t when y becomes y + t d, to first order: (JᵀWJ)⁻¹ JᵀW d at the final parameters. A caller that fitted
   * y = data - c(q), with c fitted elsewhere, gets the parameters' dependence on q from d = -dc/dq, and so can
   * propagate q's covariance into them (fitComplex does for the continuum).
   */
  response?: readonly ArrayLike<number>[];
}

/**
 * What {@link leastSquares} found: the parameters, chi2 = sum w (y - model)^2 at them, the covariance (JᵀWJ)⁻¹ of the
 * final Jacobian (nParams x nParams, row-major; NaN rows and columns for fixed parameters or where JᵀWJ is singular),
 * the iterations taken and whether the tolerance was met.
 *
 * @example
 * const { params, chi2, covariance } = leastSquares(model, y, w, p0);
 * const err0 = Math.sqrt(covariance[0]!);
 */
export interface LeastSquaresResult {
  params: Float64Array;
  chi2: number;
  covariance: Float64Array;
  iterations: number;
  converged: boolean;
  /**
   * With `response` directions: nParams x directions, row-major (element [k * directions + j] = d params_k / d t_j),
   * 0 for fixed parameters and NaN where the covariance's diagonal is (JᵀWJ singular); absent without them.
   */
  response?: Float64Array;
}

/**
 * Weighted nonlinear least squares by Levenberg-Marquardt (Marquardt's diagonal scaling, projected box bounds,
 * analytic Jacobian from the model): minimises sum_i w_i (y_i - model_i(p))^2. Work arrays are allocated once per
 * call; the iteration itself allocates nothing.
 *
 * @example
 * const fit = leastSquares(gaussianModel, flux, ivar, Float64Array.of(1, 0, 2), { lower: Float64Array.of(0, -1, 0.1) });
 * fit.params; // amplitude, centre, width
 */
export function leastSquares(
  model: LeastSquaresModel,
  y: ArrayLike<number>,
  weight: ArrayLike<number>,
  p0: ArrayLike<number>,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const np = model.nParams;
  const n = y.length;
  const lower = options.lower;
  const upper = options.upper;
  const maxIter = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-6;
  const fixed = new Uint8Array(np);
  for (let k = 0; k < np; k++) if (lower && upper && lower[k] === upper[k]) fixed[k] = 1;
  const p = new Float64Array(np);
  for (let k = 0; k < np; k++) p[k] = clamp(p0[k]!, k, lower, upper);
  const trial = new Float64Array(np);
  const [m0, m1, j0, j1] = scratch(n, np);
  let m = m0;
  let mTrial = m1;
  let jac = j0;
  let jacTrial = j1;
  jac.fill(0);
  const alpha = new Float64Array(np * np);
  const beta = new Float64Array(np);
  const work = new Float64Array(np * np);
  const step = new Float64Array(np);
  const nz = new Int32Array(np);
  const held = new Uint8Array(np);

  model.evaluate(p, m, jac);
  // The native loop where it was built (same bits, several times faster: fit/native-fit.ts), else JavaScript's.
  const addon = fitAddon();
  const native = addon !== null && y instanceof Float64Array && weight instanceof Float64Array ? addon : null;
  const formNormal = (): number =>
    native
      ? native.normal(y as Float64Array, weight as Float64Array, m, jac, np, alpha, beta)
      : normal(y, weight, m, jac, np, alpha, beta, nz);
  let chi2 = formNormal();
  let lambda = 1e-3;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter && !converged) {
    iterations++;
    let accepted = false;
    // Raise lambda until a step lowers chi2 (or lambda is so large that steps no longer move anything).
    while (lambda < 1e8) {
      // Parameters on a bound whose step points out of the box are held for this step (an active set), so the others
      // are solved for without assuming they move.
      held.set(fixed);
      let solved = false;
      for (let round = 0; round <= np; round++) {
        solved = solveStep(alpha, beta, lambda, held, work, step, np);
        if (!solved) break;
        let changed = false;
        for (let k = 0; k < np; k++) {
          if (held[k]) continue;
          if ((lower && p[k] === lower[k] && step[k]! < 0) || (upper && p[k] === upper[k] && step[k]! > 0)) {
            held[k] = 1;
            changed = true;
          }
        }
        if (!changed) break;
      }
      if (!solved) {
        lambda *= 10;
        continue;
      }
      for (let k = 0; k < np; k++) trial[k] = clamp(p[k]! + step[k]!, k, lower, upper);
      jacTrial.fill(0);
      model.evaluate(trial, mTrial, jacTrial);
      const chi2Trial = chiSquare(y, weight, mTrial);
      if (chi2Trial - chi2 < 0.01 && chi2Trial > chi2) {
        converged = true; // steps neither help nor hurt: at the minimum within what matters
        break;
      }
      if (chi2Trial <= chi2) {
        const drop = chi2 - chi2Trial;
        p.set(trial);
        [m, mTrial] = [mTrial, m];
        [jac, jacTrial] = [jacTrial, jac];
        chi2 = formNormal();
        lambda = Math.max(lambda / 10, 1e-9);
        accepted = true;
        if (drop < tol * chi2 || drop < 0.01) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (converged) break;
    if (!accepted) {
      converged = true; // no step lowers chi2: at a minimum within rounding
      break;
    }
  }
  const covariance = invertNormal(alpha, np, fixed);
  const directions = options.response;
  if (!directions) return { params: p, chi2, covariance, iterations, converged };
  return { params: p, chi2, covariance, iterations, converged, response: respond(directions, weight, jac, covariance, fixed, np) };
}

/** (JᵀWJ)⁻¹ JᵀW d for each direction d, nParams x directions row-major, from the Jacobian at the final parameters. */
function respond(
  directions: readonly ArrayLike<number>[],
  w: ArrayLike<number>,
  jac: Float64Array,
  covariance: Float64Array,
  fixed: Uint8Array,
  np: number,
): Float64Array {
  const nd = directions.length;
  // JᵀW d, two directions per pass over the Jacobian (a loop over the directions inside it was twice as slow).
  const jwd = new Float64Array(np * nd);
  const n = w.length;
  for (let j = 0; j < nd; j += 2) {
    const d0 = directions[j]!;
    if (j + 1 === nd) {
      for (let i = 0; i < n; i++) {
        const wd0 = w[i]! * d0[i]!;
        const row = i * np;
        for (let k = 0; k < np; k++) jwd[k * nd + j] += jac[row + k]! * wd0;
      }
      break;
    }
    const d1 = directions[j + 1]!;
    for (let i = 0; i < n; i++) {
      const wd0 = w[i]! * d0[i]!;
      const wd1 = w[i]! * d1[i]!;
      const row = i * np;
      for (let k = 0; k < np; k++) {
        const jk = jac[row + k]!;
        jwd[k * nd + j] += jk * wd0;
        jwd[k * nd + j + 1] += jk * wd1;
      }
    }
  }
  const out = new Float64Array(np * nd);
  for (let k = 0; k < np; k++) {
    if (fixed[k]) continue; // a fixed parameter does not move (its covariance row and column are NaN)
    const known = !Number.isNaN(covariance[k * np + k]!);
    for (let j = 0; j < nd; j++) {
      let s = 0;
      for (let l = 0; l < np; l++) {
        const c = covariance[k * np + l]!;
        if (!Number.isNaN(c)) s += c * jwd[l * nd + j]!;
      }
      out[k * nd + j] = known ? s : Number.NaN;
    }
  }
  return out;
}

/**
 * The model and Jacobian work arrays of one call, views of buffers kept between calls: a spectrum's fits need a few
 * hundred kilobytes each, and allocating them per call made the garbage collector a tenth of the features' time.
 * Safe because a call never runs inside another on the same thread (models do not fit).
 */
let buffers = { n: 0, nj: 0, m: [new Float64Array(0), new Float64Array(0)], jac: [new Float64Array(0), new Float64Array(0)] };
function scratch(n: number, np: number): [Float64Array, Float64Array, Float64Array, Float64Array] {
  const nj = n * np;
  if (buffers.n < n || buffers.nj < nj) {
    const size = Math.max(n, buffers.n);
    const sizeJ = Math.max(nj, buffers.nj);
    buffers = {
      n: size,
      nj: sizeJ,
      m: [new Float64Array(size), new Float64Array(size)],
      jac: [new Float64Array(sizeJ), new Float64Array(sizeJ)],
    };
  }
  return [buffers.m[0]!.subarray(0, n), buffers.m[1]!.subarray(0, n), buffers.jac[0]!.subarray(0, nj), buffers.jac[1]!.subarray(0, nj)];
}

/** Solves (alpha + lambda diag(alpha)) step = beta with the `held` parameters' steps forced to 0. */
function solveStep(
  alpha: Float64Array,
  beta: Float64Array,
  lambda: number,
  held: Uint8Array,
  work: Float64Array,
  step: Float64Array,
  np: number,
): boolean {
  for (let a = 0; a < np; a++) {
    for (let b = 0; b < np; b++) work[a * np + b] = alpha[a * np + b]!;
    const d = alpha[a * np + a]!;
    work[a * np + a] = d + lambda * (d > 0 ? d : 1e-12);
    step[a] = beta[a]!;
  }
  for (let a = 0; a < np; a++) {
    if (!held[a]) continue;
    for (let b = 0; b < np; b++) work[a * np + b] = work[b * np + a] = 0;
    work[a * np + a] = 1;
    step[a] = 0;
  }
  return choleskySolve(work, step, np);
}

function clamp(v: number, k: number, lower?: Float64Array, upper?: Float64Array): number {
  if (lower && v < lower[k]!) return lower[k]!;
  if (upper && v > upper[k]!) return upper[k]!;
  return v;
}

function chiSquare(y: ArrayLike<number>, w: ArrayLike<number>, m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) {
    const r = y[i]! - m[i]!;
    s += w[i]! * r * r;
  }
  return s;
}

/** The non-zero Jacobian values of the row in hand, beside their columns in `nz` (grown as models need). */
let nzValue = new Float64Array(16);

/**
 * Fills alpha = JᵀWJ and beta = JᵀW(y - m) and returns chi2, in JavaScript: what normal-equations.cc does natively,
 * term for term (exported for the test that holds the two to the same bits). Rows of a line model are sparse (a
 * narrow line touches a few pixels), so each row's non-zero columns are gathered first into `nz` and only their pairs
 * are summed.
 *
 * @example
 * const chi2 = normal(y, w, m, jac, np, alpha, beta, new Int32Array(np));
 */
export function normal(
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  m: Float64Array,
  jac: Float64Array,
  np: number,
  alpha: Float64Array,
  beta: Float64Array,
  nz: Int32Array,
): number {
  alpha.fill(0);
  beta.fill(0);
  if (nzValue.length < np) nzValue = new Float64Array(np);
  let chi2 = 0;
  for (let i = 0; i < m.length; i++) {
    const wi = w[i]!;
    const r = y[i]! - m[i]!;
    chi2 += wi * r * r;
    if (wi === 0) continue;
    const row = i * np;
    let count = 0;
    for (let a = 0; a < np; a++) {
      const v = jac[row + a]!;
      if (v !== 0) {
        nz[count] = a;
        nzValue[count++] = v;
      }
    }
    for (let ka = 0; ka < count; ka++) {
      const a = nz[ka]!;
      const wja = wi * nzValue[ka]!;
      beta[a] += wja * r;
      // upper triangle only; mirrored below
      const base = a * np;
      for (let kb = ka; kb < count; kb++) alpha[base + nz[kb]!] += wja * nzValue[kb]!;
    }
  }
  for (let a = 0; a < np; a++) for (let b = 0; b < a; b++) alpha[a * np + b] = alpha[b * np + a]!;
  return chi2;
}

/** Solves A x = b in place (b becomes x) for symmetric positive definite A (overwritten by its Cholesky factor). */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): boolean {
  if (!choleskyFactor(a, n)) return false;
  choleskySubstitute(a, b, n);
  return true;
}

/** The lower Cholesky factor L (A = L Lᵀ) in place; false when A is not positive definite. */
function choleskyFactor(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place given the factor from {@link choleskyFactor}. */
function choleskySubstitute(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** (JᵀWJ)⁻¹ over the free parameters; NaN for fixed ones, and everywhere when the free block is singular. */
function invertNormal(alpha: Float64Array, np: number, fixed: Uint8Array): Float64Array {
  const free: number[] = [];
  for (let k = 0; k < np; k++) if (!fixed[k] && alpha[k * np + k]! > 0) free.push(k);
  const nf = free.length;
  const out = new Float64Array(np * np).fill(Number.NaN);
  const a = new Float64Array(nf * nf);
  // Scale to unit diagonal first: amplitudes and widths differ by many orders of magnitude.
  const s = free.map((k) => 1 / Math.sqrt(alpha[k * np + k]!));
  for (let i = 0; i < nf; i++) for (let j = 0; j < nf; j++) a[i * nf + j] = alpha[free[i]! * np + free[j]!]! * s[i]! * s[j]!;
  if (!choleskyFactor(a, nf)) return out;
  const col = new Float64Array(nf);
  for (let j = 0; j < nf; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySubstitute(a, col, nf);
    for (let i = 0; i < nf; i++) out[free[i]! * np + free[j]!] = col[i]! * s[i]! * s[j]!;
  }
  return out;
}
