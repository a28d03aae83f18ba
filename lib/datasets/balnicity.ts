import { C_KMS } from '../cosmo/index.js';

/**
 * Rest wavelengths (vacuum, Angstrom) baltools measures BAL troughs against.
 *
 * @example
 * BAL_IONS.CIV; // 1549.48
 */
export const BAL_IONS = { CIV: 1549.48, SIIV: 1398.0 } as const;

/**
 * The BI velocity window and thresholds of baltools (balconfig): -25000..-3000 km/s, 0.9 of the continuum, 2000 km/s.
 *
 * @example
 * BI_WINDOW.minWidth; // 2000 km/s
 */
export const BI_WINDOW = { vmin: -25000, vmax: -3000, threshold: 0.9, minWidth: 2000 } as const;

/**
 * One trough that counted towards BI: its velocity span (positive outflow speeds, km/s) as baltools reports them.
 *
 * @example
 * const t: BiTrough = { vmin: 10000, vmax: 15000 };
 */
export interface BiTrough {
  vmin: number;
  vmax: number;
}

/**
 * The balnicity index (km/s) of a noiseless normalised spectrum, with baltools' definition: speed
 * v = c (lambda - lambda_ion) / lambda_ion; inside -25000 < v < -3000 km/s a trough is a run of pixels where
 * 1 - f/0.9 > 0 spanning more than 2000 km/s, and BI sums (1 - f/0.9) dv over each trough once the run is
 * 2000 km/s wide. `restWave` must increase; `normFlux` is the flux divided by the unabsorbed model (1 = no absorption).
 *
 * @example
 * const { bi } = balnicityIndex(restWave, normFlux, BAL_IONS.CIV); // 0 for a spectrum without a BAL trough
 */
export function balnicityIndex(restWave: ArrayLike<number>, normFlux: ArrayLike<number>, ionRest: number): { bi: number; troughs: BiTrough[] } {
  const c = C_KMS;
  const speed: number[] = [];
  const flux: number[] = [];
  for (let i = 0; i < restWave.length; i++) {
    const v = (c * (restWave[i]! - ionRest)) / ionRest;
    if (v >= BI_WINDOW.vmin && v < BI_WINDOW.vmax) {
      speed.push(v);
      flux.push(normFlux[i]!);
    }
  }
  const troughs: BiTrough[] = [];
  let bi = 0;
  let start = -1;
  const close = (end: number) => {
    if (speed[end]! - speed[start]! <= BI_WINDOW.minWidth) return;
    let sum = 0;
    for (let k = start + 1; k <= end; k++) {
      // Only the part of the trough beyond its first 2000 km/s counts, as in baltools' calculate_index.
      if (speed[k]! - speed[start]! >= BI_WINDOW.minWidth) sum += (1 - flux[k]! / BI_WINDOW.threshold) * (speed[k]! - speed[k - 1]!);
    }
    if (sum > 0) bi += sum;
    troughs.push({ vmin: -speed[end]!, vmax: -speed[start]! });
  };
  for (let i = 0; i < speed.length; i++) {
    const absorbed = 1 - flux[i]! / BI_WINDOW.threshold > 0;
    if (absorbed && start < 0) start = i;
    else if (!absorbed && start >= 0) {
      close(i - 1);
      start = -1;
    }
  }
  if (start >= 0) close(speed.length - 1);
  return { bi, troughs };
}
