import { ARMS, stitchArms, type Spectra } from '../../../lib/desi/index.js';
import { footprintPixels } from '../../../lib/datasets/footprint.js';
import { skyVariance } from '../../../lib/datasets/instrument.js';
import { armWave, observeQuasar } from '../../../lib/datasets/observe-quasar.js';
import { PRESETS } from '../../../lib/datasets/presets.js';
import { type AnomalyKind, generateQuasars, type MockQuasar } from '../../../lib/datasets/quasars.js';
import { Rng } from '../../../lib/datasets/random.js';
import { type MlMatrix, mlMatrixFromStitched } from '../../../lib/quasar/index.js';

/** What kind of oddity each row of a mock matrix carries (NONE, an injected anomaly, or SKY for planted sky residuals). */
export type RowTruth = AnomalyKind | 'SKY';

/**
 * A mock ML matrix: `normal` quasars with no anomaly, `perKind` of each injected anomaly kind (drawn from a preset with
 * anomalyFraction 1 in another pixel, so the sample's anomaly fraction is what the test sets), and `sky` normal
 * quasars from a third pixel with planted sky-line residuals. Rows are interleaved in a seeded order.
 */
export function mockMatrix(opts: {
  normal: number;
  perKind: number;
  sky: number;
  seed: number;
  skySigma?: number;
  skyLines?: number;
  balFraction?: number;
}): {
  matrix: MlMatrix;
  truth: RowTruth[];
  quasars: MockQuasar[];
} {
  const [p0, , p2] = footprintPixels(150, 156, 0, 6);
  const seed = opts.seed;
  const normals = generateQuasars(p0!, opts.normal, { ...PRESETS.small, anomalyFraction: 0, balFraction: opts.balFraction ?? 0.15 }, seed);
  const odd = injectedQuasars(opts.perKind, seed, opts.balFraction);
  // Sky residuals are planted on faint quasars (r > 21.5), where a sky-subtraction error is comparable to the quasar's
  // own flux: the spectra in which flux-space detectors found them (desispec#2725).
  const skyQ = generateQuasars(p2!, opts.sky * 8, { ...PRESETS.small, anomalyFraction: 0, balFraction: opts.balFraction ?? 0.15 }, seed)
    .filter((q) => q.magR > 21.5)
    .slice(0, opts.sky);
  const all: { q: MockQuasar; t: RowTruth }[] = [
    ...normals.map((q) => ({ q, t: 'NONE' as RowTruth })),
    ...odd.map((q) => ({ q, t: q.anomaly as RowTruth })),
    ...skyQ.map((q) => ({ q, t: 'SKY' as RowTruth })),
  ];
  const rng = Rng.for(seed, 'mock-matrix-order');
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const nspec = all.length;
  const arms = {} as Spectra['arms'];
  for (const arm of ARMS) {
    const wavelength = armWave(arm);
    const nwave = wavelength.length;
    arms[arm] = {
      wavelength,
      nwave,
      flux: new Float32Array(nspec * nwave),
      ivar: new Float32Array(nspec * nwave),
      mask: new Uint32Array(nspec * nwave),
      ndiag: 0,
    };
  }
  all.forEach(({ q, t }, r) => {
    const obs = observeQuasar(q, seed);
    for (const arm of ARMS) {
      const a = arms[arm]!;
      const o = obs[arm];
      if (t === 'SKY')
        plantSkyResiduals(arm, armWave(arm), o.flux, o.ivar, q.depth, opts.skySigma ?? 3, opts.skyLines ?? 4, Rng.for(seed, 'sky', r));
      a.flux.set(o.flux, r * a.nwave);
      a.ivar.set(o.ivar, r * a.nwave);
      a.mask.set(o.mask, r * a.nwave);
    }
  });
  const spectra = { nspec, bands: [...ARMS], arms } as unknown as Spectra;
  const stitched = stitchArms(spectra);
  const matrix = mlMatrixFromStitched(
    stitched,
    BigInt64Array.from(all, ({ q }) => q.targetid),
    Float64Array.from(all, ({ q }) => q.zReported),
  );
  return { matrix, truth: all.map(({ t }) => t), quasars: all.map(({ q }) => q) };
}

/**
 * The quasars of mockMatrix that carry an injected anomaly: the first `perKind` of each kind drawn from a preset with
 * anomalyFraction 1 in the second footprint pixel, in the order drawn (the matrix shuffles them among the others).
 */
export function injectedQuasars(perKind: number, seed: number, balFraction = 0.15): MockQuasar[] {
  const [, p1] = footprintPixels(150, 156, 0, 6);
  const odd: MockQuasar[] = [];
  const counts = new Map<AnomalyKind, number>();
  for (const q of generateQuasars(p1!, perKind * 12, { ...PRESETS.small, anomalyFraction: 1, balFraction }, seed)) {
    const c = counts.get(q.anomaly) ?? 0;
    if (q.anomaly === 'NONE' || c >= perKind) continue;
    counts.set(q.anomaly, c + 1);
    odd.push(q);
  }
  return odd;
}

/**
 * Sky-subtraction residuals as DESI has them (desispec#2725): at the `lines` brightest sky-line pixels of the red arms
 * (where the mock's sky variance peaks, so IVAR is low), the flux is off by `sigma` times its own noise, with a random
 * sign per line and half that on each neighbour (a mis-subtracted line is a few pixels wide).
 */
function plantSkyResiduals(
  arm: string,
  wave: Float64Array,
  flux: Float32Array,
  ivar: Float32Array,
  depth: number,
  sigma: number,
  lines: number,
  rng: Rng,
): void {
  if (arm === 'B') return;
  const n = wave.length;
  const sky = Array.from(wave, (w, i) => skyVariance(arm as 'R' | 'Z', w, i / (n - 1), depth));
  const peaks = [...sky.keys()]
    .filter((i) => i > 0 && i < n - 1 && sky[i]! >= sky[i - 1]! && sky[i]! > sky[i + 1]! && ivar[i]! > 0)
    .sort((a, b) => sky[b]! - sky[a]! || a - b);
  // The brightest lines sit at the arm edge, where the variance is highest anyway: take them at random among the top.
  const chosen: number[] = [];
  while (chosen.length < Math.min(lines, peaks.length)) {
    const i = peaks[rng.int(Math.min(peaks.length, 60))]!;
    if (!chosen.includes(i)) chosen.push(i);
  }
  for (const i of chosen) {
    const s = rng.chance(0.5) ? 1 : -1;
    for (const [d, f] of [
      [-1, 0.5],
      [0, 1],
      [1, 0.5],
    ] as const) {
      const j = i + d;
      if (ivar[j]! > 0) flux[j] = flux[j]! + (s * f * sigma) / Math.sqrt(ivar[j]!);
    }
  }
}
