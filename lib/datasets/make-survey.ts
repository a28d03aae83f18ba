import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { progressOf, type Progress } from '../core/index.js';
import { dr1Relpath, zallPixRelpath, ZCATALOG_COLUMNS } from '../desi/index.js';
import { DatasetError } from '../errors/index.js';
import { FitsWriter, type TableHduWriter } from '../fits/index.js';
import { batchFromSpecs } from './columns.js';
import { checkDiskSpace, type DiskEstimate } from './disk-budget.js';
import { expFibermapValues } from './target-values.js';
import { writeCoadd, writeRedrock } from './healpix-files.js';
import { ParquetStreamWriter } from '../store/index.js';
import { galaxySet, quasarSet } from './pixel-content.js';
import { resolveSurveyOptions, type SurveyOptions } from './presets.js';
import { spectraBatch } from './spectra-batch.js';
import { planSurvey, type SurveyPlan } from './survey-plan.js';
import { setValues, surveyPixels } from './survey-stream.js';
import { quasarTruth, voidTruth, wallTruth } from './truth.js';

/**
 * Options of `makeSurvey`: the survey, where to write it, and progress.
 *
 * @example
 * const o: MakeSurveyOptions = { preset: 'small', seed: 1, out: '/tmp/mock' };
 */
export type MakeSurveyOptions = SurveyOptions & {
  out: string;
  /** Pixels written; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
  /** Free bytes to assume instead of asking the file system (tests of the refusal). */
  freeBytes?: number;
};

/**
 * What `makeSurvey` wrote. Paths are relative to `out`, sorted.
 *
 * @example
 * const { counts, files } = await makeSurvey({ out: '/tmp/mock' });
 */
export interface SurveySummary {
  out: string;
  preset: string;
  seed: number;
  counts: { pixels: number; galaxies: number; quasars: number; spectra: number; voids: number; walls: number; zcatalogRows: number };
  estimate: DiskEstimate;
  files: { path: string; bytes: number }[];
}

/**
 * Paths of the truth tables and survey description, relative to the output directory.
 *
 * @example
 * join(out, TRUTH_FILES.quasars); // truth/quasars.parquet
 */
export const TRUTH_FILES = {
  voids: 'truth/voids.parquet',
  walls: 'truth/walls.parquet',
  quasars: 'truth/quasars.parquet',
  survey: 'truth/survey.json',
} as const;

/**
 * Writes a deterministic mock DESI DR1 survey under `out` (used as $DESI_ROOT): the zall-pix zcatalog, per-healpix
 * redrock files (bright galaxies, dark quasars), coadd files of the quasars for the pixels the `spectra` option asks
 * for, and truth tables (voids, walls, quasars) as Parquet. Everything streams pixel by pixel; the disk budget is
 * checked first and a survey that does not fit is refused before anything is written.
 *
 * @example
 * const summary = await makeSurvey({ preset: 'small', seed: 1, out: '/tmp/mock' });
 * summary.counts.zcatalogRows; // 15060
 */
