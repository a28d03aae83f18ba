import type { ColumnSpec } from './column-spec.js';

/**
 * Columns of the SCORES HDU of coadd files (per-arm integrated/median flux and S/N, TSNR2), in the real order and TFORMs.
 * Source: the HDU headers of the real files in fixtures/desi and desidatamodel (units, descriptions paraphrased).
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
  { name: 'TSNR2_BGS_B', tform: 'E', description: 'BGS template (S/N)^2 in the B arm' },
  { name: 'TSNR2_ELG_B', tform: 'E', description: 'ELG template (S/N)^2 in the B arm' },
  { name: 'TSNR2_GPBBACKUP_B', tform: 'E', description: 'GPBBACKUP template (S/N)^2 in the B arm' },
  { name: 'TSNR2_GPBBRIGHT_B', tform: 'E', description: 'GPBBRIGHT template (S/N)^2 in the B arm' },
  { name: 'TSNR2_GPBDARK_B', tform: 'E', description: 'GPBDARK template (S/N)^2 in the B arm' },
  { name: 'TSNR2_LRG_B', tform: 'E', description: 'LRG template (S/N)^2 in the B arm' },
  { name: 'TSNR2_LYA_B', tform: 'E', description: 'LYA template (S/N)^2 in the B arm' },
  { name: 'TSNR2_QSO_B', tform: 'E', description: 'QSO template (S/N)^2 in the B arm' },
  { name: 'TSNR2_BGS_R', tform: 'E', description: 'BGS template (S/N)^2 in the R arm' },
  { name: 'TSNR2_ELG_R', tform: 'E', description: 'ELG template (S/N)^2 in the R arm' },
  { name: 'TSNR2_GPBBACKUP_R', tform: 'E', description: 'GPBBACKUP template (S/N)^2 in the R arm' },
  { name: 'TSNR2_GPBBRIGHT_R', tform: 'E', description: 'GPBBRIGHT template (S/N)^2 in the R arm' },
  { name: 'TSNR2_GPBDARK_R', tform: 'E', description: 'GPBDARK template (S/N)^2 in the R arm' },
  { name: 'TSNR2_LRG_R', tform: 'E', description: 'LRG template (S/N)^2 in the R arm' },
  { name: 'TSNR2_LYA_R', tform: 'E', description: 'LYA template (S/N)^2 in the R arm' },
  { name: 'TSNR2_QSO_R', tform: 'E', description: 'QSO template (S/N)^2 in the R arm' },
  { name: 'TSNR2_BGS_Z', tform: 'E', description: 'BGS template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_ELG_Z', tform: 'E', description: 'ELG template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_GPBBACKUP_Z', tform: 'E', description: 'GPBBACKUP template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_GPBBRIGHT_Z', tform: 'E', description: 'GPBBRIGHT template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_GPBDARK_Z', tform: 'E', description: 'GPBDARK template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_LRG_Z', tform: 'E', description: 'LRG template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_LYA_Z', tform: 'E', description: 'LYA template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_QSO_Z', tform: 'E', description: 'QSO template (S/N)^2 in the Z arm' },
  { name: 'TSNR2_BGS', tform: 'E', description: 'BGS template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_ELG', tform: 'E', description: 'ELG template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_GPBBACKUP', tform: 'E', description: 'GPBBACKUP template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_GPBBRIGHT', tform: 'E', description: 'GPBBRIGHT template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_GPBDARK', tform: 'E', description: 'GPBDARK template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_LRG', tform: 'E', description: 'LRG template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_LYA', tform: 'E', description: 'LYA template (S/N)^2 summed over B, R, Z' },
  { name: 'TSNR2_QSO', tform: 'E', description: 'QSO template (S/N)^2 summed over B, R, Z' },
];

/** EXTNAME of the HDU these columns belong to. @example SCORES_HDU === 'SCORES' */
export const SCORES_HDU = 'SCORES';
