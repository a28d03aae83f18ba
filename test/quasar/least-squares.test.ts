import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { leastSquares, type LeastSquaresModel } from '../../lib/quasar/index.js';
import { normal } from '../../lib/quasar/fit/least-squares.js';
import { fitAddon } from '../../lib/quasar/fit/native-fit.js';

const N = 400;
const X = Float64Array.from({ length: N }, (_, i) => 1 + (4 * i) / (N - 1));

/** p = [norm, slope, amp, centre, sigma]: norm x^slope + amp exp(-(x - centre)^2 / 2 sigma^2), analytic Jacobian. */
const model: LeastSquaresModel = {
  nParams: 5,
  evaluate(p, m, jac) {
    const [norm, slope, amp, mu, s] = p as unknown as [number, number, number, number, number];
    for (let i = 0; i < N; i++) {
      const x = X[i]!;
      const pl = x ** slope;
      const d = (x - mu) / s;
      const e = Math.exp(-0.5 * d * d);
      m[i] = norm * pl + amp * e;
      if (jac) {
        const r = i * 5;
        jac[r] = pl;
        jac[r + 1] = norm * pl * Math.log(x);
        jac[r + 2] = e;
        jac[r + 3] = (amp * e * d) / s;
        jac[r + 4] = (amp * e * d * d) / s;
      }
    }
  },
};
const TRUTH = Float64Array.of(2, -1.2, 1.5, 3, 0.25);
const SIGMA = 0.05;

function noisy(rng: Rng): Float64Array {
  const y = new Float64Array(N);
  model.evaluate(TRUTH, y, null);
  for (let i = 0; i < N; i++) y[i] += SIGMA * rng.normal();
  return y;
}

describe('leastSquares (Levenberg-Marquardt)', () => {
  const w = new Float64Array(N).fill(1 / SIGMA ** 2);
  const p0 = Float64Array.of(1, -0.5, 1, 2.8, 0.4);

  it('recovers a power law plus a Gaussian from a poor start, noiseless', () => {
    const y = new Float64Array(N);
    model.evaluate(TRUTH, y, null);
    const fit = leastSquares(model, y, w, p0);
    expect(fit.converged).toBe(true);
    for (let k = 0; k < 5; k++) expect(fit.params[k]).toBeCloseTo(TRUTH[k]!, 5);
    expect(fit.chi2).toBeLessThan(1e-6);
  });

  it('gives a covariance that matches the scatter of repeated noisy fits (within 20% in sigma)', () => {
    const rng = Rng.for(7, 'least-squares');
    const runs = 300;
    const sums = new Float64Array(5);
    const sq = new Float64Array(5);
    let predicted: Float64Array = new Float64Array(25);
    let chi2 = 0;
    for (let r = 0; r < runs; r++) {
      const fit = leastSquares(model, noisy(rng), w, p0);
      for (let k = 0; k < 5; k++) {
        sums[k] += fit.params[k]!;
        sq[k] += fit.params[k]! ** 2;
      }
      predicted = fit.covariance;
      chi2 += fit.chi2 / runs;
    }
    for (let k = 0; k < 5; k++) {
      const mean = sums[k]! / runs;
      const scatter = Math.sqrt(sq[k]! / runs - mean * mean);
      expect(Math.abs(mean - TRUTH[k]!)).toBeLessThan(4 * (scatter / Math.sqrt(runs)) + 1e-9);
      expect(Math.abs(scatter / Math.sqrt(predicted[k * 5 + k]!) - 1)).toBeLessThan(0.2);
    }
    // mean chi2 ~ N - 5 when weights are the true inverse variances
    expect(Math.abs(chi2 / (N - 5) - 1)).toBeLessThan(0.03);
  });

  it('keeps parameters inside their bounds and holds fixed ones (lower = upper) with NaN covariance', () => {
    const y = new Float64Array(N);
    model.evaluate(TRUTH, y, null);
    const lower = Float64Array.of(-Infinity, -1.2, 0, 0, 0.3);
    const upper = Float64Array.of(Infinity, -1.2, 10, 10, 2);
    const fit = leastSquares(model, y, w, p0, { lower, upper });
    expect(fit.params[1]).toBe(-1.2);
    expect(fit.params[4]).toBe(0.3); // the true 0.25 lies below the bound: the fit sits on it
    expect(fit.covariance[1 * 5 + 1]).toBeNaN();
    expect(Number.isFinite(fit.covariance[0])).toBe(true);
  });

  it('gives the response of the parameters to a change of the data along given directions, as refits see it', () => {
    const y = new Float64Array(N);
    model.evaluate(TRUTH, y, null);
    // Offset and tilt: what an error of a continuum subtracted beforehand does to y. Tiny errors (sigma 1e-5), so
    // that the refits' stopping rule (chi2 within 0.01) leaves the parameters at 1e-4 of the shifts they measure.
    const directions = [new Float64Array(N).fill(1), Float64Array.from(X, (x) => x - 3)];
    const tight = new Float64Array(N).fill(1e10);
    const fit = leastSquares(model, y, tight, p0, { response: directions });
    expect(fit.response).toHaveLength(5 * 2);
    const t = 1e-4;
    directions.forEach((d, j) => {
      const moved = leastSquares(
        model,
        Float64Array.from(y, (v, i) => v + t * d[i]!),
        tight,
        fit.params,
      );
      for (let k = 0; k < 5; k++) {
        const refit = (moved.params[k]! - fit.params[k]!) / t;
        expect(Math.abs(fit.response![k * 2 + j]! - refit)).toBeLessThan(2e-3 * Math.abs(refit) + 1e-6);
      }
    });
    // A fixed parameter does not move; without directions there is no response.
    const held = leastSquares(model, y, tight, p0, {
      lower: Float64Array.of(-Infinity, -1.2, 0, 0, 0),
      upper: Float64Array.of(Infinity, -1.2, 10, 10, 2),
      response: directions,
    });
    expect(held.response![1 * 2]).toBe(0);
    expect(held.response![1 * 2 + 1]).toBe(0);
    expect(leastSquares(model, y, tight, p0).response).toBeUndefined();
  });
});

