import { Rng } from '../../core/index.js';
import { matMul, matTMul, orthonormaliseColumns, symmetricEigen } from './dense.js';

/**
 * The leading singular triplets of a matrix: `values` (k, decreasing) and the right singular vectors as the rows of
 * `vectors` (k x p, orthonormal).
 *
 * @example
 * const { values, vectors }: TruncatedSvd = randomisedSvd(x, n, p, 8, { seed: 1 });
 */
export interface TruncatedSvd {
  values: Float64Array;
  vectors: Float64Array;
}

/**
 * Options of {@link randomisedSvd}.
 *
 * @example
 * randomisedSvd(x, n, p, 10, { seed: 7, oversample: 10, powerIterations: 2 } satisfies RandomisedSvdOptions);
 */
export interface RandomisedSvdOptions {
  /** Seed of the Gaussian test matrix (lib/core Rng; default 0). */
  seed?: number;
  /** Extra random directions beyond k (default 10). */
  oversample?: number;
  /** Power iterations, which sharpen a slowly decaying spectrum (default 2). */
  powerIterations?: number;
}

/**
 * The top-k right singular vectors of A (n x p, row-major) by the randomised range finder of Halko, Martinsson &
 * Tropp (2011): Y = A Omega with a seeded Gaussian Omega (p x (k + oversample)), a few power iterations with
 * re-orthonormalisation, Q = orth(Y), then the exact SVD of the small B = Q^T A through the eigenvectors of B B^T.
 * Plain loops on Float64Array (no BLAS in Node): about (2 + 2 powerIterations) n p (k + oversample) multiply-adds.
 *
 * @example
 * const svd = randomisedSvd(centred, nspec, npix, 10, { seed: 42 });
 */
export function randomisedSvd(a: Float64Array, n: number, p: number, k: number, options: RandomisedSvdOptions = {}): TruncatedSvd {
  const l = Math.min(k + (options.oversample ?? 10), n, p);
  const rng = Rng.for(options.seed ?? 0, 'randomisedSvd', n, p);
  const omega = new Float64Array(p * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = matMul(a, n, p, omega, l);
  orthonormaliseColumns(q, n, l);
  for (let it = 0; it < (options.powerIterations ?? 2); it++) {
    const z = matTMul(a, n, p, q, l);
    orthonormaliseColumns(z, p, l);
    q = matMul(a, n, p, z, l);
    orthonormaliseColumns(q, n, l);
  }
  // B^T = A^T Q (p x l); B B^T = (B^T)^T B^T (l x l).
  const bt = matTMul(a, n, p, q, l);
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < p; r++)
    for (let i = 0; i < l; i++) {
      const v = bt[r * l + i]!;
      if (v === 0) continue;
      for (let j = 0; j < l; j++) bbt[i * l + j]! += v * bt[r * l + j]!;
    }
  const eig = symmetricEigen(bbt, l);
  const kk = Math.min(k, l);
  const values = new Float64Array(kk);
  const vectors = new Float64Array(kk * p);
  for (let c = 0; c < kk; c++) {
    const sigma = Math.sqrt(Math.max(eig.values[c]!, 0));
    values[c] = sigma;
    if (sigma === 0) continue;
    // v_c = B^T w_c / sigma_c
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let i = 0; i < l; i++) s += bt[r * l + i]! * eig.vectors[c * l + i]!;
      vectors[c * p + r] = s / sigma;
    }
  }
  return { values, vectors };
}
