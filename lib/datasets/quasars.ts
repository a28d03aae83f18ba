import { BAL_REDSHIFT, emissionLine } from '../quasar/index.js';
import { drawTroughs, troughsBi } from './bal-troughs.js';
import { samplePixel, type FootprintPixel } from './footprint.js';
import { LyaForest } from './lya-forest.js';
import type { SurveyPreset } from './presets.js';
import { drawLines } from './quasar-lines.js';
import type { QuasarModel } from './quasar-model.js';
import { Rng } from './random.js';
import { mockTargetId, QUASAR_OBJID0 } from './targetid.js';

/**
 * Injected anomalies: codes written to the truth table's ANOMALY column (0 = none).
 *
 * @example
 * ANOMALIES.WRONG_Z; // 2
 */
export const ANOMALIES = { NONE: 0, SPIKES: 1, WRONG_Z: 2, ABSORBER: 3, DROPOUT: 4 } as const;
/**
 * Name of an anomaly kind.
 *
 * @example
 * const k: AnomalyKind = 'SPIKES';
 */
export type AnomalyKind = keyof typeof ANOMALIES;
const KINDS: AnomalyKind[] = ['SPIKES', 'WRONG_Z', 'ABSORBER', 'DROPOUT'];

/**
 * One mock quasar: identity, sky position, true and reported redshift, magnitude, model and truth values.
 *
 * @example
 * const q: MockQuasar = generateQuasars(pixel, 1, preset, seed)[0]!; q.biCiv;
 */
export interface MockQuasar {
  targetid: bigint;
  healpix: number;
  ra: number;
  dec: number;
  z: number;
  /** What redrock "measured": z itself except for WRONG_Z anomalies. */
  zReported: number;
  magR: number;
  model: QuasarModel;
  biCiv: number;
  biSiiv: number;
  anomaly: AnomalyKind;
  /** Depth of the exposure (1 = nominal): scales the sky variance down. */
  depth: number;
  /** Per-object seed for the observation (noise, masks), so spectra can be regenerated alone. */
  seedKey: number;
}

/**
 * f_lambda (1e-17 erg/s/cm2/A) of an AB magnitude at wavelength `lam` (Angstrom).
 *
 * @example
 * abToFlambda(21, 6200); // ~1.1 (1e-17 erg/s/cm2/A)
 */
export function abToFlambda(mag: number, lam: number): number {
  return 10 ** (-0.4 * (mag + 48.6)) * (2.99792458e18 / (lam * lam)) * 1e17;
}

/**
 * The quasars of one pixel: positions uniform in the pixel, redshifts 0.4-4 peaking near 2, r 19-22.5, power-law
 * continua, lines (`drawLines`), a Lya forest where it falls on the spectrograph, BAL troughs in `balFraction` of those
 * with 1.57 <= z <= 5, and an anomaly in `anomalyFraction`.
 *
 * @example
 * const qsos = generateQuasars(pixel, 12, PRESETS.small, seed);
 */
export function generateQuasars(p: FootprintPixel, count: number, preset: SurveyPreset, seed: number): MockQuasar[] {
  const out: MockQuasar[] = [];
  for (let k = 0; k < count; k++) {
    const rng = Rng.for(seed, 'quasar', p.pix, k);
    const { ra, dec } = samplePixel(p, rng);
    const z = Math.round(Math.min(4.0, Math.max(0.4, 1.9 + 0.75 * rng.normal())) * 1e5) / 1e5;
    const magR = 19 + 3.5 * rng.uniform();
    const slope = -1.5 + 0.3 * rng.normal();
    const norm = abToFlambda(magR, 6200) / (6200 / (1 + z) / 3000) ** slope;
    const lines = drawLines(rng);
    const isBal = z >= BAL_REDSHIFT.min && z <= BAL_REDSHIFT.max && rng.chance(preset.balFraction);
    const troughs = isBal ? drawTroughs(rng) : [];
    const anomaly: AnomalyKind = rng.chance(preset.anomalyFraction) ? KINDS[rng.int(KINDS.length)]! : 'NONE';
    const forest = emissionLine('LYA').rest * (1 + z) > 3600 ? new LyaForest(z, Rng.for(seed, 'forest', p.pix, k)) : undefined;
    let absorber: QuasarModel['absorber'];
    if (anomaly === 'ABSORBER') {
      // An intervening MgII system redward of Lya and on the spectrograph.
      const zMin = Math.max(3700 / 2796.35 - 1, ((1 + z) * 1250) / 2796.35 - 1);
      const zMax = Math.min(z - 0.05, 9700 / 2803.53 - 1);
      absorber = zMax > zMin ? { z: Math.round((zMin + (zMax - zMin) * rng.uniform()) * 1e5) / 1e5, ew: 2 + 2 * rng.uniform() } : undefined;
    }
    // A MgII line taken for CIV: the classic catastrophic redshift failure.
    const zReported = anomaly === 'WRONG_Z' ? Math.round((((1 + z) * 2800.32) / 1549.48 - 1) * 1e5) / 1e5 : z;
    out.push({
      targetid: mockTargetId(p.pix, QUASAR_OBJID0 + k),
      healpix: p.pix,
      ra,
      dec,
      z,
      zReported,
      magR,
      model: { z, slope, norm, lines, troughs, forest, absorber },
      biCiv: troughsBi(troughs, 'CIV'),
      biSiiv: troughsBi(troughs, 'SIIV'),
      anomaly: anomaly === 'ABSORBER' && !absorber ? 'NONE' : anomaly,
      depth: 0.7 + 0.8 * rng.uniform(),
      seedKey: k,
    });
  }
  return out;
}
