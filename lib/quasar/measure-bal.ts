import { QuasarError } from '../errors/index.js';
import { BAL_COLUMNS, BAL_TROUGH_SLOTS, type BalCatalogRow, type BalIon } from './bal-columns.js';
import { absorptionIndex, type BalTroughSpan, balnicityIndex, type NamedIndexOptions } from './bal-index.js';
import { AI_WINDOW, BAL_IONS, BAL_REDSHIFT } from './bal-windows.js';
import { velocityOffset } from './velocity.js';
import { medianInPlace } from './median.js';

/**
 * Options of {@link measureBal}: the quasar's redshift (only 1.57 <= z <= 5 is measured, as baltools), an optional
 * pixel mask (non-zero = bad; pixels with ivar 0 are bad anyway), the widest stretch without good pixels (km/s,
 * default 1000) tolerated inside an ion's -25000..0 km/s window or at its edges, and which ERR_BI / ERR_AI to give:
 * 'propagated' (default: the 1 sigma error of the index from the flux errors) or 'baltools' (the DESI catalogue's
 * formula, for comparing with it; see {@link BalIndexOptions}).
 *
 * @example
 * const opts: MeasureBalOptions = { z: 2.31, mask: stitched.mask, maxGap: 1000, errors: 'propagated' };
 */
export interface MeasureBalOptions {
  z: number;
  mask?: ArrayLike<number>;
  maxGap?: number;
  errors?: 'propagated' | 'baltools';
}

/**
 * What {@link measureBal} returns: one BAL catalogue row and, per ion, why it was not measured (null when it was).
 * An unmeasured ion has NaN indices and errors, N = -1 and NaN trough vectors.
 *
 * @example
 * const m: BalMeasurement = measureBal(rest, flux, ivar, model, { z: 1.2 });
 * m.reason.CIV; // 'z = 1.2 is outside the BAL search range 1.57 <= z <= 5 (baltools BAL_ZMIN, BAL_ZMAX)'
 */
export type BalMeasurement = BalCatalogRow & { reason: Record<BalIon, string | null> };

const IONS: readonly BalIon[] = ['CIV', 'SIIV'];

/**
 * The DESI BAL catalogue quantities of one quasar spectrum (BI, AI with errors, trough counts and VMIN/VMAX for CIV
 * and SiIV, SNR_CIV), given its unabsorbed model (continuum + emission, same grid and flux units). As baltools'
 * calculatebalinfo: flux and error are divided by the model, troughs found with the 0.5 sigma allowance and gap
 * bridging, at most 5 BI and 17 AI troughs kept, and an ion is searched only where median flux > median error in its
 * window. Bad pixels (ivar 0, mask set, non-finite, model <= 0) are dropped, not read as unabsorbed as baltools'
 * huge errors make them. Never throws on data: an ion whose window is not covered by good pixels, or too noisy, or a
 * redshift outside 1.57..5 gives NaN and a `reason`; arrays of different lengths or a decreasing grid throw.
 *
 * @example
 * const m = measureBal(stitched.wavelength.map((w) => w / (1 + z)), stitched.flux, stitched.ivar, model, { z });
 * if (m.reason.CIV === null && m.BI_CIV > 0) console.log('BAL', m.BI_CIV, '+/-', m.ERR_BI_CIV, m.VMAX_CIV_2000);
 */
