import { LinearDistanceTable } from '../cosmo/index.js';
import { footprintPixels, type FootprintPixel } from './footprint.js';
import { drawCandidate } from './galaxies.js';
import type { ResolvedSurveyOptions } from './presets.js';
import { Rng } from './random.js';
import { plantStructures, voidsNear, type PlantedVoid, type PlantedWall } from './structures.js';

/**
 * Everything decided before any object is drawn: pixels, per-pixel counts, structures. Small, even for `large`.
 *
 * @example
 * const plan: SurveyPlan = planSurvey(resolveSurveyOptions({ preset: 'small' }));
 */
export interface SurveyPlan {
  options: ResolvedSurveyOptions;
  cosmology: LinearDistanceTable;
  pixels: FootprintPixel[];
  galaxyCounts: Int32Array;
  quasarCounts: Int32Array;
  voids: PlantedVoid[];
  walls: PlantedWall[];
  /** Pixels (indices into `pixels`) whose coadd files are written, per the `spectra` option. */
  spectraPixels: Set<number>;
}

const PROBES = 48;

/**
 * Splits `total` over `weights` exactly (largest remainder; ties go to the lower index, so it is deterministic).
 *
 * @example
 * allocate(10, [1, 1, 1]); // Int32Array [4, 3, 3]
 */
export function allocate(total: number, weights: ArrayLike<number>): Int32Array {
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  const out = new Int32Array(n);
  const rem: { i: number; r: number }[] = [];
  let used = 0;
  for (let i = 0; i < n; i++) {
    const exact = (total * weights[i]!) / sum;
    out[i] = Math.floor(exact);
    used += out[i]!;
    rem.push({ i, r: exact - out[i]! });
  }
  rem.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < total - used; k++) out[rem[k % n]!.i]!++;
  return out;
}

/**
 * Builds the survey plan: the footprint's pixels, voids and walls, and how many galaxies (in proportion to each
 * pixel's expected density, estimated from 48 probe candidates) and quasars (uniform) each pixel holds.
 *
 * @example
 * const plan = planSurvey(resolveSurveyOptions({ preset: 'small', seed: 1 }));
 * plan.pixels.length; // ~40
 */
export function planSurvey(options: ResolvedSurveyOptions): SurveyPlan {
  const p = options.preset;
  const cosmology = new LinearDistanceTable(0.3, 6);
  const pixels = footprintPixels(p.raMin, p.raMax, p.decMin, p.decMax);
  const { voids, walls } = plantStructures(p, cosmology, Rng.for(options.seed, 'structures'));
  const weights = new Float64Array(pixels.length);
  pixels.forEach((px, i) => {
    const rng = Rng.for(options.seed, 'probe', px.pix);
    const near = voidsNear(px, voids);
    let acc = 0;
    for (let k = 0; k < PROBES; k++) acc += drawCandidate(px, p, cosmology, near, walls, rng).accept;
    weights[i] = acc / PROBES + 1e-3;
  });
  const galaxyCounts = allocate(p.galaxies, weights);
  const quasarCounts = allocate(p.quasars, new Float64Array(pixels.length).fill(1));
  const spectraPixels = new Set<number>();
  const limit = options.spectra === 'all' ? pixels.length : options.spectra === 'none' ? 0 : options.spectra;
  for (let i = 0, taken = 0; i < pixels.length && taken < limit; i++) {
    if (quasarCounts[i]! > 0) {
      spectraPixels.add(i);
      taken++;
    }
  }
  return { options, cosmology, pixels, galaxyCounts, quasarCounts, voids, walls, spectraPixels };
}