export async function makeSurvey(options: MakeSurveyOptions): Promise<SurveySummary> {
  const { out, progress, freeBytes, ...rest } = options;
  const opts = resolveSurveyOptions(rest);
  const plan = planSurvey(opts);
  if ((await stat(out).catch(() => undefined))?.isDirectory() === false) throw new DatasetError('not a folder', { file: out });
  const estimate = await checkDiskSpace(plan, out, freeBytes);
  const zallPath = join(out, zallPixRelpath());
  for (const dir of [dirname(zallPath), join(out, 'truth')]) {
    await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      throw new DatasetError(`cannot make a folder here (${e.code ?? e.message})`, { file: dir });
    });
  }
  const zall = await FitsWriter.create(zallPath, { overwrite: true });
  const truthQ = new ParquetStreamWriter(join(out, TRUTH_FILES.quasars));
  let table: TableHduWriter | undefined;
  let rows = 0;
  let spectra = 0;
  try {
    table = await zall.beginTable(batchFromSpecs(ZCATALOG_COLUMNS, 0, {}).schema, { name: 'ZCATALOG' });
    for await (const c of surveyPixels(plan, Infinity, progressOf(progress), `datasets make ${opts.preset.name}`)) {
      for (const set of [galaxySet(c), quasarSet(c)]) {
        if (set.n === 0) continue;
        const withSpectra = set.program === 'dark' && plan.spectraPixels.has(c.index);
        const batch = withSpectra ? spectraBatch(c.quasars, opts.seed) : undefined;
        if (batch) set.npixels = batch.npixels;
        const { numexp, values, rng } = setValues(opts.seed, set);
        const exp = expFibermapValues(set, numexp, rng);
        await table.write(batchFromSpecs(ZCATALOG_COLUMNS, set.n, values));
        rows += set.n;
        const where = { survey: set.survey, program: set.program, healpix: set.healpix };
        await writeRedrock(join(out, dr1Relpath({ ...where, product: 'redrock' })), set, values, exp);
        if (batch) {
          await writeCoadd(join(out, dr1Relpath({ ...where, product: 'coadd' })), set, batch, values, exp);
          spectra += set.n;
        }
      }
      await truthQ.write(quasarTruth(c.quasars, plan.spectraPixels.has(c.index)));
    }
    await table.end();
    await zall.close();
    await truthQ.close();
  } catch (e) {
    await zall.abort();
    await truthQ.abort();
    throw e;
  }
  await writeParquetOnce(join(out, TRUTH_FILES.voids), voidTruth(plan.voids));
  await writeParquetOnce(join(out, TRUTH_FILES.walls), wallTruth(plan.walls));
  const counts = {
    pixels: plan.pixels.length,
    galaxies: opts.preset.galaxies,
    quasars: opts.preset.quasars,
    spectra,
    voids: plan.voids.length,
    walls: plan.walls.length,
    zcatalogRows: rows,
  };
  await writeFile(join(out, TRUTH_FILES.survey), JSON.stringify(surveyDescription(plan, counts), null, 2) + '\n');
  return { out, preset: opts.preset.name, seed: opts.seed, counts, estimate, files: await listFiles(out, plan) };
}

async function writeParquetOnce(path: string, batch: Parameters<ParquetStreamWriter['write']>[0]): Promise<void> {
  const w = new ParquetStreamWriter(path);
  await w.write(batch);
  await w.close();
}

/** The survey's parameters, for truth/survey.json (no timestamps: it is hashed with the rest). */
function surveyDescription(plan: SurveyPlan, counts: SurveySummary['counts']) {
  return {
    generator: 'skybook datasets make',
    preset: plan.options.preset,
    seed: plan.options.seed,
    cosmology: { omegaM: plan.cosmology.omegaM, flat: true, distances: 'comoving Mpc/h' },
    layout: { specprod: 'iron', survey: 'main', galaxies: 'bright', quasars: 'dark', nside: 64, nest: true },
    counts,
    healpix: plan.pixels.map((p) => p.pix),
    spectraHealpix: [...plan.spectraPixels].sort((a, b) => a - b).map((i) => plan.pixels[i]!.pix),
  };
}

async function listFiles(out: string, plan: SurveyPlan): Promise<{ path: string; bytes: number }[]> {
  const paths: string[] = [zallPixRelpath(), ...Object.values(TRUTH_FILES)];
  plan.pixels.forEach((p, i) => {
    if (plan.galaxyCounts[i]! > 0) paths.push(dr1Relpath({ survey: 'main', program: 'bright', healpix: p.pix, product: 'redrock' }));
    if (plan.quasarCounts[i]! > 0) {
      paths.push(dr1Relpath({ survey: 'main', program: 'dark', healpix: p.pix, product: 'redrock' }));
      if (plan.spectraPixels.has(i)) paths.push(dr1Relpath({ survey: 'main', program: 'dark', healpix: p.pix, product: 'coadd' }));
    }
  });
  const files = await Promise.all(paths.map(async (p) => ({ path: p, bytes: (await stat(join(out, p))).size })));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
