import type { ColumnSpec } from './column-spec.js';

/**
 * Columns of the EXP_FIBERMAP HDU (one row per exposure of each target) of coadd, redrock and zpix files, in the real order and TFORMs.
 * Source: the HDU headers of the real files in fixtures/desi and desidatamodel (units, descriptions paraphrased).
 *
 * @example
 * import { EXP_FIBERMAP_COLUMNS } from 'skybook';
 * const tforms = Object.fromEntries(EXP_FIBERMAP_COLUMNS.map((c) => [c.name, c.tform])); // { TARGETID: 'K', ... }
 */
export const EXP_FIBERMAP_COLUMNS: readonly ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', description: 'Unique DESI target ID' },
  { name: 'PRIORITY', tform: 'J', description: 'Current target priority' },
  { name: 'SUBPRIORITY', tform: 'D', description: 'Random subpriority in [0, 1) that breaks assignment ties' },
  { name: 'NIGHT', tform: 'J', description: 'Night of observation YYYYMMDD' },
  { name: 'EXPID', tform: 'J', description: 'Exposure id' },
  { name: 'MJD', tform: 'D', unit: 'd', description: 'MJD when the shutter opened' },
  { name: 'TILEID', tform: 'J', description: 'Tile id' },
  { name: 'EXPTIME', tform: 'D', unit: 's', description: 'Shutter-open time' },
  { name: 'PETAL_LOC', tform: 'I', description: 'Petal location 0-9' },
  { name: 'DEVICE_LOC', tform: 'J', description: 'Device location on the petal 0-523' },
  { name: 'LOCATION', tform: 'K', description: 'PETAL_LOC*1000 + DEVICE_LOC' },
  { name: 'FIBER', tform: 'J', description: 'Fibre number 0-4999' },
  { name: 'FIBERSTATUS', tform: 'J', description: 'Per-exposure fibre status bitmask (0 = good)' },
  { name: 'FIBERASSIGN_X', tform: 'E', unit: 'mm', description: 'Expected CS5 X from fiberassign' },
  { name: 'FIBERASSIGN_Y', tform: 'E', unit: 'mm', description: 'Expected CS5 Y from fiberassign' },
  { name: 'LAMBDA_REF', tform: 'E', unit: 'Angstrom', description: 'Wavelength the fibre is centred for' },
  { name: 'PLATE_RA', tform: 'D', unit: 'deg', description: 'Right ascension used by PlateMaker' },
  { name: 'PLATE_DEC', tform: 'D', unit: 'deg', description: 'Declination used by PlateMaker' },
  { name: 'NUM_ITER', tform: 'K', description: 'Positioner iterations' },
  { name: 'FIBER_X', tform: 'D', unit: 'mm', description: 'CS5 X requested by PlateMaker' },
  { name: 'FIBER_Y', tform: 'D', unit: 'mm', description: 'CS5 Y requested by PlateMaker' },
  { name: 'DELTA_X', tform: 'D', unit: 'mm', description: 'CS5 X requested minus actual' },
  { name: 'DELTA_Y', tform: 'D', unit: 'mm', description: 'CS5 Y requested minus actual' },
  { name: 'FIBER_RA', tform: 'D', unit: 'deg', description: 'Right ascension of the actual fibre position' },
  { name: 'FIBER_DEC', tform: 'D', unit: 'deg', description: 'Declination of the actual fibre position' },
  { name: 'PSF_TO_FIBER_SPECFLUX', tform: 'D', description: 'Fraction of a point source captured by the fibre' },
  { name: 'IN_COADD_B', tform: 'L', description: 'True when this exposure of this fibre entered the B coadd' },
  { name: 'IN_COADD_R', tform: 'L', description: 'True when this exposure of this fibre entered the R coadd' },
  { name: 'IN_COADD_Z', tform: 'L', description: 'True when this exposure of this fibre entered the Z coadd' },
];

/** EXTNAME of the HDU these columns belong to. @example EXP_FIBERMAP_HDU === 'EXP_FIBERMAP' */
export const EXP_FIBERMAP_HDU = 'EXP_FIBERMAP';
