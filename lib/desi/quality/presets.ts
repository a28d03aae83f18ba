import type { Bitmask } from '../bitmasks/bitmask.js';
import { allOf, bitsAny, where, type Predicate } from './predicate.js';

/**
 * Thresholds of {@link goodRedshift}.
 *
 * @example
 * goodRedshift({ deltachi2: 40, fiberstatus: false } satisfies GoodRedshiftOptions);
 */
export interface GoodRedshiftOptions {
  /**
   * Minimum DELTACHI2 (strictly greater). Default 25: redrock's LOW_DEL_CHI2 threshold (ZWARN bit 16, "DELTACHI2 below
   * 25") used across DESI for dark-time targets. BGS uses 40 (LOW_DEL_CHI2_BGS, and the BGS clustering catalogues):
   * see {@link goodRedshiftBgs}. ELG and QSO clustering samples use their own criteria (e.g. [OII] S/N, QSO
   * afterburners); this preset is the generic redrock-quality cut, not a clustering selection.
   */
  deltachi2?: number;
  /** Require COADD_FIBERSTATUS == 0 (default true; needs a column from the fibermap / zcatalog). */
  fiberstatus?: boolean;
}

/**
 * A good redrock redshift: ZWARN == 0, DELTACHI2 > threshold (default 25) and COADD_FIBERSTATUS == 0.
 *
 * @example
 * filterTable(zcat, goodRedshift());
 * toSql(goodRedshift({ deltachi2: 40 })); // { sql: '(("ZWARN" = $1) AND ("DELTACHI2" > $2) AND ("COADD_FIBERSTATUS" = $3))', params: [0, 40, 0] }
 */
export function goodRedshift(opts: GoodRedshiftOptions = {}): Predicate {
  const parts = [where('ZWARN', '=', 0), where('DELTACHI2', '>', opts.deltachi2 ?? 25)];
  if (opts.fiberstatus ?? true) parts.push(where('COADD_FIBERSTATUS', '=', 0));
  return allOf(...parts);
}

/** {@link goodRedshift} with the BGS threshold DELTACHI2 > 40. @example filterTable(bright, goodRedshiftBgs()) */
export function goodRedshiftBgs(opts: Omit<GoodRedshiftOptions, 'deltachi2'> = {}): Predicate {
  return goodRedshift({ ...opts, deltachi2: 40 });
}

/**
 * The primary (best) spectrum of each TARGETID: ZCAT_PRIMARY is true (zall-pix; use column 'MAIN_PRIMARY' or
 * 'SV_PRIMARY' for the per-survey flags).
 *
 * @example
 * allOf(goodRedshift(), primarySpectrum())
 */
export function primarySpectrum(column = 'ZCAT_PRIMARY'): Predicate {
  return where(column, '=', true);
}

/** Redrock SPECTYPE equals `t` (GALAXY, QSO or STAR). @example spectype('QSO') */
export function spectype(t: string): Predicate {
  return where('SPECTYPE', '=', t);
}

/**
 * A target bit of a targeting mask is set, e.g. QSO targets: `targetBit(DESI_TARGET, 'QSO')`. The column defaults
 * to the mask's name (DESI_TARGET, BGS_TARGET ...).
 *
 * @example
 * targetBit(DESI_TARGET, 'QSO'); // ("DESI_TARGET" & $1) <> 0 with $1 = 4n
 */
export function targetBit(mask: Bitmask, name: string, column = mask.name): Predicate {
  return bitsAny(column, mask.mask(name));
}
