import { join } from 'node:path';
import { sha256File } from '../fits/index.js';
import type { SurveySummary } from './make-survey.js';

/**
 * sha256 and size of every file of a survey, keyed by path relative to its root: what datasets/MANIFEST.json holds.
 *
 * @example
 * const m: SurveyManifest = JSON.parse(readFileSync('datasets/MANIFEST.json', 'utf8'));
 */
export interface SurveyManifest {
  preset: string;
  seed: number;
  command: string;
  files: Record<string, { sha256: string; bytes: number }>;
}

/**
 * The manifest of a survey `makeSurvey` wrote: every file's sha256 and size, paths sorted.
 *
 * @example
 * const m = await surveyManifest(await makeSurvey({ preset: 'small', seed: 1, out }));
 */
export async function surveyManifest(summary: SurveySummary): Promise<SurveyManifest> {
  const files: SurveyManifest['files'] = {};
  for (const f of summary.files) files[f.path] = { sha256: await sha256File(join(summary.out, f.path)), bytes: f.bytes };
  return {
    preset: summary.preset,
    seed: summary.seed,
    command: `skybook datasets make --preset ${summary.preset} --seed ${summary.seed} --out DIR`,
    files,
  };
}
