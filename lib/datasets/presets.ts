import { z } from 'zod';
import { DatasetError } from '../errors/index.js';

/**
 * A survey's size and shape: the sky box (whole nside-64 healpix pixels whose centres fall inside it), the galaxy
 * light cone (redshift range, count, planted voids and walls) and the quasar sample (count, BAL and anomaly fractions).
 *
 * @example
 * const p: SurveyPreset = PRESETS.small;
 */
export interface SurveyPreset {
  name: string;
  raMin: number;
  raMax: number;
  decMin: number;
  decMax: number;
  zMin: number;
  zMax: number;
  galaxies: number;
  quasars: number;
  voids: number;
  voidRadius: [number, number];
  walls: number;
  balFraction: number;
  anomalyFraction: number;
}

const common = { zMin: 0.02, walls: 3, balFraction: 0.15, anomalyFraction: 0.04 };

/**
 * The presets. `small` is for tests (seconds, ~30 MB); `medium` for demos and streaming checks; `large` reaches 10M
 * zcatalog rows and 1.6M quasar spectra, which only fit on disk without spectra (see datasets/README.md); `voids` is a
 * nearby wide volume with 15-25 Mpc/h voids for VoidFinder.
 *
 * @example
 * PRESETS.large.galaxies + PRESETS.large.quasars; // 10_000_000
 */
export const PRESETS: Readonly<Record<'small' | 'medium' | 'large' | 'voids' | 'quasars', SurveyPreset>> = {
  small: {
    ...common,
    name: 'small',
    raMin: 150,
    raMax: 156,
    decMin: 0,
    decMax: 6,
    zMax: 0.22,
    galaxies: 15_000,
    quasars: 60,
    voids: 6,
    voidRadius: [7, 12],
  },
  medium: {
    ...common,
    name: 'medium',
    raMin: 140,
    raMax: 160,
    decMin: -5,
    decMax: 5,
    zMax: 0.3,
    galaxies: 200_000,
    quasars: 5_000,
    voids: 60,
    voidRadius: [10, 22],
  },
  large: {
    ...common,
    name: 'large',
    raMin: 110,
    raMax: 250,
    decMin: -8,
    decMax: 32,
    zMax: 0.4,
    galaxies: 8_400_000,
    quasars: 1_600_000,
    voids: 1500,
    voidRadius: [10, 25],
  },
  // A DR7-like nearby volume for void finding: wide enough on the sky that spheres of 15-25 Mpc/h fit well inside the
  // mask (VoidFinder drops holes more than 10% outside), dense enough (mean separation ~5 Mpc/h, as SDSS DR7's
  // volume-limited sample) that chance gaps between galaxies stay below its 10 Mpc/h maximal-sphere cut.
  voids: {
    ...common,
    name: 'voids',
    raMin: 150,
    raMax: 190,
    decMin: 0,
    decMax: 30,
    zMax: 0.12,
    galaxies: 60_000,
    quasars: 20,
    voids: 10,
    voidRadius: [15, 25],
  },
  // A quasar sample for the quasar notebooks (05, 06): 1,000 quasars with spectra on a 6 x 6 degree patch, few
  // galaxies, and 1% anomalies, so that the injected ones can fill the top 1% of an anomaly ranking.
  quasars: {
    ...common,
    name: 'quasars',
    raMin: 200,
    raMax: 206,
    decMin: 0,
    decMax: 6,
    zMax: 0.22,
    galaxies: 3_000,
    quasars: 1_000,
    voids: 2,
    voidRadius: [7, 10],
    anomalyFraction: 0.01,
  },
};

/**
 * Names of the presets.
 *
 * @example
 * const p: PresetName = 'medium';
 */
export type PresetName = keyof typeof PRESETS;

const OptionsSchema = z
  .object({
    preset: z.enum(['small', 'medium', 'large', 'voids', 'quasars']).default('small'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    /** Which dark-program healpix pixels get coadd files: all, none, or the first N (spectra are ~445 kB each). */
    spectra: z.union([z.literal('all'), z.literal('none'), z.number().int().min(0)]).optional(),
  })
  .strict();

/**
 * Options of the generator, as given by callers (defaults: small, seed 1, spectra all except for large).
 *
 * @example
 * const o: SurveyOptions = { preset: 'large', seed: 7, spectra: 'none' };
 */
export type SurveyOptions = z.input<typeof OptionsSchema>;

/**
 * Options after validation and defaults.
 *
 * @example
 * resolveSurveyOptions({ preset: 'large' }).spectra; // 'none'
 */
export interface ResolvedSurveyOptions {
  preset: SurveyPreset;
  seed: number;
  spectra: 'all' | 'none' | number;
}

/**
 * Validates generator options once at the boundary. Throws a DatasetError naming the bad option and value.
 *
 * @example
 * resolveSurveyOptions({ preset: 'small', seed: 7 }).preset.galaxies; // 15000
 */
export function resolveSurveyOptions(options: SurveyOptions = {}): ResolvedSurveyOptions {
  const r = OptionsSchema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.path.join('.') || '?';
    const value = (options as Record<string, unknown>)[key];
    throw new DatasetError(`invalid ${key}: ${JSON.stringify(value)} (${issue.message})`);
  }
  const preset = PRESETS[r.data.preset];
  return { preset, seed: r.data.seed, spectra: r.data.spectra ?? (preset.name === 'large' ? 'none' : 'all') };
}
