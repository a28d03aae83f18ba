import { join } from 'node:path';
import { ZCATALOG_SCHEMA, zcatalogBatches } from '../../bench/fits-read/zcatalog.js';
import { writeFits } from '../../lib/fits/writer/index.js';

/** Bytes per row of the zcatalog-like table (bench/fits-read's generator: 25 columns). */
export const ZCAT_ROW_BYTES = 259;

/**
 * Writes bench/fits-read's seeded zcatalog-like table (HDU 1, EXTNAME Z) of `rows` rows to `dir/name`; returns the path.
 *
 * @example
 * const path = await writeZcatFile(dir, 'zcat.fits', 20_000, 3);
 */
export async function writeZcatFile(dir: string, name: string, rows: number, seed: number): Promise<string> {
  const path = join(dir, name);
  await writeFits(path, [{ kind: 'table', name: 'Z', schema: ZCATALOG_SCHEMA, table: zcatalogBatches({ rows, seed }) }], {
    overwrite: true,
  });
  return path;
}