describe('the normal equations, native and JavaScript', () => {
  const addon = fitAddon();
  it.skipIf(addon === null)(
    'give the same bits on sparse Jacobians (skipped: run npm run build to make dist/native/skybook-fit.node)',
    () => {
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (const [n, np] of [
        [232, 6],
        [135, 9],
        [96, 3],
        [540, 12],
      ] as const) {
        const y = Float64Array.from({ length: n }, random);
        const w = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : random()));
        const m = Float64Array.from({ length: n }, random);
        // Broad columns everywhere, narrow ones on a stretch: the sparsity the line fits have.
        const jac = Float64Array.from({ length: n * np }, (_, k) =>
          k % np < 3 || (k / np > n / 3 && k / np < n / 2) ? random() - 0.5 : 0,
        );
        const alphaJs = new Float64Array(np * np).fill(7);
        const betaJs = new Float64Array(np).fill(7);
        const alphaNative = new Float64Array(np * np).fill(-7);
        const betaNative = new Float64Array(np).fill(-7);
        const chi2Js = normal(y, w, m, jac, np, alphaJs, betaJs, new Int32Array(np));
        const chi2Native = addon!.normal(y, w, m, jac, np, alphaNative, betaNative);
        expect(chi2Native).toBe(chi2Js);
        expect(Array.from(alphaNative)).toEqual(Array.from(alphaJs));
        expect(Array.from(betaNative)).toEqual(Array.from(betaJs));
        expect(alphaJs[1]).not.toBe(0);
      }
      expect(() =>
        addon!.normal(
          new Float64Array(2),
          new Float64Array(2),
          new Float64Array(2),
          new Float64Array(3),
          2,
          new Float64Array(4),
          new Float64Array(2),
        ),
      ).toThrow(/too short/);
    },
  );
});
