import type { Table } from 'apache-arrow';
import { requireColumns, requireHdu, withFits, type DesiInput } from './open.js';
import { readNamedTable, type DesiTableOptions } from './table.js';

/**
 * Columns every redshift table (REDSHIFTS, ZCATALOG) must have for skybook to treat it as one.
 *
 * @example
 * REQUIRED_REDSHIFT_COLUMNS.includes('DELTACHI2'); // true
 */
export const REQUIRED_REDSHIFT_COLUMNS = ['TARGETID', 'Z', 'ZERR', 'ZWARN', 'SPECTYPE', 'DELTACHI2'] as const;

/**
 * Reads a zcatalog (`zall-pix-SPECPROD.fits`, `zpix-SURVEY-PROGRAM.fits`): the ZCATALOG HDU (default) or its
 * EXP_FIBERMAP, with column and TARGETID selection. A file without the HDU or the redshift columns is bad input (exit 2).
 *
 * @example
 * const qso = await readZcatalog('zall-pix-iron.fits', { columns: ['TARGETID', 'Z', 'ZWARN', 'ZCAT_PRIMARY'] });
 */
export function readZcatalog(input: DesiInput, opts: DesiTableOptions & { hdu?: 'ZCATALOG' | 'EXP_FIBERMAP' } = {}): Promise<Table> {
  return readChecked(input, opts.hdu ?? 'ZCATALOG', 'a zcatalog file (zall-pix / zpix)', opts);
}

/**
 * Reads a redrock file's REDSHIFTS (default), FIBERMAP, EXP_FIBERMAP or TSNR2 HDU by name.
 *
 * @example
 * const z = await readRedrock('redrock-main-dark-27247.fits', { targetids: [39627745623525818n] });
 */
export function readRedrock(
  input: DesiInput,
  opts: DesiTableOptions & { hdu?: 'REDSHIFTS' | 'FIBERMAP' | 'EXP_FIBERMAP' | 'TSNR2' } = {},
): Promise<Table> {
  return readChecked(input, opts.hdu ?? 'REDSHIFTS', 'a redrock file (REDSHIFTS, FIBERMAP, EXP_FIBERMAP, TSNR2)', opts);
}

async function readChecked(input: DesiInput, hduName: string, what: string, opts: DesiTableOptions): Promise<Table> {
  return withFits(
    input,
    async (f) => {
      const hdu = requireHdu(f, hduName, what);
      requireColumns(f, hdu, hduName === 'REDSHIFTS' || hduName === 'ZCATALOG' ? REQUIRED_REDSHIFT_COLUMNS : ['TARGETID']);
      return readNamedTable(f, hduName, what, opts);
    },
    opts.open,
  );
}
