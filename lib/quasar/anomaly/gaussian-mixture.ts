import { Rng } from '../../core/index.js';
import { QuasarError } from '../../errors/index.js';
import { choleskyFactor } from './dense.js';

/**
 * A Gaussian mixture in d dimensions: weights (K), means (K x d) and full covariances (K x d x d), each component
 * also held as its Cholesky factor and log-determinant for scoring.
 *
 * @example
 * const gmm: GaussianMixture = fitGaussianMixture(points, n, 8, { components: 4, seed: 1 });
 */
export interface GaussianMixture {
  d: number;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
}

/**
 * Options of {@link fitGaussianMixture}.
 *
 * @example
 * fitGaussianMixture(x, n, d, { components: 3, iterations: 200, seed: 9 } satisfies GaussianMixtureOptions);
 */
export interface GaussianMixtureOptions {
  /** Number of Gaussians (default 4). */
  components?: number;
  /** EM iterations at most (default 100); stops earlier when the mean log-likelihood changes by < 1e-8. */
  iterations?: number;
  /** Seed of the k-means++-style start (lib/core Rng; default 0). */
  seed?: number;
  /** Added to covariance diagonals, relative to the data's variance per dimension (default 1e-6). */
  regularisation?: number;
}

/**
 * Fits a full-covariance Gaussian mixture to n points (rows of x, n x d) by EM from a seeded start: means drawn
 * k-means++-style (each next mean a point chosen with probability proportional to its squared distance to the
 * nearest mean so far), covariances the data's, equal weights. Deterministic for a seed.
 *
 * @example
 * const gmm = fitGaussianMixture(coefficients, n, 8, { seed: 42 });
 */
export function fitGaussianMixture(x: Float64Array, n: number, d: number, options: GaussianMixtureOptions = {}): GaussianMixture {
  const K = Math.min(options.components ?? 4, n);
  if (n < 2 || K < 1) throw new QuasarError(`${n} points cannot fit a Gaussian mixture`, { scope: 'fitGaussianMixture' });
  const rng = Rng.for(options.seed ?? 0, 'gaussianMixture', n, d);
  const dataMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) dataMean[a]! += x[i * d + a]! / n;
  const dataCov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) dataCov[a * d + b]! += ((x[i * d + a]! - dataMean[a]!) * (x[i * d + b]! - dataMean[b]!)) / n;
  const ridge = new Float64Array(d);
  for (let a = 0; a < d; a++) ridge[a] = (options.regularisation ?? 1e-6) * Math.max(dataCov[a * d + a]!, 1e-300);
  const gmm: GaussianMixture = {
    d,
    weights: new Float64Array(K).fill(1 / K),
    means: new Float64Array(K * d),
    covariances: new Float64Array(K * d * d),
  };
  // k-means++ start.
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(n);
  for (let c = 0; c < K; c++) {
    gmm.means.set(x.subarray(pick * d, pick * d + d), c * d);
    gmm.covariances.set(dataCov, c * d * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (x[i * d + a]! - gmm.means[c * d + a]!) ** 2;
      nearest[i] = Math.min(nearest[i]!, s);
      total += nearest[i]!;
    }
    let u = rng.uniform() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= nearest[i]!;
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  const resp = new Float64Array(n * K);
  let last = Number.NEGATIVE_INFINITY;
  for (let it = 0; it < (options.iterations ?? 100); it++) {
    // E step.
    const logp = componentLogDensities(gmm, x, n, ridge);
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) mx = Math.max(mx, logp[i * K + c]!);
      let s = 0;
      for (let c = 0; c < K; c++) s += Math.exp(logp[i * K + c]! - mx);
      for (let c = 0; c < K; c++) resp[i * K + c] = Math.exp(logp[i * K + c]! - mx) / s;
      ll += mx + Math.log(s);
    }
    ll /= n;
    // M step.
    for (let c = 0; c < K; c++) {
      let nk = 0;
      for (let i = 0; i < n; i++) nk += resp[i * K + c]!;
      if (nk < 1e-12) continue;
      gmm.weights[c] = nk / n;
      const mu = gmm.means.subarray(c * d, c * d + d);
      mu.fill(0);
      for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mu[a]! += (resp[i * K + c]! * x[i * d + a]!) / nk;
      const cov = gmm.covariances.subarray(c * d * d, (c + 1) * d * d);
      cov.fill(0);
      for (let i = 0; i < n; i++) {
        const r = resp[i * K + c]! / nk;
        if (r === 0) continue;
        for (let a = 0; a < d; a++) {
          const da = x[i * d + a]! - mu[a]!;
          for (let b = 0; b <= a; b++) cov[a * d + b]! += r * da * (x[i * d + b]! - mu[b]!);
        }
      }
      for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) cov[a * d + b] = cov[b * d + a]!;
    }
    if (Math.abs(ll - last) < 1e-8) break;
    last = ll;
  }
  return gmm;
}

/**
 * -log p(x) under the mixture for n points (rows of x): the density score in the reduced space.
 *
 * @example
 * const nll = mixtureNegLogLikelihood(gmm, coefficients, n);
 */
export function mixtureNegLogLikelihood(gmm: GaussianMixture, x: Float64Array, n: number): Float64Array {
  const K = gmm.weights.length;
  const logp = componentLogDensities(gmm, x, n, new Float64Array(gmm.d));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < K; c++) mx = Math.max(mx, logp[i * K + c]!);
    let s = 0;
    for (let c = 0; c < K; c++) s += Math.exp(logp[i * K + c]! - mx);
    out[i] = -(mx + Math.log(s));
  }
  return out;
}

/** log(weight_c N(x_i | mu_c, Sigma_c + diag(ridge))) for every point and component (n x K). */
function componentLogDensities(gmm: GaussianMixture, x: Float64Array, n: number, ridge: Float64Array): Float64Array {
  const { d } = gmm;
  const K = gmm.weights.length;
  const out = new Float64Array(n * K);
  const diff = new Float64Array(d);
  for (let c = 0; c < K; c++) {
    const cov = Float64Array.from(gmm.covariances.subarray(c * d * d, (c + 1) * d * d));
    for (let a = 0; a < d; a++) cov[a * d + a]! += ridge[a]!;
    let l = choleskyFactor(cov, d);
    // A collapsed component (all its points identical) gets a little more ridge rather than a crash.
    for (let boost = 1e-9; !l && boost < 1e3; boost *= 10) l = choleskyFactor(cov, d, boost);
    if (!l) throw new QuasarError(`component ${c} has no usable covariance`, { scope: 'fitGaussianMixture' });
    let logDet = 0;
    for (let a = 0; a < d; a++) logDet += 2 * Math.log(l[a * d + a]!);
    const norm = Math.log(gmm.weights[c]!) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
    for (let i = 0; i < n; i++) {
      // Mahalanobis distance by forward substitution: |L^-1 (x - mu)|^2.
      let m2 = 0;
      for (let a = 0; a < d; a++) {
        let s = x[i * d + a]! - gmm.means[c * d + a]!;
        for (let b = 0; b < a; b++) s -= l[a * d + b]! * diff[b]!;
        diff[a] = s / l[a * d + a]!;
        m2 += diff[a]! ** 2;
      }
      out[i * K + c] = norm - 0.5 * m2;
    }
  }
  return out;
}
