import type { ColumnSpec } from './column-spec.js';
import { InternalError } from '../../errors/index.js';
import { FIBERMAP_COLUMNS } from './fibermap.js';
import { REDSHIFTS_COLUMNS } from './redshifts.js';
import { TSNR2_COLUMNS } from './tsnr2.js';

// The zcatalog joins REDSHIFTS, FIBERMAP and TSNR2 of the redrock files, so its columns are taken from those specs
// (same TFORMs and units as the real files) and arranged in desidatamodel's zpix order.

const ZCAT_IDS: ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', description: 'Unique DESI target ID' },
  { name: 'SURVEY', tform: '7A', description: 'Survey name (main, sv1, sv3, special, cmx ...)' },
  { name: 'PROGRAM', tform: '6A', description: 'DESI program: dark, bright, backup, other' },
  { name: 'HEALPIX', tform: 'J', description: 'HEALPix pixel of the target at nside 64, NESTED' },
  { name: 'SPGRPVAL', tform: 'J', description: 'Value by which spectra are grouped for a coadd (the healpix pixel here)' },
];

/** Survey-specific target masks: present only in files that hold targets of those surveys. */
const ZCAT_SURVEY_MASKS: ColumnSpec[] = [
  { name: 'CMX_TARGET', tform: 'K', description: 'Commissioning target bitmask', optional: true },
  { name: 'SV1_DESI_TARGET', tform: 'K', description: 'SV1 dark-time target bitmask', optional: true },
  { name: 'SV1_BGS_TARGET', tform: 'K', description: 'SV1 BGS target bitmask', optional: true },
  { name: 'SV1_MWS_TARGET', tform: 'K', description: 'SV1 MWS target bitmask', optional: true },
  { name: 'SV1_SCND_TARGET', tform: 'K', description: 'SV1 secondary target bitmask', optional: true },
  { name: 'SV2_DESI_TARGET', tform: 'K', description: 'SV2 dark-time target bitmask', optional: true },
  { name: 'SV2_BGS_TARGET', tform: 'K', description: 'SV2 BGS target bitmask', optional: true },
  { name: 'SV2_MWS_TARGET', tform: 'K', description: 'SV2 MWS target bitmask', optional: true },
  { name: 'SV2_SCND_TARGET', tform: 'K', description: 'SV2 secondary target bitmask', optional: true },
  { name: 'SV3_DESI_TARGET', tform: 'K', description: 'SV3 dark-time target bitmask', optional: true },
  { name: 'SV3_BGS_TARGET', tform: 'K', description: 'SV3 BGS target bitmask', optional: true },
  { name: 'SV3_MWS_TARGET', tform: 'K', description: 'SV3 MWS target bitmask', optional: true },
  { name: 'SV3_SCND_TARGET', tform: 'K', description: 'SV3 secondary target bitmask', optional: true },
];

const ZCAT_EXTRAS: ColumnSpec[] = [
  { name: 'SV_NSPEC', tform: 'I', description: 'Number of coadded spectra of this TARGETID in SV (sv1+sv2+sv3)', optional: true },
  { name: 'SV_PRIMARY', tform: 'L', description: 'True for the primary SV spectrum of this TARGETID', optional: true },
  { name: 'MAIN_NSPEC', tform: 'I', description: 'Number of coadded spectra of this TARGETID in the main survey', optional: true },
  { name: 'MAIN_PRIMARY', tform: 'L', description: 'True for the primary main-survey spectrum of this TARGETID', optional: true },
  { name: 'ZCAT_NSPEC', tform: 'I', description: 'Number of times this TARGETID appears in the catalogue' },
  { name: 'ZCAT_PRIMARY', tform: 'L', description: 'True for the primary (best) spectrum of this TARGETID in the catalogue' },
  { name: 'DESINAME', tform: '22A', description: 'Sky-position name DESI JXXX.XXXX[+/-]YY.YYYY' },
];

function slice(cols: readonly ColumnSpec[], from: string, to: string): ColumnSpec[] {
  const a = cols.findIndex((c) => c.name === from);
  const b = cols.findIndex((c) => c.name === to);
  if (a < 0 || b < a) throw new InternalError(`no column range ${from}..${to}`, { scope: 'datamodel' });
  return cols.slice(a, b + 1);
}

const byName = (cols: readonly ColumnSpec[], name: string): ColumnSpec => cols.find((c) => c.name === name)!;

/** TSNR2 columns in the zcatalog's order (per arm B, R, Z, then the sums), which differs from the TSNR2 HDU's. */
const ZCAT_TSNR2 = ['_B', '_R', '_Z', ''].flatMap((arm) =>
  ['GPBDARK', 'ELG', 'GPBBRIGHT', 'LYA', 'BGS', 'GPBBACKUP', 'QSO', 'LRG'].map((t) => byName(TSNR2_COLUMNS, `TSNR2_${t}${arm}`)),
);

/**
 * Columns of the ZCATALOG HDU of zpix-SURVEY-PROGRAM.fits and zall-pix-SPECPROD.fits (zcatalog v1, DR1/iron) in
 * desidatamodel's zpix order: TARGETID SURVEY PROGRAM HEALPIX SPGRPVAL, the redrock columns (FITMETHOD is not in
 * iron), the fibermap columns with the survey target masks before DESI_TARGET, TSNR2_*, SV_/MAIN_/ZCAT_ NSPEC and
 * PRIMARY, DESINAME. Columns marked optional appear only in some files (SVn_/CMX_ masks; SV_/MAIN_ only in zall-pix).
 *
 * @example
 * import { ZCATALOG_COLUMNS } from 'skybook';
 * const tforms = Object.fromEntries(ZCATALOG_COLUMNS.map((c) => [c.name, c.tform])); // { TARGETID: 'K', SURVEY: '7A', ... }
 */
export const ZCATALOG_COLUMNS: readonly ColumnSpec[] = [
  ...ZCAT_IDS,
  ...REDSHIFTS_COLUMNS.filter((c) => c.name !== 'TARGETID' && c.name !== 'FITMETHOD'),
  ...slice(FIBERMAP_COLUMNS, 'COADD_FIBERSTATUS', 'NUMOBS_INIT').filter((c) => c.name !== 'DESINAME'),
  ...ZCAT_SURVEY_MASKS,
  ...slice(FIBERMAP_COLUMNS, 'DESI_TARGET', 'MEAN_MJD'),
  ...ZCAT_TSNR2,
  ...ZCAT_EXTRAS,
];

/** EXTNAME of the HDU these columns belong to. @example ZCATALOG_HDU === 'ZCATALOG' */
export const ZCATALOG_HDU = 'ZCATALOG';
