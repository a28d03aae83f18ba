import type { MlMatrix } from '../ml-matrix.js';
import { isGood } from './masked-pca.js';

/**
 * Scores of a model's reconstructions of ML matrix rows: the IVAR-weighted chi-square per good pixel and the number
 * of good pixels (NaN chi2 where a row has none), plus the latent vectors when the model gives them (n x latent).
 *
 * @example
 * const s: ReconstructionScores = await scorer.score(matrix); s.chi2[0];
 */
export interface ReconstructionScores {
  targetid: BigInt64Array;
  chi2: Float64Array;
  ngood: Int32Array;
  latent: Float32Array | undefined;
  latentSize: number;
}

/**
 * sum(ivar (flux - reconstruction)^2) / ngood over row r's good pixels: the score of the ONNX path and of its reference
 * alike, so the two are compared on one definition.
 *
 * @example
 * reconstructionChi2(matrix, 3, recon); // { chi2: 1.02, ngood: 61 }
 */
export function reconstructionChi2(m: MlMatrix, r: number, recon: ArrayLike<number>): { chi2: number; ngood: number } {
  let chi2 = 0;
  let ngood = 0;
  for (let j = 0; j < m.npix; j++) {
    const o = r * m.npix + j;
    if (!isGood(m, o)) continue;
    const d = m.flux[o]! - recon[j]!;
    chi2 += m.ivar[o]! * d * d;
    ngood++;
  }
  return { chi2: ngood > 0 ? chi2 / ngood : Number.NaN, ngood };
}

/**
 * A model's input for row r: the normalised flux with masked pixels set to `fill` (what the model was trained with;
 * 0 for a VAE that sees masked pixels as zeros).
 *
 * @example
 * modelInput(matrix, 0, 0, new Float32Array(matrix.npix));
 */
export function modelInput(m: MlMatrix, r: number, fill: number, out: Float32Array): Float32Array {
  for (let j = 0; j < m.npix; j++) {
    const o = r * m.npix + j;
    out[j] = isGood(m, o) ? m.flux[o]! : fill;
  }
  return out;
}
