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
 * How flux errors enter {@link balIndex} (baltools fitbal.determine_trough_BI / _AI): a pixel is in a trough when
 * 1 - f / threshold - allowance * sigma > 0; one pixel that is not may be bridged when the next one is ('gap'), or only
 * when the two before it are in the trough too ('gap-after-two', baltools' stricter AI rule); with `significance` k a
 * trough is kept only if 1 - (mean f + k * mean sigma / sqrt(N)) / threshold > 0 over its N pixels (baltools' AI test).
 *
 * @example
 * const rules: BalNoiseRules = { allowance: 0.5, bridge: 'gap', significance: undefined };
 */
export interface BalNoiseRules {
  readonly allowance: number;
  readonly bridge: 'gap' | 'gap-after-two';
  readonly significance: number | undefined;
}

/**
 * baltools' rules for BI troughs with flux errors: the 0.5 sigma allowance and single-pixel gap bridging.
 *
 * @example
 * balIndex(rest, flux, BAL_IONS.CIV, BI_WINDOW, { normErr, rules: BI_NOISE_RULES });
 */
export const BI_NOISE_RULES: BalNoiseRules = { allowance: 0.5, bridge: 'gap', significance: undefined };

/**
 * baltools' rules for AI troughs with flux errors: the 0.5 sigma allowance, a gap bridged only after two trough pixels,
 * and the 3 sigma significance test on the trough's mean flux.
 *
 * @example
 * balIndex(rest, flux, BAL_IONS.CIV, AI_WINDOW, { normErr, rules: AI_NOISE_RULES });
 */
export const AI_NOISE_RULES: BalNoiseRules = { allowance: 0.5, bridge: 'gap-after-two', significance: 3 };

/**
 * Options of {@link balIndex}: `normErr`, the 1 sigma error of the normalised flux (flux error / model; Infinity or NaN
 * where a pixel is unusable is not allowed: drop such pixels first), switches on `rules` (default
 * {@link BI_NOISE_RULES}) and the uncertainty; `maxTroughs` keeps only the first (fastest) troughs, as baltools keeps
 * NBI = 5 and NAI = 17. `errorModel` 'baltools' reproduces the DESI catalogue's ERR_BI / ERR_AI instead of the
 * propagated error: sqrt(sum of (sigma^2 + mismatch^2) dv / threshold^2), `mismatch` being baltools' model-mismatch
 * term per pixel (mean |model - flux| off the troughs, divided by the model; 0 if not given).
 *
 * @example
 * const opts: BalIndexOptions = { normErr, rules: AI_NOISE_RULES, maxTroughs: 17 };
 */
export interface BalIndexOptions {
  normErr?: ArrayLike<number>;
  rules?: BalNoiseRules;
  maxTroughs?: number;
  errorModel?: 'propagated' | 'baltools';
  mismatch?: ArrayLike<number>;
}

/**
 * A BAL index (km/s) of a normalised spectrum over one window, with baltools' definition (fitbal.calculate_Index):
 * speed v = c (lambda - lambda_ion) / lambda_ion; inside vmin <= v < vmax a trough is a run of pixels where
 * 1 - f / threshold > 0 spanning more than `minWidth`, and the index sums (1 - f / threshold) dv over each trough once
 * the run is `minWidth` wide. `restWave` must increase; `normFlux` is the flux divided by the unabsorbed model
 * (1 = no absorption). Pixels need not be evenly spaced: dv spans any dropped (masked) pixels.
 *
 * Without `normErr` this is the noiseless form (what the mock's truth BI uses) and `err` is NaN. With it, troughs are
 * found with baltools' noise rules (see {@link BalNoiseRules}) and `err` is the propagated 1 sigma error of the index,
 * sqrt(sum over counted pixels of (sigma dv / threshold)^2) for independent pixels. baltools' own ERR_BI sums
 * (sigma / 0.9)^2 dv without squaring dv and adds a model-mismatch term, so its numbers are not this one's; the
 * `errorModel` 'baltools' option gives those.
 *
 * @example
 * const { index, err, troughs } = balIndex(restWave, normFlux, BAL_IONS.CIV, BI_WINDOW, { normErr }); // index is BI
 */
export function balIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
  window: BalWindow,
  options: BalIndexOptions = {},
): { index: number; err: number; troughs: BalTroughSpan[] } {
  const { normErr, rules = BI_NOISE_RULES, maxTroughs = Number.POSITIVE_INFINITY, errorModel = 'propagated', mismatch } = options;
  if (normFlux.length !== restWave.length) {
    throw new QuasarError(`restWave (${restWave.length}) and normFlux (${normFlux.length}) lengths differ`, { scope: 'balIndex' });
  }
  for (const [name, a] of [
    ['normErr', normErr],
    ['mismatch', mismatch],
  ] as const) {
    if (a && a.length !== restWave.length)
      throw new QuasarError(`restWave (${restWave.length}) and ${name} (${a.length}) lengths differ`, { scope: 'balIndex' });
  }
  const speed: number[] = [];
  const flux: number[] = [];
  const sigma: number[] = [];
  const extra: number[] = [];
  for (let i = 0; i < restWave.length; i++) {
    const v = velocityOffset(restWave[i]!, ionRest);
    if (v >= window.vmin && v < window.vmax) {
      speed.push(v);
      flux.push(normFlux[i]!);
      if (normErr) sigma.push(normErr[i]!);
      extra.push(mismatch ? mismatch[i]! : 0);
    }
  }
  const n = speed.length;
  const absorbed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const depth = 1 - flux[i]! / window.threshold;
    absorbed[i] = (normErr ? depth - rules.allowance * sigma[i]! : depth) > 0 ? 1 : 0;
  }
  const troughs: BalTroughSpan[] = [];
  let index = 0;
  let variance = 0;
  const close = (start: number, end: number) => {
    if (speed[end]! - speed[start]! <= window.minWidth) return;
    if (normErr && rules.significance !== undefined && !significant(flux, sigma, start, end, window.threshold, rules.significance)) return;
    if (troughs.length >= maxTroughs) return;
    let sum = 0;
    let sumVar = 0;
    for (let k = start + 1; k <= end; k++) {
      // Only the part of the trough beyond its first minWidth counts, as in baltools' calculate_Index.
      if (speed[k]! - speed[start]! >= window.minWidth) {
        const dv = speed[k]! - speed[k - 1]!;
        sum += (1 - flux[k]! / window.threshold) * dv;
        if (normErr && errorModel === 'baltools') sumVar += ((sigma[k]! ** 2 + extra[k]! ** 2) * dv) / window.threshold ** 2;
        else if (normErr) sumVar += ((sigma[k]! * dv) / window.threshold) ** 2;
      }
    }
    // A bridged gap can pull a trough's sum below 0; baltools then counts the trough with index 0.
    if (sum > 0) {
      index += sum;
      variance += sumVar;
    }
    troughs.push({ vmin: -speed[end]!, vmax: -speed[start]! });
  };
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (absorbed[i]) {
      if (start < 0) start = i;
    } else if (start >= 0 && !(normErr && bridged(absorbed, i, rules.bridge))) {
      close(start, i - 1);
      start = -1;
    }
  }
  if (start >= 0) close(start, n - 1);
  return { index, err: normErr ? Math.sqrt(variance) : Number.NaN, troughs };
}

