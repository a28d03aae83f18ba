import { emissionLine } from './emission-lines.js';

/**
 * Rest wavelengths (vacuum, Angstrom) baltools measures BAL troughs against: CIV 1549.48 and the SiIV+OIV] blend 1398.
 *
 * @example
 * BAL_IONS.CIV; // 1549.48
 */
export const BAL_IONS = { CIV: emissionLine('CIV').rest, SIIV: emissionLine('SIIV').rest } as const;

/**
 * The redshifts baltools searches for BALs (balconfig BAL_ZMIN, BAL_ZMAX: 1.57 <= z <= 5): at z = 1.57 the blue edge
 * of the CIV BI window (-25000 km/s, 1420 A rest) lies at 3650 A, on DESI's B arm.
 *
 * @example
 * const searched = z >= BAL_REDSHIFT.min && z <= BAL_REDSHIFT.max;
 */
export const BAL_REDSHIFT = { min: 1.57, max: 5.0 } as const;

/**
 * A velocity window and thresholds for a BAL index: speeds vmin <= v < vmax (km/s), flux below `threshold` of the
 * continuum, troughs wider than `minWidth` km/s.
 *
 * @example
 * const w: BalWindow = { vmin: -25000, vmax: 0, threshold: 0.9, minWidth: 450 };
 */
export interface BalWindow {
  readonly vmin: number;
  readonly vmax: number;
  readonly threshold: number;
  readonly minWidth: number;
}

/**
 * The balnicity index (BI) window of baltools (Weymann et al. 1991): -25000..-3000 km/s, 0.9 of the continuum,
 * troughs wider than 2000 km/s.
 *
 * @example
 * BI_WINDOW.minWidth; // 2000 km/s
 */
export const BI_WINDOW = { vmin: -25000, vmax: -3000, threshold: 0.9, minWidth: 2000 } as const satisfies BalWindow;

/**
 * The absorption index (AI) window of baltools (after Hall et al. 2002): -25000..0 km/s, 0.9 of the continuum,
 * troughs wider than 450 km/s.
 *
 * @example
 * AI_WINDOW.vmax; // 0
 */
export const AI_WINDOW = { vmin: -25000, vmax: 0, threshold: 0.9, minWidth: 450 } as const satisfies BalWindow;
