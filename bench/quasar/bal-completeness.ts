import type { Table } from 'apache-arrow';
import { ARMS, applyResolution, type Spectra, stitchArms } from '../../lib/desi/index.js';
import { footprintPixels } from '../../lib/datasets/footprint.js';
import { NDIAG } from '../../lib/datasets/instrument.js';
import { armWave, observeQuasar } from '../../lib/datasets/observe-quasar.js';
import { PRESETS } from '../../lib/datasets/presets.js';
import { evaluateQuasar } from '../../lib/datasets/quasar-model.js';
import { generateQuasars, type MockQuasar } from '../../lib/datasets/quasars.js';
import { BAL_REDSHIFT, type BalMeasurement, measureBal } from '../../lib/quasar/index.js';

/**
 * One mock quasar's BAL measurement beside its truth.
 *
 * @example
 * const r: MockBal = measureMockBals({ seed: 1, count: 50 })[0]!; r.truthBiCiv; r.measured.BI_CIV;
 */
export interface MockBal {
  targetid: bigint;
  z: number;
  truthBiCiv: number;
  truthBiSiiv: number;
  measured: BalMeasurement;
}

/**
 * Options of {@link measureMockBals}: seed, how many quasars to draw (only those with 1.57 <= z <= 5 are measured),
 * the fraction of those that get BAL troughs, and whether the true unabsorbed model is convolved with the
 * observation's resolution matrix before dividing (default true).
 *
 * @example
 * const o: MockBalOptions = { seed: 7, count: 600, balFraction: 0.5, convolveModel: true };
 */
export interface MockBalOptions {
  seed: number;
  count: number;
  balFraction?: number;
  convolveModel?: boolean;
}

/** Stitches one observed mock quasar's arms (B, R, Z) the way a coadd is stitched. */
function stitchOne(q: MockQuasar, arms: Record<string, { flux: Float32Array; ivar: Float32Array; mask: Uint32Array }>) {
  const spectra: Spectra = {
    product: 'mock',
    nspec: 1,
    targetids: BigInt64Array.of(q.targetid),
    bands: [...ARMS],
    arms: Object.fromEntries(
      ARMS.map((a) => {
        const w = armWave(a);
        return [a, { wavelength: w, nwave: w.length, flux: arms[a]!.flux, ivar: arms[a]!.ivar, mask: arms[a]!.mask, ndiag: NDIAG }];
      }),
    ),
    // stitchArms reads no fibermap.
    fibermap: undefined as unknown as Table,
    source: 'mock',
  };
  return stitchArms(spectra);
}

/**
 * Observes mock quasars (lib/datasets generateQuasars + observeQuasar, arms stitched) and measures their BALs with
 * lib/quasar's measureBal against the TRUE unabsorbed model (evaluateQuasar with bal: false: continuum, lines, forest),
 * stitched with the same weights as the data. The model is convolved with each arm's resolution matrix by default:
 * the data are R (model x transmission), so data / (R model) is the transmission at the instrument's resolution and
 * narrow lines leave no residuals that an unconvolved model would.
 *
 * @example
 * const rows = measureMockBals({ seed: 3, count: 400, balFraction: 0.5 });
 */
export function measureMockBals(opts: MockBalOptions): MockBal[] {
  const { seed, count, balFraction = 0.5, convolveModel = true } = opts;
  const pixel = footprintPixels(150, 152, 0, 2)[0]!;
  const preset = { ...PRESETS.small, balFraction, anomalyFraction: 0 };
  const out: MockBal[] = [];
  for (const q of generateQuasars(pixel, count, preset, seed)) {
    if (q.z < BAL_REDSHIFT.min || q.z > BAL_REDSHIFT.max) continue;
    const obs = observeQuasar(q, seed);
    const data = stitchOne(q, obs);
    const modelArms = Object.fromEntries(
      ARMS.map((a) => {
        const raw = evaluateQuasar(q.model, armWave(a), { bal: false });
        const m = convolveModel ? applyResolution(obs[a].resolution, NDIAG, raw) : raw;
        return [a, { flux: Float32Array.from(m), ivar: obs[a].ivar, mask: obs[a].mask }];
      }),
    );
    const model = stitchOne(q, modelArms);
    // Where no good pixel contributed, the stitched model is 0; measureBal drops those pixels (ivar 0) anyway.
    const rest = data.wavelength.map((w) => w / (1 + q.z));
    const measured = measureBal(rest, data.flux, data.ivar, model.flux, { z: q.z, mask: data.mask });
    out.push({ targetid: q.targetid, z: q.z, truthBiCiv: q.biCiv, truthBiSiiv: q.biSiiv, measured });
  }
  return out;
}

/**
 * The BI_CIV bins of the completeness curve (km/s, [lo, hi)).
 *
 * @example
 * BI_BINS[0]; // [0, 500]
 */
export const BI_BINS: readonly (readonly [number, number])[] = [
  [0, 500],
  [500, 1000],
  [1000, 2000],
  [2000, 5000],
  [5000, Number.POSITIVE_INFINITY],
];

/**
 * What {@link completeness} reports.
 *
 * @example
 * const { bins, falseBal, within15 }: BalCompleteness = completeness(rows, 5);
 */
export interface BalCompleteness {
  bins: { lo: number; hi: number; n: number; detected: number; unmeasured: number; fraction: number }[];
  falseBal: { n: number; falseCount: number; rate: number };
  ratios: number[];
  within15: number;
}

/**
 * Completeness per injected BI_CIV bin (detected: measured BI_CIV > 0; unmeasured rows count as missed and are also
 * counted apart), the false-BAL rate among measured non-BAL quasars, and the ratios measured / truth BI_CIV of the
 * measured BALs with truth BI_CIV > 500 km/s (with `within15`, the fraction within 15%), over the rows with
 * SNR_CIV >= `minSnr` (all rows when 0).
 *
 * @example
 * const { bins, falseBal } = completeness(measureMockBals({ seed: 3, count: 400 }));
 */
export function completeness(rows: readonly MockBal[], minSnr = 0): BalCompleteness {
  // Rows whose CIV window is not covered have no SNR_CIV: they count in the whole sample only.
  const use = minSnr > 0 ? rows.filter((r) => r.measured.SNR_CIV >= minSnr) : rows;
  const bals = use.filter((r) => r.truthBiCiv > 0);
  const bins = BI_BINS.map(([lo, hi]) => {
    const inBin = bals.filter((r) => r.truthBiCiv >= lo && r.truthBiCiv < hi);
    const detected = inBin.filter((r) => r.measured.BI_CIV > 0).length;
    const unmeasured = inBin.filter((r) => r.measured.reason.CIV !== null).length;
    return { lo, hi, n: inBin.length, detected, unmeasured, fraction: inBin.length ? detected / inBin.length : Number.NaN };
  });
  const nonBal = use.filter((r) => r.truthBiCiv === 0 && r.measured.reason.CIV === null);
  const falseCount = nonBal.filter((r) => r.measured.BI_CIV > 0).length;
  const ratios = bals.filter((r) => r.truthBiCiv > 500 && r.measured.reason.CIV === null).map((r) => r.measured.BI_CIV / r.truthBiCiv);
  return {
    bins,
    falseBal: { n: nonBal.length, falseCount, rate: nonBal.length ? falseCount / nonBal.length : Number.NaN },
    ratios,
    within15: ratios.length ? ratios.filter((x) => Math.abs(x - 1) <= 0.15).length / ratios.length : Number.NaN,
  };
}
