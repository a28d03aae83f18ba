/**
 * VAST's synthetic test survey (python/vast/test/test_VF.py, setUp), built the way that test builds it: galaxies on a
 * grid of ra 10..30 (step 0.5), dec -10..10 (step 0.5) and z 0.0005..0.011 (step 0.0001, numpy's arange), plus one
 * at (20, 0, z = 0); Rgal = c z / 100 with VAST's c; x y z from (ra pi / 180) as the test writes it; and every galaxy
 * strictly inside one of four planted spheres removed. The test then runs find_voids on these directly (no wall/field
 * split) with a hand-made mask (ra cells 10..29, dec cells 80..99 at resolution 1), distance limits [0, c z_max / 100],
 * grid origin the minimum over all galaxies, a 1 Mpc/h cell and a 1 Mpc/h smallest maximal.
 */
import type { SurveyMask } from '../../lib/voids/index.js';

/** numpy.arange(start, stop, step) for floats. */
export function numpyArange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  const delta = start + step - start;
  return Array.from({ length: n }, (_, i) => (i === 0 ? start : i === 1 ? start + step : start + i * delta));
}

/** The planted maximal spheres (x, y, z, r, void) and the two further holes of VAST's test. */
export const PLANTED_MAXIMALS = [
  [25, 8, 0, 2.5, 0],
  [10, 3, -1, 1.5, 1],
] as const;
export const PLANTED_HOLES = [
  [24, 7.9, 0.1, 2, 0],
  [10.5, 3.2, -0.5, 0.5, 1],
] as const;

const C = 299792.0;

export interface SyntheticSurvey {
  /** Galaxies outside the planted spheres (VAST's wall), interleaved x y z. */
  wall: Float64Array;
  /** Minimum x, y, z over all galaxies, removed ones included (the test's grid origin). */
  origin: [number, number, number];
  mask: SurveyMask;
  all: number;
}

export function syntheticSurvey(): SyntheticSurvey {
  const ras = numpyArange(10, 30, 0.5);
  const decs = numpyArange(-10, 10, 0.5);
  const zs = numpyArange(0.0005, 0.011, 0.0001);
  const rows: [number, number, number][] = [];
  // np.meshgrid(ra, dec, z) raveled: dec outermost, then ra, then z
  for (const dec of decs) for (const ra of ras) for (const z of zs) rows.push([ra, dec, z]);
  rows.push([20, 0, 0]);
  const spheres = [...PLANTED_HOLES, ...PLANTED_MAXIMALS];
  const kept: number[] = [];
  const origin: [number, number, number] = [Infinity, Infinity, Infinity];
  for (const [ra, dec, z] of rows) {
    const r = (C * z) / 100;
    const x = r * Math.cos((ra * Math.PI) / 180) * Math.cos((dec * Math.PI) / 180);
    const y = r * Math.sin((ra * Math.PI) / 180) * Math.cos((dec * Math.PI) / 180);
    const zz = r * Math.sin((dec * Math.PI) / 180);
    origin[0] = Math.min(origin[0], x);
    origin[1] = Math.min(origin[1], y);
    origin[2] = Math.min(origin[2], zz);
    const inside = spheres.some(([hx, hy, hz, hr]) => (hx - x) ** 2 + (hy - y) ** 2 + (hz - zz) ** 2 < hr ** 2);
    if (!inside) kept.push(x, y, zz);
  }
  const cells = new Uint8Array(360 * 180);
  for (let i = 10; i < 30; i++) for (let j = 80; j < 100; j++) cells[i * 180 + j] = 1;
  const mask: SurveyMask = { resolution: 1, cells, rMin: 0, rMax: (C * zs[zs.length - 1]!) / 100 };
  return { wall: Float64Array.from(kept), origin, mask, all: rows.length };
}