export function measureBal(
  restWave: ArrayLike<number>,
  flux: ArrayLike<number>,
  ivar: ArrayLike<number>,
  model: ArrayLike<number>,
  options: MeasureBalOptions,
): BalMeasurement {
  const { z, mask, maxGap = 1000, errors = 'propagated' } = options;
  const n = restWave.length;
  for (const [name, a] of [
    ['flux', flux],
    ['ivar', ivar],
    ['model', model],
    ['mask', mask],
  ] as const) {
    if (a && a.length !== n) throw new QuasarError(`${name} has ${a.length} pixels, restWave ${n}`, { scope: 'measureBal' });
  }
  if (!Number.isFinite(z)) throw new QuasarError(`invalid z: ${z}`, { scope: 'measureBal' });
  if (!(maxGap > 0)) throw new QuasarError(`invalid maxGap: ${maxGap} (km/s, > 0)`, { scope: 'measureBal' });
  if (errors !== 'propagated' && errors !== 'baltools')
    throw new QuasarError(`invalid errors: ${String(errors)} (propagated or baltools)`, { scope: 'measureBal' });
  for (let i = 1; i < n; i++) {
    if (!(restWave[i]! > restWave[i - 1]!))
      throw new QuasarError(`restWave must increase: ${restWave[i - 1]} then ${restWave[i]} at pixel ${i}`, { scope: 'measureBal' });
  }
  const row = unmeasuredRow();
  const reason: Record<BalIon, string | null> = { CIV: null, SIIV: null };
  if (!(z >= BAL_REDSHIFT.min && z <= BAL_REDSHIFT.max)) {
    const why = `z = ${z} is outside the BAL search range ${BAL_REDSHIFT.min} <= z <= ${BAL_REDSHIFT.max} (baltools BAL_ZMIN, BAL_ZMAX)`;
    return { ...row, reason: { CIV: why, SIIV: why } };
  }
  const good = goodPixels(restWave, flux, ivar, model, mask);
  for (const ion of IONS) {
    const lam = BAL_IONS[ion];
    const inWindow = good.filter((i) => {
      const v = velocityOffset(restWave[i]!, lam);
      return v >= AI_WINDOW.vmin && v < AI_WINDOW.vmax;
    });
    const gap = coverageProblem(
      inWindow.map((i) => velocityOffset(restWave[i]!, lam)),
      maxGap,
    );
    if (gap) {
      reason[ion] = `${ion} window (${AI_WINDOW.vmin}..${AI_WINDOW.vmax} km/s of ${lam} A) not covered by good pixels: ${gap}`;
      continue;
    }
    const err = inWindow.map((i) => 1 / Math.sqrt(ivar[i]!));
    const f = inWindow.map((i) => flux[i]!);
    if (ion === 'CIV') row.SNR_CIV = median(f.map((fi, k) => fi / err[k]!));
    // baltools searches an ion only where the spectrum is, on the median, above its error.
    const mf = median(f);
    const me = median(err);
    if (!(mf > me)) {
      reason[ion] = `${ion} window too noisy: median flux ${mf.toPrecision(3)} <= median error ${me.toPrecision(3)} (baltools' cut)`;
      continue;
    }
    const rest = inWindow.map((i) => restWave[i]!);
    const normFlux = inWindow.map((i) => flux[i]! / model[i]!);
    const normErr = inWindow.map((i, k) => err[k]! / model[i]!);
    let opts: NamedIndexOptions = { normErr };
    let ai = absorptionIndex(rest, normFlux, lam, { ...opts, maxTroughs: BAL_TROUGH_SLOTS.AI });
    if (errors === 'baltools') {
      // baltools' mismatch term needs the AI troughs first (it averages over the pixels outside them).
      const models = inWindow.map((i) => model[i]!);
      const diff = meanMismatch(rest, f, models, lam, ai.troughs);
      opts = { normErr, errorModel: 'baltools', mismatch: models.map((m) => diff / m) };
      ai = absorptionIndex(rest, normFlux, lam, { ...opts, maxTroughs: BAL_TROUGH_SLOTS.AI });
    }
    const bi = balnicityIndex(rest, normFlux, lam, { ...opts, maxTroughs: BAL_TROUGH_SLOTS.BI });
    setIndex(row, ion, '2000', bi.bi, bi.errBi, bi.troughs, BAL_TROUGH_SLOTS.BI);
    setIndex(row, ion, '450', ai.ai, ai.errAi, ai.troughs, BAL_TROUGH_SLOTS.AI);
  }
  return { ...row, reason };
}

/** baltools' model-mismatch term: mean |model - flux| over the window's pixels outside the AI troughs. */
function meanMismatch(rest: number[], flux: number[], model: number[], lam: number, troughs: BalTroughSpan[]): number {
  let sum = 0;
  let count = 0;
  rest.forEach((w, k) => {
    const speed = -velocityOffset(w, lam);
    if (troughs.some((t) => speed >= t.vmin && speed <= t.vmax)) return;
    sum += Math.abs(model[k]! - flux[k]!);
    count++;
  });
  return count > 0 ? sum / count : 0;
}

function goodPixels(
  restWave: ArrayLike<number>,
  flux: ArrayLike<number>,
  ivar: ArrayLike<number>,
  model: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
): number[] {
  const good: number[] = [];
  for (let i = 0; i < restWave.length; i++) {
    const ok = ivar[i]! > 0 && Number.isFinite(ivar[i]!) && Number.isFinite(flux[i]!) && model[i]! > 0 && Number.isFinite(model[i]!);
    if (ok && (mask === undefined || mask[i] === 0)) good.push(i);
  }
  return good;
}

/** Why good pixels at `speeds` (increasing) do not cover the AI window, or null. */
function coverageProblem(speeds: number[], maxGap: number): string | null {
  if (speeds.length === 0) return 'none there';
  const edges = [AI_WINDOW.vmin, ...speeds, AI_WINDOW.vmax];
  for (let k = 1; k < edges.length; k++) {
    const width = edges[k]! - edges[k - 1]!;
    if (width > maxGap) return `${Math.round(width)} km/s without any from ${Math.round(edges[k - 1]!)} km/s (maxGap ${maxGap} km/s)`;
  }
  return null;
}

/** An index and its troughs into the row, as baltools reports them: no trough counts when the index is 0. */
function setIndex(
  row: BalCatalogRow,
  ion: BalIon,
  width: '2000' | '450',
  index: number,
  err: number,
  troughs: BalTroughSpan[],
  slots: number,
) {
  const r = row as unknown as Record<string, number | number[]>;
  const name = width === '2000' ? 'BI' : 'AI';
  const kept = index > 0 ? troughs : [];
  r[`${name}_${ion}`] = index;
  r[`ERR_${name}_${ion}`] = index > 0 ? err : 0;
  r[`N${ion}_${width}`] = kept.length;
  r[`VMIN_${ion}_${width}`] = Array.from({ length: slots }, (_, k) => kept[k]?.vmin ?? -1);
  r[`VMAX_${ion}_${width}`] = Array.from({ length: slots }, (_, k) => kept[k]?.vmax ?? -1);
}

function unmeasuredRow(): BalCatalogRow {
  const r: Record<string, number | number[]> = {};
  for (const c of BAL_COLUMNS) {
    const repeat = /^(\d+)E$/.exec(c.tform);
    r[c.name] = repeat ? new Array<number>(Number(repeat[1])).fill(Number.NaN) : c.tform === 'J' ? -1 : Number.NaN;
  }
  return r as unknown as BalCatalogRow;
}

function median(values: number[]): number {
  return medianInPlace(Float64Array.from(values));
}
