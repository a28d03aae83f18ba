import type { ColumnSpec } from './column-spec.js';

/**
 * Columns of the REDSHIFTS HDU of redrock files (one row per target), in the real order and TFORMs. FITMETHOD is written by newer redrock versions (the loa-era fixture has it); treat it as optional for DR1/iron.
 * Source: the HDU headers of the real files in fixtures/desi and desidatamodel (units, descriptions paraphrased).
 *
 * @example
 * import { REDSHIFTS_COLUMNS } from 'skybook';
 * const tforms = Object.fromEntries(REDSHIFTS_COLUMNS.map((c) => [c.name, c.tform])); // { TARGETID: 'K', ... }
 */
export const REDSHIFTS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', description: 'Unique DESI target ID' },
  { name: 'Z', tform: 'D', description: 'Redshift measured by Redrock' },
  { name: 'ZERR', tform: 'D', description: 'Redshift uncertainty from Redrock' },
  { name: 'ZWARN', tform: 'K', description: 'Redrock redshift warning bitmask (0 = no warning)' },
  { name: 'CHI2', tform: 'D', description: 'chi^2 of the best fit' },
  { name: 'COEFF', tform: '10D', description: 'Redrock template coefficients' },
  { name: 'FITMETHOD', tform: '4A', description: 'Redrock fit method (PCA, NMF ...)', optional: true },
  { name: 'NPIXELS', tform: 'K', description: 'Unmasked pixels used in the Redrock fit' },
  { name: 'SPECTYPE', tform: '6A', description: 'Spectral type of the best-fit template: GALAXY, QSO or STAR' },
  { name: 'SUBTYPE', tform: '20A', description: 'Spectral subtype of the best-fit template' },
  { name: 'NCOEFF', tform: 'K', description: 'Number of template coefficients' },
  { name: 'DELTACHI2', tform: 'D', description: 'chi^2 difference between the second-best and the best fit' },
];

/** EXTNAME of the HDU these columns belong to. @example REDSHIFTS_HDU === 'REDSHIFTS' */
export const REDSHIFTS_HDU = 'REDSHIFTS';
