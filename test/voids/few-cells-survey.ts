/**
 * A survey with only a few empty search-grid cells (VAST issue #111: VoidFinder hung when workers found no cells to
 * work on): galaxies every 2.5 Mpc/h on a lattice filling the box 90..130 x -20.5..19.5 x -20.5..19.5 Mpc/h, minus a
 * ball of radius 8 Mpc/h at (110, 0, 0). With 5 Mpc/h cells only the few cells inside the ball are empty. Its
 * footprint spans RA 347..12 degrees, across the seam (VAST issue #98); the lattice is offset by half a step in y so
 * that some galaxy lies in every 1-degree sky cell next to RA 0 (VAST's mask smoothing never fills the RA 359 column).
 */
import { buildSurveyMask, type SurveyMask } from '../../lib/voids/index.js';

export function fewEmptyCells(): { xyz: Float64Array; mask: SurveyMask; centre: { x: number; y: number; z: number }; radius: number } {
  const centre = { x: 110, y: 0, z: 0 };
  const radius = 8;
  const xyz: number[] = [];
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i <= 16; i++)
    for (let j = 0; j <= 16; j++)
      for (let k = 0; k <= 16; k++) {
        const x = 90 + 2.5 * i,
          y = -20.5 + 2.5 * j,
          z = -20.5 + 2.5 * k;
        if (Math.hypot(x - centre.x, y - centre.y, z - centre.z) < radius) continue;
        xyz.push(x, y, z);
        const r = Math.hypot(x, y, z);
        ra.push(((((Math.atan2(y, x) * 180) / Math.PI) % 360) + 360) % 360);
        dec.push((Math.asin(z / r) * 180) / Math.PI);
      }
  const mask = buildSurveyMask(Float64Array.from(ra), Float64Array.from(dec), { rMin: 80, rMax: 150 });
  return { xyz: Float64Array.from(xyz), mask, centre, radius };
}
