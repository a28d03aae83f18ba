import { BGS_TARGET, DESI_TARGET } from '../desi/index.js';
import type { FootprintPixel } from './footprint.js';
import { generateGalaxies, type GalaxyColumns } from './galaxies.js';
import { generateQuasars, type MockQuasar } from './quasars.js';
import { Rng } from './random.js';
import { voidsNear } from './structures.js';
import type { SurveyPlan } from './survey-plan.js';
import type { TargetSet } from './target-set.js';

/**
 * Everything in one healpix pixel: its BGS galaxies (bright program) and quasars (dark program).
 *
 * @example
 * const { galaxies, quasars } = generatePixel(plan, 0);
 */
export interface PixelContent {
  index: number;
  pixel: FootprintPixel;
  galaxies: GalaxyColumns;
  quasars: MockQuasar[];
}

/**
 * Generates pixel `index` of the plan on its own: the same objects whatever other pixels were generated before.
 *
 * @example
 * const content = generatePixel(plan, 0); content.quasars.length;
 */
export function generatePixel(plan: SurveyPlan, index: number): PixelContent {
  const pixel = plan.pixels[index]!;
  const { preset, seed } = plan.options;
  const near = voidsNear(pixel, plan.voids);
  const galaxies = generateGalaxies(
    pixel,
    plan.galaxyCounts[index]!,
    preset,
    plan.cosmology,
    near,
    plan.walls,
    Rng.for(seed, 'galaxies', pixel.pix),
  );
  const quasars = generateQuasars(pixel, plan.quasarCounts[index]!, preset, seed);
  return { index, pixel, galaxies, quasars };
}

const BGS_BITS = DESI_TARGET.mask('BGS_ANY');
const BGS_BRIGHT = BGS_TARGET.mask('BGS_BRIGHT');
const QSO_BITS = DESI_TARGET.mask('QSO');

/**
 * The bright-program targets (galaxies) of a pixel.
 *
 * @example
 * const set = galaxySet(generatePixel(plan, 0)); set.program; // 'bright'
 */
export function galaxySet(c: PixelContent): TargetSet {
  const g = c.galaxies;
  return {
    survey: 'main',
    program: 'bright',
    healpix: c.pixel.pix,
    n: g.n,
    targetid: g.targetid,
    ra: g.ra,
    dec: g.dec,
    z: g.z,
    spectype: 'GALAXY',
    magG: g.magG,
    magR: g.magR,
    magZ: g.magZ,
    desiTarget: BGS_BITS,
    bgsTarget: BGS_BRIGHT,
  };
}

/**
 * The dark-program targets (quasars) of a pixel; `npixels` from the simulated spectra when given.
 *
 * @example
 * const set = quasarSet(generatePixel(plan, 0)); set.spectype; // 'QSO'
 */
export function quasarSet(c: PixelContent, npixels?: BigInt64Array): TargetSet {
  const q = c.quasars;
  const n = q.length;
  const set: TargetSet = {
    survey: 'main',
    program: 'dark',
    healpix: c.pixel.pix,
    n,
    targetid: BigInt64Array.from(q, (x) => x.targetid),
    ra: Float64Array.from(q, (x) => x.ra),
    dec: Float64Array.from(q, (x) => x.dec),
    z: Float64Array.from(q, (x) => x.zReported),
    spectype: 'QSO',
    magG: Float32Array.from(q, (x) => x.magR + 0.2),
    magR: Float32Array.from(q, (x) => x.magR),
    magZ: Float32Array.from(q, (x) => x.magR - 0.1),
    desiTarget: QSO_BITS,
    bgsTarget: 0n,
  };
  if (npixels) set.npixels = npixels;
  return set;
}
