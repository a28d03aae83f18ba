import { FitsFile, summarizeHdu, type HduSummary } from '../../fits/index.js';
import { desiKeywords } from './desi-keywords.js';

/**
 * One row of an inventory table: one HDU of one file, or one row for a file that could not be read (`hdu` null and
 * `error` set). The HDU fields are `fits info --json`'s for that HDU; `checksum` and `datasum` are `fits verify`'s
 * verdicts (`ok`, `bad`, `absent`), null unless asked for.
 *
 * @example
 * const r: InventoryRow = { path: '/dr1/redrock-main-dark-27247.fits', size: 2_000_000n, mtimeUs: 1_764_000_000_000_000n, hdu: 1,
 *   summary, keywords: { survey: 'main', hpxpixel: 27247n }, checksum: null, datasum: null, error: null };
 */
export interface InventoryRow {
  /** The absolute path, or the URL as listed. */
  path: string;
  /** Bytes; null when the file could not even be looked at. */
  size: bigint | null;
  /** Modification time in microseconds since 1970 (UTC); null for URLs and files that could not be looked at. */
  mtimeUs: bigint | null;
  hdu: number | null;
  summary: HduSummary | null;
  keywords: Record<string, string | bigint | null>;
  checksum: string | null;
  datasum: string | null;
  error: string | null;
}

/**
 * What the inventory knows of a file before reading it: its size and modification time (local files) or nothing yet
 * (URLs, whose size comes with their headers).
 *
 * @example
 * const f: FileIdentity = { path: '/dr1/a.fits', size: 5760n, mtimeUs: 1764000000000000n };
 */
export interface FileIdentity {
  path: string;
  size: bigint | null;
  mtimeUs: bigint | null;
}

/**
 * Reads one file's headers (and, with `checksum`, its data, to verify CHECKSUM/DATASUM) into its inventory rows. A file
 * that cannot be read gives one row naming its error: it never stops a scan.
 *
 * @example
 * const rows = await readFileRows({ path: '/dr1/a.fits', size: 5760n, mtimeUs: 0n }, { checksum: false });
 */
export async function readFileRows(file: FileIdentity, opts: { checksum: boolean }): Promise<InventoryRow[]> {
  let fits: FitsFile | undefined;
  try {
    fits = await FitsFile.open(file.path);
    const size = file.size ?? BigInt(fits.source.size);
    const primary = fits.hdus[0]!.header;
    const rows: InventoryRow[] = [];
    for (const h of fits.hdus) {
      const verdict = opts.checksum ? await fits.verify(h.index) : undefined;
      rows.push({
        path: file.path,
        size,
        mtimeUs: file.mtimeUs,
        hdu: h.index,
        summary: summarizeHdu(h),
        keywords: desiKeywords(h.header, primary),
        checksum: verdict?.checksum ?? null,
        datasum: verdict?.datasum ?? null,
        error: null,
      });
    }
    return rows;
  } catch (e) {
    return [failedRow(file, e)];
  } finally {
    await fits?.close().catch(() => {
      /* the file's own error, if any, is the one to report */
    });
  }
}

/**
 * The one row of a file that could not be read: where and why, in the error's own words (they name the file and HDU).
 *
 * @example
 * failedRow({ path: '/dr1/cut.fits', size: 100n, mtimeUs: 0n }, new Error('truncated')).error // 'truncated'
 */
export function failedRow(file: FileIdentity, e: unknown): InventoryRow {
  return {
    path: file.path,
    size: file.size,
    mtimeUs: file.mtimeUs,
    hdu: null,
    summary: null,
    keywords: {},
    checksum: null,
    datasum: null,
    error: e instanceof Error ? e.message : String(e),
  };
}
