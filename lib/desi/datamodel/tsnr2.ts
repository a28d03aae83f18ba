import type { ColumnSpec } from './column-spec.js';

/**
 * Columns of the TSNR2 HDU of redrock files (template signal-to-noise squared per target class and arm), in the real order and TFORMs.
 * Source: the HDU headers of the real files in fixtures/desi and desidatamodel (units, descriptions paraphrased).
 *
 * @example
 * import { TSNR2_COLUMNS } from 'skybook';
 * const tforms = Object.fromEntries(TSNR2_COLUMNS.map((c) => [c.name, c.tform])); // { TARGETID: 'K', ... }
 */
export const TSNR2_COLUMNS: readonly ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', description: 'Unique DESI target ID' },
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

/** EXTNAME of the HDU these columns belong to. @example TSNR2_HDU === 'TSNR2' */
export const TSNR2_HDU = 'TSNR2';
