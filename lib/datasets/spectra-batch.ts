import { ARMS, type Arm } from '../desi/index.js';
import { NDIAG } from './instrument.js';
import { armWave, observeQuasar } from './observe-quasar.js';
import type { MockQuasar } from './quasars.js';

/**
 * One arm of a batch: the DR1 grid and nspec x nwave images (resolution nspec x 11 x nwave), row-major.
 *
 * @example
 * const { wave, flux } = batch.arms.B; flux.subarray(k * wave.length, (k + 1) * wave.length);
 */
export interface ArmBatch {
  wave: Float64Array;
  flux: Float32Array;
  ivar: Float32Array;
  mask: Uint32Array;
  resolution: Float32Array;
}

/**
 * Observed spectra of some quasars of one healpix pixel, in the coadd file's array layout, with the objects they
 * came from (for the truth).
 *
 * @example
 * for await (const b of surveySpectra({ preset: 'medium' })) console.log(b.healpix, b.targetid.length, b.arms.B.flux.length);
 */
export interface SpectraBatch {
  survey: 'main';
  program: 'dark';
  healpix: number;
  targetid: BigInt64Array;
  quasars: MockQuasar[];
  arms: Record<Arm, ArmBatch>;
  /** Unmasked pixels per spectrum over the three arms (redrock's NPIXELS). */
  npixels: BigInt64Array;
}

/**
 * Observes `quasars` (all from one pixel) into one batch.
 *
 * @example
 * const batch = spectraBatch(content.quasars, seed);
 */
export function spectraBatch(quasars: MockQuasar[], seed: number): SpectraBatch {
  const n = quasars.length;
  const arms = {} as Record<Arm, ArmBatch>;
  for (const arm of ARMS) {
    const nw = armWave(arm).length;
    arms[arm] = {
      wave: armWave(arm),
      flux: new Float32Array(n * nw),
      ivar: new Float32Array(n * nw),
      mask: new Uint32Array(n * nw),
      resolution: new Float32Array(n * NDIAG * nw),
    };
  }
  const npixels = new BigInt64Array(n);
  quasars.forEach((q, k) => {
    const spec = observeQuasar(q, seed);
    let good = 0;
    for (const arm of ARMS) {
      const a = arms[arm];
      const nw = a.wave.length;
      a.flux.set(spec[arm].flux, k * nw);
      a.ivar.set(spec[arm].ivar, k * nw);
      a.mask.set(spec[arm].mask, k * nw);
      a.resolution.set(spec[arm].resolution, k * NDIAG * nw);
      for (const iv of spec[arm].ivar) if (iv > 0) good++;
    }
    npixels[k] = BigInt(good);
  });
  return {
    survey: 'main',
    program: 'dark',
    healpix: quasars[0]?.healpix ?? -1,
    targetid: BigInt64Array.from(quasars, (q) => q.targetid),
    quasars,
    arms,
    npixels,
  };
}
