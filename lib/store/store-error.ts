import { SkybookError } from '../errors/index.js';

/**
 * Where a store problem sits: the target table and, for ingest, the source file, HDU, column and row.
 *
 * @example
 * new StoreError('bad row', { file: 'z.fits', hdu: 'ZCATALOG', row: 17 })
 */
export interface StoreLocation {
  table?: string;
  file?: string;
  hdu?: string | number;
  column?: string;
  row?: number;
}

/**
 * A store problem: a bad option, URL or table name (exit code 2), a refused load (changed file without `--replace`, 2),
 * or a database that failed the work (1). The message names the table, file, HDU, column and row that are known.
 *
 * @example
 * throw new StoreError('column TARGET_RA missing', { table: 'zcat', file: 'zall.fits', hdu: 'ZCATALOG' });
 */
export class StoreError extends SkybookError {
  readonly location: StoreLocation;

  constructor(problem: string, location: StoreLocation = {}, exitCode: 1 | 2 = 2, options?: { cause?: unknown }) {
    super(formatStoreLocation(location) + problem, exitCode, options);
    this.location = location;
  }
}

function formatStoreLocation(loc: StoreLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.hdu !== undefined) parts.push(`HDU ${loc.hdu}`);
  if (loc.table !== undefined) parts.push(`table ${loc.table}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  return parts.length ? parts.join(': ') + ': ' : '';
}
