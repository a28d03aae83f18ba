import { BAL_IONS, BI_WINDOW, balnicityIndex, velocityOffset, wavelengthAtVelocity } from '../quasar/index.js';
import type { Rng } from './random.js';

/**
 * One injected BAL trough: centre and full width in km/s (centre < 0: outflow), and depth below the continuum (0-1).
 *
 * @example
 * const t: BalTrough = { vCenter: -12000, width: 5000, depth: 0.6 };
 */
export interface BalTrough {
  vCenter: number;
  width: number;
  depth: number;
}

/** Edge softness (km/s) of the flat-bottomed trough profile. */
const EDGE = 250;
/** SiIV troughs share CIV's velocities at a shallower depth, as observed BALs mostly do. */
const SIIV_DEPTH = 0.7;

/**
 * Draws 1-3 non-overlapping troughs inside the BI window, each wide and deep enough that BI > 0 (width >= 3500 km/s,
 * depth >= 0.35, so more than 2000 km/s of it lies below 0.9 of the continuum).
 *
 * @example
 * const troughs = drawTroughs(Rng.for(1, 'bal', 9));
 */
export function drawTroughs(rng: Rng): BalTrough[] {
  const n = 1 + rng.int(3);
  const out: BalTrough[] = [];
  for (let tries = 0; out.length < n && tries < 50; tries++) {
    const width = 3500 + 6000 * rng.uniform();
    const lo = BI_WINDOW.vmin + 1000 + width / 2;
    const hi = BI_WINDOW.vmax - 1000 - width / 2;
    const vCenter = lo + (hi - lo) * rng.uniform();
    const t = { vCenter: Math.round(vCenter), width: Math.round(width), depth: Math.round((0.35 + 0.55 * rng.uniform()) * 1000) / 1000 };
    if (out.every((o) => Math.abs(o.vCenter - t.vCenter) > (o.width + t.width) / 2 + 1000)) out.push(t);
  }
  return out.sort((a, b) => a.vCenter - b.vCenter);
}

function troughProfile(v: number, t: BalTrough): number {
  const a = t.vCenter - t.width / 2;
  const b = t.vCenter + t.width / 2;
  return 0.5 * (Math.tanh((v - a) / EDGE) - Math.tanh((v - b) / EDGE));
}

/**
 * Transmission (0-1) of the BAL troughs at rest wavelength `rest`: each trough absorbs CIV at its velocities and SiIV
 * at the same velocities with 0.7 of the depth. Velocities use baltools' linear convention v = c (lambda - lambda_ion) / lambda_ion.
 *
 * @example
 * balTransmission(1480, troughs); // < 1 inside a CIV trough
 */
export function balTransmission(rest: number, troughs: readonly BalTrough[]): number {
  if (troughs.length === 0) return 1;
  const vc = velocityOffset(rest, BAL_IONS.CIV);
  const vs = velocityOffset(rest, BAL_IONS.SIIV);
  let t = 1;
  for (const tr of troughs) {
    if (vc > -30000 && vc < 0) t *= 1 - tr.depth * troughProfile(vc, tr);
    if (vs > -30000 && vs < 0) t *= 1 - SIIV_DEPTH * tr.depth * troughProfile(vs, tr);
  }
  return t;
}

/**
 * The truth BI of injected troughs for one ion: baltools' BI of the noiseless transmission on a 10 km/s grid.
 *
 * @example
 * troughsBi(troughs, 'CIV'); // > 0 for any drawTroughs() result
 */
export function troughsBi(troughs: readonly BalTrough[], ion: keyof typeof BAL_IONS): number {
  if (troughs.length === 0) return 0;
  const lam = BAL_IONS[ion];
  const n = Math.round((BI_WINDOW.vmax - BI_WINDOW.vmin) / 10) + 1;
  const rest = new Float64Array(n);
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rest[i] = wavelengthAtVelocity(BI_WINDOW.vmin + 10 * i, lam);
    norm[i] = balTransmission(rest[i]!, troughs);
  }
  return Math.round(balnicityIndex(rest, norm, lam).bi * 100) / 100;
}