/** Whether the unabsorbed pixel i inside an open trough is bridged: the next pixel (not the last) is absorbed. */
function bridged(absorbed: Uint8Array, i: number, rule: BalNoiseRules['bridge']): boolean {
  if (i >= absorbed.length - 2 || !absorbed[i + 1]) return false;
  return rule === 'gap' || (i >= 2 && absorbed[i - 1] === 1 && absorbed[i - 2] === 1);
}

/** baltools' AI test: the trough's mean flux lies below the threshold by more than k errors of that mean. */
function significant(flux: number[], sigma: number[], start: number, end: number, threshold: number, k: number): boolean {
  let f = 0;
  let s = 0;
  for (let i = start; i <= end; i++) {
    f += flux[i]!;
    s += sigma[i]!;
  }
  const npix = end - start + 1;
  return 1 - (f / npix + (k * s) / npix / Math.sqrt(npix)) / threshold > 0;
}

/**
 * Options of {@link balnicityIndex} and {@link absorptionIndex}: {@link BalIndexOptions} less the rules, which each
 * index fixes.
 *
 * @example
 * balnicityIndex(rest, flux, BAL_IONS.CIV, { normErr, maxTroughs: 5 } satisfies NamedIndexOptions);
 */
export type NamedIndexOptions = Omit<BalIndexOptions, 'rules'>;

/**
 * The balnicity index BI (km/s): {@link balIndex} over baltools' BI window (-25000..-3000 km/s, 0.9, troughs wider
 * than 2000 km/s); with `normErr`, baltools' BI noise rules and `errBi` (NaN without).
 *
 * @example
 * const { bi, troughs } = balnicityIndex(restWave, normFlux, BAL_IONS.CIV); // bi 0 without a BAL trough
 * const { errBi } = balnicityIndex(restWave, normFlux, BAL_IONS.CIV, { normErr });
 */
export function balnicityIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
  options: NamedIndexOptions = {},
): { bi: number; errBi: number; troughs: BalTroughSpan[] } {
  const { index, err, troughs } = balIndex(restWave, normFlux, ionRest, BI_WINDOW, { ...options, rules: BI_NOISE_RULES });
  return { bi: index, errBi: err, troughs };
}

/**
 * The absorption index AI (km/s): {@link balIndex} over baltools' AI window (-25000..0 km/s, 0.9, troughs wider than
 * 450 km/s); with `normErr`, baltools' AI noise rules (stricter bridging, 3 sigma test) and `errAi`. As in baltools,
 * only the part of each trough beyond its first 450 km/s counts (Hall et al. 2002 count the whole trough).
 *
 * @example
 * const { ai, troughs } = absorptionIndex(restWave, normFlux, BAL_IONS.CIV); // troughs.length is NCIV_450
 */
export function absorptionIndex(
  restWave: ArrayLike<number>,
  normFlux: ArrayLike<number>,
  ionRest: number,
  options: NamedIndexOptions = {},
): { ai: number; errAi: number; troughs: BalTroughSpan[] } {
  const { index, err, troughs } = balIndex(restWave, normFlux, ionRest, AI_WINDOW, { ...options, rules: AI_NOISE_RULES });
  return { ai: index, errAi: err, troughs };
}
