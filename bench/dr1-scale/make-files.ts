import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dr1Relpath, ZCATALOG_COLUMNS } from '../../lib/desi/index.js';
import { FitsWriter } from '../../lib/fits/index.js';
import { planSurvey, resolveSurveyOptions, surveyPixels, surveyZcatalog } from '../../lib/datasets/index.js';
// The per-healpix redrock writer and the exposure values are the generator's internals, not its public API; the
// benchmark uses them to write the same files `skybook datasets make` writes, for a chosen number of pixels.
import { batchFromSpecs } from '../../lib/datasets/columns.js';
import { writeRedrock } from '../../lib/datasets/healpix-files.js';
import { galaxySet, quasarSet } from '../../lib/datasets/pixel-content.js';
import { setValues } from '../../lib/datasets/survey-stream.js';
import { expFibermapValues } from '../../lib/datasets/target-values.js';

type PresetName = 'small' | 'medium' | 'large';

/**
 * The mock survey's zall-pix zcatalog (every row of the preset: 10M for `large`) as one FITS file, written once and
 * reused: streamed pixel by pixel, so writing it holds one pixel in memory.
 *
 * @example
 * const path = await zallPixFile('bench/out/dr1-scale', 'large', 1); // ~2 GB, 10,000,000 rows
 */
export async function zallPixFile(dir: string, preset: PresetName, seed: number, log: (s: string) => void): Promise<string> {
  const path = join(dir, `zall-pix-${preset}-s${seed}.fits`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  log(`  writing ${path} (once) ...`);
  const t0 = performance.now();
  const w = await FitsWriter.create(path, { overwrite: true });
  try {
    const t = await w.beginTable(batchFromSpecs(ZCATALOG_COLUMNS, 0, {}).schema, { name: 'ZCATALOG' });
    for await (const b of surveyZcatalog({ preset, seed })) await t.write(b);
    await t.end();
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
  log(`  wrote it in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}

/**
 * `files` per-healpix redrock files of the mock survey (bright galaxies and dark quasars of the first pixels), in the DR1
 * layout (`healpix/main/PROGRAM/GROUP/PIX/redrock-main-PROGRAM-PIX.fits`), written once and reused. Returns their root.
 *
 * @example
 * const root = await redrockFiles('bench/out/dr1-scale', 'large', 1, 1000);
 */
export async function redrockFiles(
  dir: string,
  preset: PresetName,
  seed: number,
  files: number,
  log: (s: string) => void,
): Promise<string> {
  const root = join(dir, `redrock-${preset}-s${seed}-${files}`);
  if (existsSync(root)) return root;
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  log(`  writing ${files} redrock files under ${root} (once) ...`);
  const t0 = performance.now();
  const plan = planSurvey(resolveSurveyOptions({ preset, seed, spectra: 'none' }));
  let written = 0;
  for await (const c of surveyPixels(plan, Infinity, undefined, 'redrock files')) {
    for (const set of [galaxySet(c), quasarSet(c)]) {
      if (set.n === 0 || written >= files) continue;
      const { numexp, values, rng } = setValues(seed, set);
      const exp = expFibermapValues(set, numexp, rng);
      const path = join(partial, dr1Relpath({ survey: set.survey, program: set.program, healpix: set.healpix, product: 'redrock' }));
      mkdirSync(dirname(path), { recursive: true });
      await writeRedrock(path, set, values, exp);
      written++;
    }
    if (written >= files) break;
  }
  renameSync(partial, root);
  log(`  wrote ${written} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return root;
}

/** Every file under `root` whose name matches `re`, sorted. @example listFiles(root, /^redrock-.*\.fits$/) */
export function listFiles(root: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (re.test(e.name)) out.push(join(d, e.name));
    }
  };
  walk(root);
  return out.sort();
}
