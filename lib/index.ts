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
} from './fits/index.js';
export type {
  HduRef, HduInfo, HduType, Card, CardValue, Complex, ColumnDesc, ReadTableOptions, ReadImageOptions, FitsImage, ImageArray, ImageDtype,
  RandomGroups, ChecksumVerdict, HduStats, ColumnStats, ImageStats, ByteSource, OpenSourceOptions,
} from './fits/index.js';
export { SkybookError, FitsError, SourceError } from './errors/index.js';
export type { FitsLocation } from './errors/index.js';
