import { applyResolution, ARMS, SPECMASK, dr1Wavelength, type Arm } from '../desi/index.js';
import { lsfSigma, NDIAG, observe, resolutionData, skyVariance } from './instrument.js';
import type { MockQuasar } from './quasars.js';
import { evaluateQuasar } from './quasar-model.js';
import { Rng } from './random.js';

/**
 * One arm of one observed spectrum, in the coadd data model's types.
 *
 * @example
 * const { flux, ivar, mask, resolution } = observeQuasar(q, seed).B;
 */
export interface ArmSpectrum {
  flux: Float32Array;
  ivar: Float32Array;
  mask: Uint32Array;
  /** 11 x nwave, DESI layout (see instrument.ts resolutionData). */
  resolution: Float32Array;
}

const WAVE: Record<Arm, Float64Array> = { B: dr1Wavelength('B'), R: dr1Wavelength('R'), Z: dr1Wavelength('Z') };
const COSMIC = Number(SPECMASK.mask('COSMIC'));
const BAD2DFIT = Number(SPECMASK.mask('BAD2DFIT'));

/**
 * The DR1 wavelength grid of an arm (shared, do not modify).
 *
 * @example
 * armWave('R').length; // 2326
 */
export function armWave(arm: Arm): Float64Array {
  return WAVE[arm];
}

/**
 * The arm a DROPOUT anomaly scales down when `q` is observed with `seed` (drawn for every quasar; only DROPOUT uses it).
 *
 * @example
 * droppedArm(q, 42); // 'B', 'R' or 'Z'
 */
export function droppedArm(q: MockQuasar, seed: number): Arm {
  return openObservation(q, seed).dropArm;
}

/** An observation's first draws, in the order observeQuasar makes them: the LSF jitter, then the dropped arm. */
function openObservation(q: MockQuasar, seed: number): { rng: Rng; jitter: number; dropArm: Arm } {
  const rng = Rng.for(seed, 'observe', q.healpix, q.seedKey);
  const jitter = 0.05 * rng.normal();
  return { rng, jitter, dropArm: ARMS[rng.int(3)]! };
}

/**
 * Observes a mock quasar through the three DR1 arms: its noiseless model on each grid, the resolution matrix
 * applied, noise drawn from the inverse variance, isolated cosmic-ray pixels and occasional bad-column runs masked
 * (ivar 0), and the SPIKES / DROPOUT anomalies applied after the noise (unmasked, as real artefacts are).
 *
 * @example
 * const spec = observeQuasar(q, 42); spec.B.flux.length; // 2751
 */
export function observeQuasar(q: MockQuasar, seed: number): Record<Arm, ArmSpectrum> {
  const { rng, jitter, dropArm } = openObservation(q, seed);
  const out = {} as Record<Arm, ArmSpectrum>;
  for (const arm of ARMS) {
    const wave = WAVE[arm];
    const n = wave.length;
    const resolution = resolutionData(n, (i) => lsfSigma(arm, i / (n - 1), jitter));
    const model = evaluateQuasar(q.model, wave);
    const convolved = applyResolution(resolution, NDIAG, model);
    if (q.anomaly === 'DROPOUT' && arm === dropArm) for (let i = 0; i < n; i++) convolved[i]! *= 0.4;
    const sky = new Float64Array(n);
    for (let i = 0; i < n; i++) sky[i] = skyVariance(arm, wave[i]!, i / (n - 1), q.depth);
    const mask = new Uint32Array(n);
    for (let i = 0; i < n; i++) if (rng.chance(0.002)) mask[i] = COSMIC;
    if (rng.chance(0.1)) {
      const start = rng.int(n - 40);
      const len = 5 + rng.int(30);
      for (let i = start; i < start + len; i++) mask[i] |= BAD2DFIT;
    }
    const { flux, ivar } = observe(convolved, sky, mask, rng);
    if (q.anomaly === 'SPIKES') {
      for (let s = 0; s < 3; s++) {
        const i = rng.int(n);
        if (ivar[i]! > 0) flux[i] = flux[i]! + 30 / Math.sqrt(ivar[i]!);
      }
    }
    out[arm] = { flux, ivar, mask, resolution };
  }
  return out;
}
