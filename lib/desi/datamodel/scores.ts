import type { ColumnSpec } from './column-spec.js';
import { TSNR2_COLUMNS } from './tsnr2.js';

/**
 * Columns of the SCORES HDU of coadd files, in the real order and TFORMs: TARGETID, per-arm integrated/median coadded
 * flux and median S/N, then the TSNR2_* columns in the order of the redrock TSNR2 HDU.
 * Source: the HDU headers of the real files in fixtures/desi and desidatamodel (descriptions paraphrased).
 *
 * @example
 * import { SCORES_COLUMNS } from 'skybook';
 * const tforms = Object.fromEntries(SCORES_COLUMNS.map((c) => [c.name, c.tform])); // { TARGETID: 'K', ... }
 */
export const SCORES_COLUMNS: readonly ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', description: 'Unique DESI target ID' },
  { name: 'INTEG_COADD_FLUX_B', tform: 'E', description: 'Integrated coadded flux in the B arm' },
  { name: 'MEDIAN_COADD_FLUX_B', tform: 'E', description: 'Median coadded flux in the B arm' },
  { name: 'MEDIAN_COADD_SNR_B', tform: 'E', description: 'Median signal-to-noise per pixel in the B arm' },
  { name: 'INTEG_COADD_FLUX_R', tform: 'E', description: 'Integrated coadded flux in the R arm' },
  { name: 'MEDIAN_COADD_FLUX_R', tform: 'E', description: 'Median coadded flux in the R arm' },
  { name: 'MEDIAN_COADD_SNR_R', tform: 'E', description: 'Median signal-to-noise per pixel in the R arm' },
  { name: 'INTEG_COADD_FLUX_Z', tform: 'E', description: 'Integrated coadded flux in the Z arm' },
  { name: 'MEDIAN_COADD_FLUX_Z', tform: 'E', description: 'Median coadded flux in the Z arm' },
  { name: 'MEDIAN_COADD_SNR_Z', tform: 'E', description: 'Median signal-to-noise per pixel in the Z arm' },
  ...TSNR2_COLUMNS.filter((c) => c.name !== 'TARGETID'),
];

/** EXTNAME of the HDU these columns belong to. @example SCORES_HDU === 'SCORES' */
export const SCORES_HDU = 'SCORES';
