import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a store problem sits: the engine, the target table and, for ingest, the source file, HDU, column and row.
 *
 * @example
 * const where: StoreLocation = { file: 'z.fits', hdu: 'ZCATALOG', table: 'zcat', row: 17 };
 */
export type StoreLocation = Pick<Location, 'engine' | 'file' | 'hdu' | 'table' | 'column' | 'row'>;

/**
 * A store problem: a bad option, URL or table name (exit code 2), a refused load (changed file without `--replace`, 2),
 * or a database that failed the work (1). The message names the engine, file, HDU, table, column and row that are known;
 * `detail` carries the engine's `LINE n:` and caret lines for a statement it refused.
 *
 * @example
 * throw new StoreError('column TARGET_RA missing', { table: 'zcat', file: 'zall.fits', hdu: 'ZCATALOG' });
 */
export class StoreError extends SkybookError {
  readonly location: StoreLocation;

  constructor(problem: string, location: StoreLocation = {}, exitCode: 1 | 2 = 2, options?: { cause?: unknown; detail?: string }) {
    super(formatLocation(location) + problem, exitCode, options);
    this.location = location;
  }
}
