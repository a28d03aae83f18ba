import { emptyMlMatrix, logLambdaGrid, type MlMatrix, restWavelength } from '../../lib/quasar/index.js';
import { mulberry32 } from './prng.js';

/** Rows of {@link mockMlMatrix}: ordinary spectra first, then the injected anomalies (half spikes, half drop-outs). */
export const ORDINARY = 800;
export const ANOMALIES = 8;

/**
 * A small ML matrix for the VAE payload's tests (808 rows of 399 pixels, seeded): quasar-like rest-frame spectra, a
 * power law and three broad lines with noise and a masked blue end; the last 8 rows odd (3 spikes, or the red end
 * dropped to 30%).
 *
 * @example
 * const m = mockMlMatrix(); m.targetid.length; // 808
 */
export function mockMlMatrix(): MlMatrix {
  const grid = logLambdaGrid({ start: 1200, end: 3000, dlog10: 1e-3 });
  const n = ORDINARY + ANOMALIES;
  const m = emptyMlMatrix(n, grid);
  const rnd = mulberry32(7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  for (let r = 0; r < n; r++) {
    m.targetid[r] = 39627000000000000n + BigInt(r);
    m.scale[r] = 1;
    const slope = -1.5 + 0.3 * gauss();
    const lines = [1549.48, 1908.73, 2798.75].map((c) => ({ c, a: 0.5 + 1.5 * rnd(), s: 15 + 25 * rnd() }));
    const blue = 1200 + 300 * rnd();
    for (let j = 0; j < grid.npix; j++) {
      const w = restWavelength(grid, j);
      let f = (w / 2000) ** slope;
      for (const l of lines) f += l.a * Math.exp(-0.5 * ((w - l.c) / l.s) ** 2);
      const k = r * grid.npix + j;
      if (r >= ORDINARY + ANOMALIES / 2 && w > 2300) f *= 0.3; // an arm dropping out
      m.flux[k] = f + 0.05 * gauss();
      m.ivar[k] = 400;
      m.mask[k] = w < blue ? 1 : 0;
    }
    if (r >= ORDINARY && r < ORDINARY + ANOMALIES / 2)
      for (let s = 0; s < 3; s++) m.flux[r * grid.npix + 200 + Math.floor(rnd() * 150)]! += 4; // spikes
  }
  return m;
}
