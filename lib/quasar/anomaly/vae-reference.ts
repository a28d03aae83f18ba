import { readFile } from 'node:fs/promises';
import { fileProblem, QuasarError } from '../../errors/index.js';
import type { MlMatrix } from '../ml-matrix.js';
import { modelInput, type ReconstructionScores, reconstructionChi2 } from './reconstruction-chi2.js';

/**
 * The weights of the tiny test VAE (python/make_test_vae.py writes them beside the .onnx): torch.nn.Linear layers
 * `enc`, `mu`, `dec`, `out`, each `weight[out][in]` and `bias[out]`.
 *
 * @example
 * const w: TinyVaeWeights = await readTinyVaeWeights('python/models/test-vae.weights.json');
 */
export interface TinyVaeWeights {
  npix: number;
  hidden: number;
  latent: number;
  layers: Record<'enc' | 'mu' | 'dec' | 'out', { weight: number[][]; bias: number[] }>;
}

/**
 * Reads and checks a tiny-VAE weights file.
 *
 * @example
 * const w = await readTinyVaeWeights('python/models/test-vae.weights.json'); w.npix; // 64
 */
export async function readTinyVaeWeights(path: string): Promise<TinyVaeWeights> {
  let w: TinyVaeWeights & { format?: string };
  try {
    w = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new QuasarError(`cannot read the VAE weights: ${fileProblem(e)}`, { scope: 'readTinyVaeWeights', file: path });
  }
  if (w.format !== 'skybook-tiny-vae-1')
    throw new QuasarError(`format '${w.format}', expected 'skybook-tiny-vae-1'`, { scope: 'readTinyVaeWeights', file: path });
  return w;
}

/**
 * The same scores as OnnxScorer, computed by skybook's own forward pass of the tiny VAE in float64:
 * h = tanh(enc x), z = mu h, r = out tanh(dec z); score = IVAR-weighted chi-square of r per good pixel. The reference
 * that proves the ONNX path computes what the model says.
 *
 * @example
 * const ref = referenceVaeScores(await readTinyVaeWeights(path), matrix);
 */
export function referenceVaeScores(w: TinyVaeWeights, m: MlMatrix, fill = 0): ReconstructionScores {
  if (m.npix !== w.npix)
    throw new QuasarError(`the VAE takes ${w.npix} pixels per spectrum but the ML matrix has ${m.npix}`, { scope: 'referenceVaeScores' });
  const n = m.targetid.length;
  const out: ReconstructionScores = {
    targetid: m.targetid,
    chi2: new Float64Array(n),
    ngood: new Int32Array(n),
    latent: new Float32Array(n * w.latent),
    latentSize: w.latent,
  };
  const x = new Float32Array(m.npix);
  for (let r = 0; r < n; r++) {
    modelInput(m, r, fill, x);
    const z = dense(w.layers.mu, dense(w.layers.enc, x, true), false);
    const recon = dense(w.layers.out, dense(w.layers.dec, z, true), false);
    const s = reconstructionChi2(m, r, recon);
    out.chi2[r] = s.chi2;
    out.ngood[r] = s.ngood;
    out.latent!.set(z, r * w.latent);
  }
  return out;
}

function dense(layer: { weight: number[][]; bias: number[] }, x: ArrayLike<number>, tanh: boolean): Float64Array {
  const out = new Float64Array(layer.bias.length);
  for (let o = 0; o < out.length; o++) {
    const row = layer.weight[o]!;
    let s = layer.bias[o]!;
    for (let i = 0; i < row.length; i++) s += row[i]! * x[i]!;
    out[o] = tanh ? Math.tanh(s) : s;
  }
  return out;
}
