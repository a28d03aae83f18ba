import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generatePixel, planSurvey, resolveSurveyOptions, SPECTRUM_BYTES } from '../../lib/datasets/index.js';
import { writeCoadd } from '../../lib/datasets/healpix-files.js';
import { quasarSet } from '../../lib/datasets/pixel-content.js';
import type { MockQuasar } from '../../lib/datasets/quasars.js';
import { spectraBatch } from '../../lib/datasets/spectra-batch.js';
import { setValues } from '../../lib/datasets/survey-stream.js';
import { expFibermapValues } from '../../lib/datasets/target-values.js';
import { Rng } from '../fits-read/rng.js';

/** Bump when the coadd's content changes, so an old file in `bench/out/` is rewritten. */
const COADD_VERSION = 1;

export interface MadeCoadd {
  path: string;
  size: number;
  nspec: number;
  healpix: number;
  /** Every TARGETID of the file, in FIBERMAP order. */
  targetids: bigint[];
  /** Seconds the write took; null when an existing file was reused. */
  writeSeconds: number | null;
}

interface Sidecar {
  version: number;
  nspec: number;
  seed: number;
  size: number;
  healpix: number;
  targetids: string[];
  writeSeconds: number;
}

/**
 * Writes the benchmark coadd once into `base/n<nspec>-s<seed>/` (`coadd-main-dark-PIX.fits`, one file in the real DR1 coadd data model
 * holding `nspec` quasar spectra), or reuses the file already there when its sidecar `.json` records the same count,
 * seed, version and size. The spectra are the first `nspec` quasars of the `medium` mock survey (5,000 in all), pixel
 * by pixel, observed through `spectraBatch` and written by the generator's own `writeCoadd` as if they shared the
 * first pixel: a DR1 pixel holds a few hundred, so 5,000 in one file is a stand-in for a big coadd, same layout.
 *
 * @example
 * const c = await ensureCoadd({ base: 'bench/out/desi-spectra', nspec: 5000, seed: 42 });
 */
export async function ensureCoadd(opts: { base: string; nspec: number; seed: number; fresh?: boolean }): Promise<MadeCoadd> {
  const sidecarOf = (p: string) => `${p}.json`;
  const dir = join(opts.base, `n${opts.nspec}-s${opts.seed}`);
  const found = opts.fresh ? undefined : findExisting(dir, opts);
  if (found) return found;
  const opt = resolveSurveyOptions({ preset: 'medium', seed: opts.seed, spectra: 'none' });
  const plan = planSurvey(opt);
  const t0 = performance.now();
  const quasars: MockQuasar[] = [];
  let first: ReturnType<typeof generatePixel> | undefined;
  for (let i = 0; i < plan.pixels.length && quasars.length < opts.nspec; i++) {
    if (plan.quasarCounts[i] === 0) continue;
    const c = generatePixel(plan, i);
    first ??= c;
    quasars.push(...c.quasars.slice(0, opts.nspec - quasars.length));
  }
  if (!first || quasars.length < opts.nspec) throw new Error(`the medium survey holds ${quasars.length} quasars, fewer than ${opts.nspec}`);
  const batch = spectraBatch(quasars, opts.seed);
  const set = quasarSet({ ...first, quasars }, batch.npixels);
  const { numexp, values, rng } = setValues(opts.seed, set);
  const exp = expFibermapValues(set, numexp, rng);
  const path = join(dir, `coadd-main-dark-${set.healpix}.fits`);
  await mkdir(dir, { recursive: true });
  await rm(sidecarOf(path), { force: true });
  const tmp = `${path}.tmp`;
  await writeCoadd(tmp, set, batch, values, exp);
  await rename(tmp, path);
  const writeSeconds = (performance.now() - t0) / 1000;
  const size = statSync(path).size;
  if (size < opts.nspec * SPECTRUM_BYTES) throw new Error(`${path}: ${size} bytes, expected at least ${opts.nspec * SPECTRUM_BYTES}`);
  const targetids = Array.from(set.targetid);
  const side: Sidecar = {
    version: COADD_VERSION,
    nspec: opts.nspec,
    seed: opts.seed,
    size,
    healpix: set.healpix,
    targetids: targetids.map(String),
    writeSeconds,
  };
  writeFileSync(sidecarOf(path), JSON.stringify(side) + '\n');
  return { path, size, nspec: opts.nspec, healpix: set.healpix, targetids, writeSeconds };
}

function findExisting(dir: string, opts: { nspec: number; seed: number }): MadeCoadd | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => /^coadd-main-dark-\d+\.fits$/.test(f));
  if (!name || !existsSync(join(dir, `${name}.json`))) return undefined;
  const path = join(dir, name);
  const have = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Sidecar;
  const size = statSync(path).size;
  if (have.version !== COADD_VERSION || have.nspec !== opts.nspec || have.seed !== opts.seed || have.size !== size) return undefined;
  return { path, size, nspec: have.nspec, healpix: have.healpix, targetids: have.targetids.map(BigInt), writeSeconds: null };
}

/**
 * `count` distinct TARGETIDs of the coadd picked with a seeded PRNG (a partial Fisher-Yates shuffle), in the drawn
 * order, as a scientist's list would come: not sorted, not in file order.
 *
 * @example
 * const ids = pickTargetids(coadd.targetids, 1000, 7);
 */
export function pickTargetids(all: readonly bigint[], count: number, seed: number): bigint[] {
  if (count > all.length) throw new Error(`cannot pick ${count} of ${all.length} TARGETIDs`);
  const a = [...all];
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, count);
}

/** `node dist/bench/desi-spectra/make-coadd.js [--nspec N] [--seed S] [--fresh]`: writes (or finds) the coadd. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = (k: string, d: number) => (args.includes(k) ? Number(args[args.indexOf(k) + 1]) : d);
  const base = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench/out/desi-spectra');
  const c = await ensureCoadd({ base, nspec: at('--nspec', 5000), seed: at('--seed', 42), fresh: args.includes('--fresh') });
  process.stdout.write(
    `${c.path}: ${c.nspec} spectra, ${(c.size / 1e9).toFixed(3)} GB, ${c.writeSeconds === null ? 'reused' : `written in ${c.writeSeconds.toFixed(1)} s`}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
