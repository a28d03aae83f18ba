import { isOutsideMask, type SurveyMask } from './survey-mask.js';

/** The settings of VAST's volume cut (volume_cut.check_hole_bounds), with VAST's defaults. */
export interface VolumeCutOptions {
  /** Drop a hole when at least this fraction of its mesh points lie outside the survey (VAST's cut_pct, 0.1). */
  cutFraction?: number;
  /** Mesh points per (Mpc/h)^3 (VAST's pts_per_unit_volume, 0.01). */
  pointsPerUnitVolume?: number;
  /** Points on each hole's surface checked first (VAST's num_surf_pts, 20). */
  surfacePoints?: number;
}

/**
 * The fixed probes of the volume cut: `surfacePoints` points on the unit sphere (the golden spiral) and a cubic mesh of
 * offsets filling the largest hole, sorted by distance from its centre. Built once per run from the largest radius, as
 * VAST does, so every hole is measured with the same points whatever the thread.
 */
export interface VolumeProbes {
  readonly unitSphere: Float64Array;
  /** Mesh offsets, interleaved x y z, nearest the centre first. */
  readonly mesh: Float64Array;
  /** Distance of each mesh offset from the centre, ascending. */
  readonly meshRadii: Float64Array;
  readonly cutFraction: number;
}

/**
 * The probes for holes up to `largestRadius` (VAST's build_unit_sphere_points and generate_mesh): the mesh is numpy's
 * arange(-1.05 R, 1.05 R, step) along each axis with step = 1 / pointsPerUnitVolume^0.33, kept where the offset's
 * length is below R.
 *
 * @example
 * const probes = volumeProbes(22.1); // DR7's largest hole
 */
export function volumeProbes(largestRadius: number, options: VolumeCutOptions = {}): VolumeProbes {
  const { cutFraction = 0.1, pointsPerUnitVolume = 0.01, surfacePoints = 20 } = options;
  const unitSphere = new Float64Array(3 * surfacePoints);
  const golden = Math.PI * (1 + 5 ** 0.5);
  for (let i = 0; i < surfacePoints; i++) {
    const t = i + 0.5;
    const phi = Math.acos(1 - (2 * t) / surfacePoints);
    const theta = golden * t;
    unitSphere[3 * i] = Math.cos(theta) * Math.sin(phi);
    unitSphere[3 * i + 1] = Math.sin(theta) * Math.sin(phi);
    unitSphere[3 * i + 2] = Math.cos(phi);
  }
  if (!(largestRadius > 0)) return { unitSphere, mesh: new Float64Array(0), meshRadii: new Float64Array(0), cutFraction };
  const axis = numpyArange(-1.0 * (largestRadius * 1.05), largestRadius * 1.05, 1.0 / pointsPerUnitVolume ** 0.33);
  const kept: { r: number; x: number; y: number; z: number }[] = [];
  for (const x of axis)
    for (const y of axis)
      for (const z of axis) {
        const r = Math.sqrt(x * x + y * y + z * z);
        if (r < largestRadius) kept.push({ r, x, y, z });
      }
  // Only how many offsets lie within a radius matters, so ties may fall in any order; this one is fixed.
  kept.sort((a, b) => a.r - b.r || a.x - b.x || a.y - b.y || a.z - b.z);
  const mesh = new Float64Array(3 * kept.length);
  const meshRadii = new Float64Array(kept.length);
  kept.forEach((p, i) => {
    mesh[3 * i] = p.x;
    mesh[3 * i + 1] = p.y;
    mesh[3 * i + 2] = p.z;
    meshRadii[i] = p.r;
  });
  return { unitSphere, mesh, meshRadii, cutFraction };
}

/** numpy.arange(start, stop, step) for floats: ceil((stop - start) / step) values start + i * ((start + step) - start). */
function numpyArange(start: number, stop: number, step: number): number[] {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out: number[] = [];
  if (n > 0) out.push(start);
  if (n > 1) out.push(start + step);
  const delta = start + step - start;
  for (let i = 2; i < n; i++) out.push(start + i * delta);
  return out;
}

/** Mesh offsets with radius <= r: numpy's searchsorted(side='right'), what VAST's binary_searchsorted returns. */
function countWithin(radii: Float64Array, r: number): number {
  let lo = 0;
  let hi = radii.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (radii[mid]! <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * VAST's volume cut of one hole (_vol_cut_cython._check_holes_mask_overlap): returns 0 when the hole stays, 1 when it
 * stays but touches the survey edge (a surface point lies outside: VAST's monte_index, which later makes its void an
 * edge void), 2 when it is dropped: at least ceil(cutFraction * n) of the n mesh points within its radius lie outside
 * the survey.
 *
 * @example
 * const verdict = cutHole(probes, mask, x, y, z, r); // 0 keep, 1 keep (on the edge), 2 drop
 */
export function cutHole(probes: VolumeProbes, mask: SurveyMask, x: number, y: number, z: number, r: number): 0 | 1 | 2 {
  const { unitSphere, mesh, meshRadii, cutFraction } = probes;
  let edge = false;
  for (let s = 0; s < unitSphere.length; s += 3) {
    if (isOutsideMask(mask, r * unitSphere[s]! + x, r * unitSphere[s + 1]! + y, r * unitSphere[s + 2]! + z)) {
      edge = true;
      break;
    }
  }
  if (!edge) return 0;
  const n = countWithin(meshRadii, r);
  const limit = Math.ceil(cutFraction * n);
  let outside = 0;
  for (let p = 0; p < n; p++) {
    if (isOutsideMask(mask, x + mesh[3 * p]!, y + mesh[3 * p + 1]!, z + mesh[3 * p + 2]!)) {
      outside++;
      if (outside >= limit) return 2;
    }
  }
  return 1;
}
