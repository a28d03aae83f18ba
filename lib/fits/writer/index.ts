export { writeFits } from './write-fits.js';
export { FitsWriter } from './fits-writer.js';
export type { BeginTableOptions } from './fits-writer.js';
export { TableHduWriter } from './table-writer.js';
export type { ImageHdu, TableHdu, TableSource, WriteHdu, WriteOptions } from './types.js';
