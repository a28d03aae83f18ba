import { QuasarError } from '../errors/index.js';
import { AI_WINDOW, BI_WINDOW, type BalWindow } from './bal-windows.js';
import { velocityOffset } from './velocity.js';

/**
 * One trough that counted towards an index: its velocity span as positive outflow speeds (km/s), as baltools reports
 * VMIN_CIV_2000 / VMAX_CIV_2000 (vmin the low-speed, red edge).
 *
 * @example
 * const t: BalTroughSpan = { vmin: 10000, vmax: 15000 };
 */
export interface BalTroughSpan {
  vmin: number;
  vmax: number;
}

/**
 * A BAL index (km/s) of a normalised spectrum over one window, with baltools' definition (fitbal.calculate_Index):
 * speed v = c (lambda - lambda_ion) / lambda_ion; inside vmin <= v < vmax a trough is a run of pixels where
 * 1 - f / threshold > 0 spanning more than `minWidth`, and the index sums (1 - f / threshold) dv over each trough once
 * the run is `minWidth` wide. `restWave` must increase; `normFlux` is the flux divided by the unabsorbed model
 * (1 = no absorption). This is the noiseless form: baltools' 0.5 sigma allowance, its single-pixel gap bridging and
 * the AI significance test need flux errors and are not applied.
 *
 * @example
 * const { index, troughs } = balIndex(restWave, normFlux, BAL_IONS.CIV, BI_WINDOW); // index is BI
 */
export function balIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
  window: BalWindow,
): { index: number; troughs: BalTroughSpan[] } {
  if (normFlux.length !== restWave.length) {
    throw new QuasarError(`restWave (${restWave.length}) and normFlux (${normFlux.length}) lengths differ`, { scope: 'balIndex' });
  }
  const speed: number[] = [];
  const flux: number[] = [];
  for (let i = 0; i < restWave.length; i++) {
    const v = velocityOffset(restWave[i]!, ionRest);
    if (v >= window.vmin && v < window.vmax) {
      speed.push(v);
      flux.push(normFlux[i]!);
    }
  }
  const troughs: BalTroughSpan[] = [];
  let index = 0;
  let start = -1;
  const close = (end: number) => {
    if (speed[end]! - speed[start]! <= window.minWidth) return;
    let sum = 0;
    for (let k = start + 1; k <= end; k++) {
      // Only the part of the trough beyond its first minWidth counts, as in baltools' calculate_Index.
      if (speed[k]! - speed[start]! >= window.minWidth) sum += (1 - flux[k]! / window.threshold) * (speed[k]! - speed[k - 1]!);
    }
    if (sum > 0) index += sum;
    troughs.push({ vmin: -speed[end]!, vmax: -speed[start]! });
  };
  for (let i = 0; i < speed.length; i++) {
    const absorbed = 1 - flux[i]! / window.threshold > 0;
    if (absorbed && start < 0) start = i;
    else if (!absorbed && start >= 0) {
      close(i - 1);
      start = -1;
    }
  }
  if (start >= 0) close(speed.length - 1);
  return { index, troughs };
}

/**
 * The balnicity index BI (km/s): {@link balIndex} over baltools' BI window (-25000..-3000 km/s, 0.9, troughs wider
 * than 2000 km/s).
 *
 * @example
 * const { bi, troughs } = balnicityIndex(restWave, normFlux, BAL_IONS.CIV); // bi 0 without a BAL trough
 */
export function balnicityIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
): { bi: number; troughs: BalTroughSpan[] } {
  const { index, troughs } = balIndex(restWave, normFlux, ionRest, BI_WINDOW);
  return { bi: index, troughs };
}

/**
 * The absorption index AI (km/s): {@link balIndex} over baltools' AI window (-25000..0 km/s, 0.9, troughs wider than
 * 450 km/s). As in baltools, only the part of each trough beyond its first 450 km/s counts (Hall et al. 2002 count
 * the whole trough).
 *
 * @example
 * const { ai, troughs } = absorptionIndex(restWave, normFlux, BAL_IONS.CIV); // troughs.length is NCIV_450
 */
export function absorptionIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
): { ai: number; troughs: BalTroughSpan[] } {
  const { index, troughs } = balIndex(restWave, normFlux, ionRest, AI_WINDOW);
  return { ai: index, troughs };
}
