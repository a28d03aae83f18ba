import { angleBetween, unitVector } from '../core/index.js';
import type { LinearDistanceTable } from '../cosmo/index.js';
import type { FootprintPixel } from './footprint.js';
import type { SurveyPreset } from './presets.js';
import type { Rng } from './random.js';

/**
 * One planted void: an empty sphere (comoving Mpc/h, VAST's x y z) with its sky position and redshift.
 *
 * @example
 * const v: PlantedVoid = plan.voids[0]!; v.radius;
 */
export interface PlantedVoid {
  id: number;
  x: number;
  y: number;
  z: number;
  radius: number;
  ra: number;
  dec: number;
  redshift: number;
  distance: number;
}

/**
 * One planted wall: a slab |n . x - offset| < thickness / 2 where galaxies are denser.
 *
 * @example
 * const w: PlantedWall = plan.walls[0]!; w.thickness;
 */
export interface PlantedWall {
  id: number;
  nx: number;
  ny: number;
  nz: number;
  offset: number;
  thickness: number;
}

/**
 * Thickness (Mpc/h) of the overdense shell around each void, as in real voids' compensating walls.
 *
 * @example
 * const inShell = r > v.radius && r < v.radius + SHELL;
 */
export const SHELL = 4;
const BASE = 0.35;

/**
 * Plants voids fully inside the footprint box and light cone, not overlapping each other (their shells apart), and
 * wall slabs through the volume. Deterministic for a given rng.
 *
 * @example
 * const { voids, walls } = plantStructures(PRESETS.small, cosmo, Rng.for(1, 'structures'));
 */
export function plantStructures(p: SurveyPreset, cosmo: LinearDistanceTable, rng: Rng): { voids: PlantedVoid[]; walls: PlantedWall[] } {
  const dMin = cosmo.distance(p.zMin);
  const dMax = cosmo.distance(p.zMax);
  const voids: PlantedVoid[] = [];
  const DEG = Math.PI / 180;
  for (let tries = 0; voids.length < p.voids && tries < p.voids * 400; tries++) {
    const radius = p.voidRadius[0] + (p.voidRadius[1] - p.voidRadius[0]) * rng.uniform();
    const d = Math.cbrt(dMin ** 3 + (dMax ** 3 - dMin ** 3) * rng.uniform());
    if (d - radius - SHELL < dMin || d + radius + SHELL > dMax) continue;
    const ra = p.raMin + (p.raMax - p.raMin) * rng.uniform();
    const dec = Math.asin(Math.sin(p.decMin * DEG) + (Math.sin(p.decMax * DEG) - Math.sin(p.decMin * DEG)) * rng.uniform()) / DEG;
    // Keep the whole sphere and its shell inside the box (half a degree of margin for the pixelised edge).
    const ang = Math.asin(Math.min(1, (radius + SHELL) / d)) / DEG + 0.5;
    if (dec - ang < p.decMin || dec + ang > p.decMax) continue;
    const angRa = ang / Math.max(Math.cos((Math.abs(dec) + ang) * DEG), 1e-3);
    if (ra - angRa < p.raMin || ra + angRa > p.raMax) continue;
    const [ux, uy, uz] = unitVector(ra, dec);
    const v = { id: voids.length, x: d * ux, y: d * uy, z: d * uz, radius, ra, dec, redshift: cosmo.redshift(d), distance: d };
    if (voids.some((o) => Math.hypot(o.x - v.x, o.y - v.y, o.z - v.z) < o.radius + v.radius + 2 * SHELL)) continue;
    voids.push(v);
  }
  const walls: PlantedWall[] = [];
  const [cx, cy, cz] = unitVector((p.raMin + p.raMax) / 2, (p.decMin + p.decMax) / 2);
  for (let i = 0; i < p.walls; i++) {
    const n = [rng.normal(), rng.normal(), rng.normal()];
    const len = Math.hypot(n[0]!, n[1]!, n[2]!);
    const [nx, ny, nz] = n.map((c) => c / len) as [number, number, number];
    const d = dMin + (dMax - dMin) * (0.3 + 0.5 * rng.uniform());
    walls.push({ id: i, nx, ny, nz, offset: d * (nx * cx + ny * cy + nz * cz), thickness: 3 + 3 * rng.uniform() });
  }
  return { voids, walls };
}

/**
 * The galaxy density field in units of its maximum: 0 inside a void, raised in void shells and wall slabs.
 * `voids` should be pre-filtered to those near the pixel being generated.
 *
 * @example
 * density(x, y, z, nearbyVoids, walls); // in [0, 1]
 */
export function density(x: number, y: number, z: number, voids: readonly PlantedVoid[], walls: readonly PlantedWall[]): number {
  let rho = BASE;
  for (const v of voids) {
    const r = Math.hypot(x - v.x, y - v.y, z - v.z);
    if (r < v.radius) return 0;
    if (r < v.radius + SHELL) rho += 0.45;
  }
  for (const w of walls) if (Math.abs(w.nx * x + w.ny * y + w.nz * z - w.offset) < w.thickness / 2) rho += 0.45;
  return Math.min(rho, 1);
}

/**
 * The voids whose sphere plus shell may reach into pixel `p` (angular test with a margin).
 *
 * @example
 * const near = voidsNear(pixel, plan.voids);
 */
export function voidsNear(p: FootprintPixel, voids: readonly PlantedVoid[]): PlantedVoid[] {
  const DEG = Math.PI / 180;
  const centre = unitVector(p.ra, p.dec);
  const pixRadius = 1.5; // nside-64 pixels are < 1 degree across
  return voids.filter((v) => {
    const sep = angleBetween(centre, [v.x, v.y, v.z]) / DEG;
    return sep < Math.asin(Math.min(1, (v.radius + SHELL) / v.distance)) / DEG + pixRadius;
  });
}
