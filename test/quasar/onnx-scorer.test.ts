import { describe, expect, it } from 'vitest';
import { projectPath } from '../../lib/core/index.js';
import { Rng } from '../../lib/core/index.js';
import { emptyMlMatrix, logLambdaGrid, ML_MASK, OnnxScorer, readTinyVaeWeights, referenceVaeScores } from '../../lib/quasar/index.js';

const MODEL = projectPath('python/models/test-vae.onnx');
const WEIGHTS = projectPath('python/models/test-vae.weights.json');

/** 200 noisy, partly masked rows of 64 pixels around 1 (a normalised spectrum). */
function matrix(npix = 64) {
  const m = emptyMlMatrix(200, logLambdaGrid({ start: 1500, end: 1500 * 10 ** (2e-4 * (npix - 1)), dlog10: 2e-4 }));
  const rng = Rng.for(3, 'onnx-test');
  for (let r = 0; r < 200; r++) {
    m.targetid[r] = 39627000000000000n + BigInt(r);
    const slope = rng.normal() * 0.2;
    for (let j = 0; j < npix; j++) {
      const o = r * npix + j;
      m.ivar[o] = 4 + 50 * rng.uniform();
      m.flux[o] = 1 + slope * (j / npix - 0.5) + rng.normal() / Math.sqrt(m.ivar[o]!);
      if (rng.chance(0.05)) {
        m.mask[o] = ML_MASK.BAD_PIXEL;
        m.flux[o] = 0;
        m.ivar[o] = 0;
      }
    }
  }
  return m;
}

describe('OnnxScorer (onnxruntime-node) on the committed tiny VAE', () => {
  it('scores equal the in-process reference computation of the same model within 1e-4', async () => {
    const m = matrix();
    const scorer = await OnnxScorer.create(MODEL, { batchSize: 64 });
    try {
      expect(scorer.npix).toBe(64);
      const onnx = await scorer.score(m);
      const ref = referenceVaeScores(await readTinyVaeWeights(WEIGHTS), m);
      let worst = 0;
      for (let r = 0; r < 200; r++) {
        expect(onnx.ngood[r]).toBe(ref.ngood[r]);
        worst = Math.max(worst, Math.abs(onnx.chi2[r]! - ref.chi2[r]!) / Math.max(1, Math.abs(ref.chi2[r]!)));
      }
      expect(worst).toBeLessThan(1e-4);
      // The scores must depend on the data, or the comparison proves nothing.
      expect(Math.max(...onnx.chi2) / Math.min(...onnx.chi2)).toBeGreaterThan(1.5);
      expect(onnx.latentSize).toBe(4);
      for (let i = 0; i < 200 * 4; i++) expect(Math.abs(onnx.latent![i]! - ref.latent![i]!)).toBeLessThan(1e-4);
    } finally {
      await scorer.close();
    }
  });

  it('a missing model file is a QuasarError naming it', async () => {
    await expect(OnnxScorer.create('/nonexistent/vae.onnx')).rejects.toThrow(
      /OnnxScorer: \/nonexistent\/vae.onnx: cannot open the ONNX model/,
    );
  });

  it('a matrix of another width is refused, naming the file and both widths', async () => {
    const scorer = await OnnxScorer.create(MODEL);
    try {
      await expect(scorer.score(matrix(100))).rejects.toThrow(`${MODEL}: the model takes 64 pixels per spectrum but the ML matrix has 100`);
    } finally {
      await scorer.close();
    }
  });

  it('the reference refuses a matrix of another width too', async () => {
    const w = await readTinyVaeWeights(WEIGHTS);
    expect(() => referenceVaeScores(w, matrix(100))).toThrow(/the VAE takes 64 pixels per spectrum but the ML matrix has 100/);
  });
});
