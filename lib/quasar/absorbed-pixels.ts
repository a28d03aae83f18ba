import { firstAtLeast } from './first-at-least.js';
import type { RestSpectrum } from './rest-frame.js';

/**
 * The rest wavelengths (Angstrom) where broad absorption troughs of CIV and SiIV (and NV) lie blueward of their
 * emission lines: pixels there that sit well below the unabsorbed model are dropped and the fit repeated.
 *
 * @example
 * ABSORPTION_REGION; // [1260, 1545]
 */
export const ABSORPTION_REGION = [1260, 1545] as const;

const HALF = 15;

/**
 * Marks (use[i] = 0) the pixels of {@link ABSORPTION_REGION} lying significantly below `model`: where the residuals
 * (f - model) sqrt(ivar), summed over the 31 pixels around, fall below -3.5 sigma and the flux there is more than 5%
 * below the model (shallower dips do not matter to BAL indices, whose threshold is 10%); each run is grown by 3
 * pixels to take the trough edges. A trough is tens of pixels wide, so the smoothed test finds troughs that no single
 * noisy pixel would reveal. Returns the number of newly marked pixels.
 *
 * @example
 * while (markAbsorbed(rest, use, model) > 0) refit();
 */
export function markAbsorbed(rest: RestSpectrum, use: Uint8Array, model: Float64Array): number {
  const { wave, flux, ivar } = rest;
  const n = wave.length;
  const i0 = firstAtLeast(wave, ABSORPTION_REGION[0]);
  let i1 = i0;
  while (i1 < n && wave[i1]! <= ABSORPTION_REGION[1]) i1++;
  if (i1 - i0 < 2 * HALF) return 0;
  // Window sums from running sums over the pixels the windows can reach: O(n) where summing each window was O(31 n).
  const a = Math.max(i0 - HALF, 0);
  const b = Math.min(i1 + HALF, n);
  const len = b - a + 1;
  const cr = new Float64Array(len);
  const cd = new Float64Array(len);
  const cm = new Float64Array(len);
  const cc = new Int32Array(len);
  for (let j = a; j < b; j++) {
    const k = j - a;
    cr[k + 1] = cr[k]!;
    cd[k + 1] = cd[k]!;
    cm[k + 1] = cm[k]!;
    cc[k + 1] = cc[k]!;
    if (!use[j]) continue;
    const d = model[j]! - flux[j]!;
    cr[k + 1] -= d * Math.sqrt(ivar[j]!);
    cd[k + 1] += d;
    cm[k + 1] += model[j]!;
    cc[k + 1]++;
  }
  const flag = new Uint8Array(n);
  for (let i = i0; i < i1; i++) {
    if (!use[i]) continue;
    const lo = Math.max(i - HALF, 0) - a;
    const hi = Math.min(i + HALF, n - 1) - a + 1;
    const count = cc[hi]! - cc[lo]!;
    const sr = cr[hi]! - cr[lo]!;
    const sd = cd[hi]! - cd[lo]!;
    const sm = cm[hi]! - cm[lo]!;
    if (count >= 5 && sr / Math.sqrt(count) < -3.5 && sm > 0 && sd / sm > 0.05) flag[i] = 1;
  }
  let marked = 0;
  for (let i = i0; i < i1; i++) {
    if (!flag[i]) continue;
    for (let j = Math.max(i - 3, i0); j <= Math.min(i + 3, i1 - 1); j++) {
      if (use[j]) {
        use[j] = 0;
        marked++;
      }
    }
  }
  return marked;
}
