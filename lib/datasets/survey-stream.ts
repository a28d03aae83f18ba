import type { RecordBatch } from 'apache-arrow';
import type { Progress } from '../core/index.js';
import { ZCATALOG_COLUMNS } from '../desi/index.js';
import { batchFromSpecs } from './columns.js';
import { galaxySet, generatePixel, quasarSet, type PixelContent } from './pixel-content.js';
import { resolveSurveyOptions, type SurveyOptions } from './presets.js';
import { Rng } from './random.js';
import { spectraBatch, type SpectraBatch } from './spectra-batch.js';
import { planSurvey, type SurveyPlan } from './survey-plan.js';
import { drawExposures, type TargetSet } from './target-set.js';
import { targetValues } from './target-values.js';

/**
 * Options of the streaming generators: the survey, and optionally only the first `maxPixels` pixels.
 *
 * @example
 * const o: StreamOptions = { preset: 'large', maxPixels: 10 };
 */
export type StreamOptions = SurveyOptions & {
  maxPixels?: number;
  /** Pixels generated (a stream shows progress only when given one). */
  progress?: Progress;
};

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * The pixels of a plan one at a time (each generated on its own, then dropped), letting the event loop run
 * between pixels. Memory holds one pixel. `progress` counts pixels under `label`.
 *
 * @example
 * for await (const c of surveyPixels(plan)) console.log(c.pixel.pix, c.galaxies.n, c.quasars.length);
 */
export async function* surveyPixels(
  plan: SurveyPlan,
  maxPixels = Infinity,
  progress?: Progress,
  label = 'mock survey',
): AsyncGenerator<PixelContent> {
  const total = Math.min(plan.pixels.length, maxPixels);
  progress?.start({ label, total, unit: 'pixels' });
  for (let i = 0; i < total; i++) {
    yield generatePixel(plan, i);
    progress?.advance(1);
    await tick();
  }
  progress?.finish();
}

/**
 * The catalogue values of one target set with its exposures, drawn from the set's own stream.
 *
 * @example
 * const { numexp, values } = setValues(seed, quasarSet(content));
 */
export function setValues(seed: number, set: TargetSet) {
  const rng = Rng.for(seed, 'values', set.healpix, set.program);
  const numexp = drawExposures(set, rng);
  return { numexp, values: targetValues(set, numexp, rng), rng };
}

/**
 * The ZCATALOG rows of a mock survey as Arrow record batches (two per pixel: bright galaxies, dark quasars), in the
 * zall-pix column order; nothing is written. The `large` preset yields 10M rows with memory bounded by one pixel.
 *
 * @example
 * let rows = 0;
 * for await (const b of surveyZcatalog({ preset: 'large', seed: 1 })) rows += b.numRows;
 */
export async function* surveyZcatalog(options: StreamOptions = {}): AsyncGenerator<RecordBatch> {
  const opts = resolveSurveyOptions({ preset: options.preset, seed: options.seed, spectra: 'none' });
  const plan = planSurvey(opts);
  for await (const c of surveyPixels(plan, options.maxPixels, options.progress, `zcatalog of a ${opts.preset.name} mock survey`)) {
    for (const set of [galaxySet(c), quasarSet(c)]) {
      if (set.n === 0) continue;
      yield batchFromSpecs(ZCATALOG_COLUMNS, set.n, setValues(opts.seed, set).values);
    }
  }
}

/**
 * The quasar spectra of a mock survey as batches (one per pixel, in the coadd layout: flux, ivar, mask, 11-diagonal
 * resolution on the DR1 B/R/Z grids), generated on demand and never written: what benchmarks use at `large` scale
 * (1.6M spectra, ~700 GB if written). Memory holds one batch.
 *
 * @example
 * for await (const b of surveySpectra({ preset: 'medium', maxPixels: 10 })) console.log(b.healpix, b.targetid.length);
 */
export async function* surveySpectra(options: StreamOptions = {}): AsyncGenerator<SpectraBatch> {
  const opts = resolveSurveyOptions({ preset: options.preset, seed: options.seed, spectra: 'none' });
  const plan = planSurvey(opts);
  for await (const c of surveyPixels(plan, options.maxPixels, options.progress, `spectra of a ${opts.preset.name} mock survey`)) {
    if (c.quasars.length > 0) yield spectraBatch(c.quasars, opts.seed);
  }
}
