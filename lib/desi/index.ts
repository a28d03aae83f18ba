export { ang2pixNest, pix2angNest, conePixels, pixelOutline } from './healpix.js';
export {
  dr1Location,
  dr1Relpath,
  zallPixRelpath,
  locateDr1,
  parseDr1FileName,
  DR1_HTTPS_ROOT,
  DR1_S3_ROOT,
  DR1_SURVEYS,
  DR1_PROGRAMS,
} from './layout.js';
export type { Dr1Product, Dr1LocationOptions, Dr1Location, Dr1FileName } from './layout.js';
export {
  ZCATALOG_COLUMNS,
  ZCATALOG_HDU,
  REDSHIFTS_COLUMNS,
  REDSHIFTS_HDU,
  FIBERMAP_COLUMNS,
  FIBERMAP_HDU,
  EXP_FIBERMAP_COLUMNS,
  EXP_FIBERMAP_HDU,
  SCORES_COLUMNS,
  SCORES_HDU,
  TSNR2_COLUMNS,
  TSNR2_HDU,
  ARMS,
  DR1_WAVELENGTH,
  dr1Wavelength,
  SPECTYPES,
} from './datamodel/index.js';
export type { ColumnSpec, Arm, WavelengthGrid, Spectype } from './datamodel/index.js';
export {
  Bitmask,
  ZWARN,
  DESI_TARGET,
  BGS_TARGET,
  MWS_TARGET,
  SCND_TARGET,
  FIBERSTATUS,
  COADD_FIBERSTATUS,
  SPECMASK,
} from './bitmasks/index.js';
export type { BitDef } from './bitmasks/index.js';
export { rowsForTargetids, readDesiTable, readZcatalog, readRedrock, REQUIRED_REDSHIFT_COLUMNS, readSpectra } from './read/index.js';
export type { DesiInput, DesiTableOptions, ReadSpectraOptions } from './read/index.js';
export { spectrumAt, stitchArms, unionGrid, applyResolution, convolveWithResolution, diagonalOffset } from './spectra/index.js';
export type { ArmSpectra, Spectra, SpectraProduct, OneSpectrum, StitchedSpectra, StitchOptions } from './spectra/index.js';
export {
  where,
  whereIn,
  bitsClear,
  bitsAny,
  allOf,
  anyOf,
  negate,
  columnsOf,
  evaluatePredicate,
  filterTable,
  takeRows,
  toSql,
  goodRedshift,
  goodRedshiftBgs,
  primarySpectrum,
  spectype,
  targetBit,
} from './quality/index.js';
export type { Predicate, CompareOp, PredicateValue, SqlOptions, SqlFragment, GoodRedshiftOptions } from './quality/index.js';
export { readSdssSpec } from './sdss/index.js';
export type { SdssSpec } from './sdss/index.js';
export { desiInfo, detectProduct } from './info.js';
export type { CatalogSummary, DesiInfo, DesiProduct } from './info.js';
export { desiInfoDir } from './info-dir.js';
export type { DesiDirInfo } from './info-dir.js';
