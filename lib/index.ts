/**
 * skybook's public API. Each concern lives in its own folder under lib/ (see its README); this file names what users
 * may rely on.
 *
 * @example
 * import { openFits } from 'skybook';
 * const fits = await openFits('zall-pix-iron.fits');
 * const z = await fits.readTable('ZCATALOG', { columns: ['TARGETID', 'Z', 'ZWARN'] });
 */
export {
  FitsFile, openFits, walkHdus, Header, parseCards, parseCardImage, describeColumns, readTable, readBatches, readAsciiTable,
  readImage, readGroups, readCompressedImage, verifyHdu, fitsStats, hduStats, FileSource, MemorySource, HttpSource, openSource, registerScheme,
  sha256File,
} from './fits/index.js';
export type {
  HduRef, HduInfo, HduType, Card, CardValue, Complex, ColumnDesc, ReadTableOptions, ReadImageOptions, FitsImage, ImageArray, ImageDtype,
  RandomGroups, ChecksumVerdict, HduStats, ColumnStats, ImageStats, ByteSource, OpenSourceOptions,
} from './fits/index.js';
export {
  SkybookError, FitsError, SourceError, DesiError, DatasetError, StoreError, NotebookError, KernelError, CellExecutionError, UsageError, InternalError,
} from './errors/index.js';
export type { FitsLocation, NotebookLocation, DesiLocation, DatasetLocation, StoreLocation } from './errors/index.js';
export {
  ang2pixNest, pix2angNest, conePixels, pixelOutline, dr1Location, dr1Relpath, zallPixRelpath, locateDr1, parseDr1FileName,
  DR1_HTTPS_ROOT, DR1_S3_ROOT, DR1_SURVEYS, DR1_PROGRAMS, ZCATALOG_COLUMNS, ZCATALOG_HDU, REDSHIFTS_COLUMNS, REDSHIFTS_HDU,
  FIBERMAP_COLUMNS, FIBERMAP_HDU, EXP_FIBERMAP_COLUMNS, EXP_FIBERMAP_HDU, SCORES_COLUMNS, SCORES_HDU, TSNR2_COLUMNS, TSNR2_HDU,
  ARMS, DR1_WAVELENGTH, dr1Wavelength, SPECTYPES, Bitmask, ZWARN, DESI_TARGET, BGS_TARGET, MWS_TARGET, SCND_TARGET,
  FIBERSTATUS, COADD_FIBERSTATUS, SPECMASK, readDesiTable, readZcatalog, readRedrock, REQUIRED_REDSHIFT_COLUMNS, readSpectra,
  rowsForTargetids, spectrumAt, stitchArms, applyResolution, convolveWithResolution, diagonalOffset, where, whereIn, bitsClear,
  bitsAny, allOf, anyOf, negate, columnsOf, evaluatePredicate, filterTable, takeRows, toSql, goodRedshift, goodRedshiftBgs,
  primarySpectrum, spectype, targetBit, readSdssSpec, desiInfo, detectProduct,
} from './desi/index.js';
export type {
  Dr1Product, Dr1LocationOptions, Dr1Location, Dr1FileName, ColumnSpec, Arm, WavelengthGrid, Spectype, BitDef, DesiInput,
  DesiTableOptions, ReadSpectraOptions, ArmSpectra, Spectra, SpectraProduct, OneSpectrum, StitchedSpectra, StitchOptions,
  Predicate, CompareOp, PredicateValue, SqlOptions, SqlFragment, GoodRedshiftOptions, SdssSpec, DesiInfo, DesiProduct,
} from './desi/index.js';
export {
  openStore, ingest, ingestTable, sql, SqlQuery, tableName, coneSearch, crossMatch, createSkyIndex, PRODUCT_SCHEMAS, SCHEMA_NAMES, validateBatch,
  planColumns, encodeRows, LEDGER_TABLE, QUARANTINE_TABLE,
} from './store/index.js';
export type {
  Store, StoreSession, EngineName, TableRef, OpenStoreOptions, IngestOptions, IngestResult, ProductSchema, SkyColumns, CrossMatchOptions,
  ColumnPlan, SqlValue, LoadRecord,
} from './store/index.js';
export {
  parseNotebook, stringifyNotebook, readNotebook, writeNotebook, findKernelSpec, listKernelSpecs, jupyterDataDirs, KernelSession, KernelClient,
  KernelProcess, Wire, Translator, PythonTranslator, TypeScriptTranslator, registerTranslator, translatorFor, parseParameterCell, notebookParameters,
  coerceCliValue, checkParameters, injectParameters, runNotebook, exportHtml,
} from './notebook/index.js';
export type { Notebook, Cell, Output, KernelSpec, ConnectionInfo, ExecuteResult, ParamValue, ParamDecl, ParamType, RunOptions, RunResult, RunStatus, ExportFooter } from './notebook/index.js';
export { normaliseOutputs, cellHashes, hashFile, toRoCrate, readManifest, recordRun, verifyRun, loadNotebookForRun, redactParameters } from './provenance/index.js';
export type { RunRecord, CellHash, FileDigest, RecordRunOptions, RecordedRun, VerifyReport } from './provenance/index.js';
export {
  makeSurvey, surveyZcatalog, surveySpectra, surveyPixels, planSurvey, generatePixel, PRESETS, resolveSurveyOptions, surveyManifest,
  estimateDisk, balnicityIndex, troughsBi, evaluateQuasar, resolutionData, QUASAR_LINES, ANOMALIES, TRUTH_FILES,
  VOID_TRUTH_COLUMNS, QUASAR_TRUTH_COLUMNS, WALL_TRUTH_COLUMNS,
} from './datasets/index.js';
export type {
  MakeSurveyOptions, SurveySummary, StreamOptions, SurveyPreset, SurveyOptions, SurveyPlan, PixelContent, SpectraBatch, ArmBatch,
  SurveyManifest, MockQuasar, QuasarModel, LineTruth, BalTrough, PlantedVoid, PlantedWall, AnomalyKind,
} from './datasets/index.js';
export {
  mimeBundle, registerRenderer, plainText, DISPLAY, isArrowTable, tableHtml, tableText, tableCaption, formatCell, escapeHtml, vectorText,
  toJsonValue, plotlyFigure, isPlotlyFigure, plotlyBundle, PLOTLY_MIME, plotDocument, isElement, elementBundle, renumberIds,
} from './viz/index.js';
export type { MimeBundle, Renderer, ArrowTableLike, TableViewOptions, PlotlyFigure, ElementLike } from './viz/index.js';
