import { stat } from 'node:fs/promises';
import { boundedMap, progressOf, type Progress } from '../../core/index.js';
import { fileProblem, IS_A_DIRECTORY, StoreError, UsageError } from '../../errors/index.js';
import { openStore, storeEngineOf, type OpenStoreOptions } from '../open-store.js';
import { sql, tableId, tableName } from '../sql.js';
import type { Store } from '../store.js';
import { inventoryInput, isRemote } from './inventory-input.js';
import { failedRow, readFileRows, type FileIdentity, type InventoryRow } from './inventory-row.js';
import { utcTimestamp } from '../utc-timestamp.js';
import { appendRows, deleteFiles, ensureInventoryTable, ensureScansTable, nextScanId, recordScan, storedFiles } from './inventory-table.js';

/**
 * Options for `inventory`. `into` is a store URL (`duckdb:PATH`, `postgres://...`) or an open store.
 *
 * @example
 * const opts: InventoryOptions = { into: 'duckdb:dr1.duckdb', table: 'inventory', jobs: 16, checksum: false };
 */
export interface InventoryOptions {
  into: string | Store;
  /** The table (default `inventory`), `name` or `schema.name`. */
  table?: string;
  /** Verify CHECKSUM/DATASUM of every HDU read: this reads the data, not only the headers (default false). */
  checksum?: boolean;
  /** Files read at once (default 8): header reads are mostly waiting on the disk or the network, so they overlap. */
  jobs?: number;
  /** Files read, one phase for the whole scan; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
  storeOptions?: OpenStoreOptions;
}

/**
 * What one scan did. `scanned` = `unchanged` + `read`; `failed` counts the read files that could not be read (each has a
 * row with its error); `removed` the files whose rows were deleted because they are no longer in the input.
 *
 * @example
 * const r = await inventory('/dr1/healpix', { into: 'duckdb:dr1.duckdb' }); `${r.read} read, ${r.unchanged} unchanged`
 */
export interface InventoryResult {
  table: string;
  scan: number;
  scanned: number;
  unchanged: number;
  read: number;
  removed: number;
  failed: number;
  /** HDU rows written by this scan (failed files: one row each). */
  rows: number;
  /** HDUs read with `checksum` whose CHECKSUM or DATASUM is `bad`. */
  checksumBad: number;
  /** The files that failed and why, in path order. */
  failures: { path: string; error: string }[];
  /** The files whose rows were removed, in path order. */
  removedPaths: string[];
  seconds: number;
}

/** Size and mtime of a local file (microseconds, exact from the nanosecond stat); URLs are looked at when read. */
async function identify(path: string): Promise<FileIdentity | InventoryRow> {
  if (isRemote(path)) return { path, size: null, mtimeUs: null };
  try {
    const st = await stat(path, { bigint: true });
    if (st.isDirectory()) return failedRow({ path, size: null, mtimeUs: null }, new StoreError(IS_A_DIRECTORY, { file: path }));
    return { path, size: st.size, mtimeUs: st.mtimeNs / 1000n };
  } catch (e) {
    return failedRow({ path, size: null, mtimeUs: null }, new StoreError(fileProblem(e), { file: path }));
  }
}

/** `jobs` checked: a whole number from 1 to 256. */
function jobsOf(jobs: number | undefined): number {
  if (jobs === undefined) return 8;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw UsageError.invalid('jobs', String(jobs), 'a whole number from 1 to 256');
  return jobs;
}

/**
 * Scans a folder of FITS files (or a list of paths and URLs) into an inventory table: one row per HDU with the file's
 * path, size and mtime, the HDU's `fits info` summary, its DESI keywords and, with `checksum`, its `fits verify`
 * verdicts. Headers only, `jobs` files at a time. Incremental: a local file whose size and mtime match its rows is not
 * read again; a changed file's rows are replaced, a file no longer in the input loses its rows, all in one transaction
 * at the end of the scan. A file that cannot be read gets one row with its error and is read again next time. URLs
 * have no mtime here, so they are read on every scan.
 *
 * @example
 * const r = await inventory('/dr1/spectro/redux/iron/healpix', { into: 'duckdb:dr1.duckdb', jobs: 16 });
 * console.log(`${r.scanned} files: ${r.read} read, ${r.unchanged} unchanged, ${r.removed} removed, ${r.failed} failed`);
 */
export async function inventory(from: string, opts: InventoryOptions): Promise<InventoryResult> {
  const t0 = performance.now();
  const target = tableName(opts.table ?? 'inventory');
  const jobs = jobsOf(opts.jobs);
  if (typeof opts.into === 'string') storeEngineOf(opts.into);
  const input = await inventoryInput(from);
  const store = typeof opts.into === 'string' ? await openStore(opts.into, opts.storeOptions) : opts.into;
  const progress = progressOf(opts.progress);
  try {
    await ensureInventoryTable(store, target);
    await ensureScansTable(store, target);
    const known = await storedFiles(store, target);
    const identities = await boundedMap(input.files, jobs, identify);
    const toRead: (FileIdentity | InventoryRow)[] = [];
    let unchanged = 0;
    for (const id of identities) {
      const prior = known.get(id.path);
      const same = prior && !prior.failed && id.mtimeUs !== null && prior.size === id.size && prior.mtimeUs === id.mtimeUs;
      if (same) unchanged++;
      else toRead.push(id);
    }
    progress.start({ label: `inventory ${from}`, total: toRead.length, unit: 'files' });
    const read = await boundedMap(toRead, jobs, async (id) => {
      const rows = 'hdu' in id ? [id] : await readFileRows(id, { checksum: opts.checksum ?? false });
      progress.advance(1, id.path);
      return rows;
    });
    progress.finish();
    const inInput = new Set(input.files);
    const removedPaths = [...known.keys()].filter((p) => !inInput.has(p)).sort();
    const rows = read.flat();
    const failures = rows.filter((r) => r.error !== null).map((r) => ({ path: r.path, error: r.error! }));
    const counts = { scanned: input.files.length, unchanged, read: toRead.length, removed: removedPaths.length, failed: failures.length };
    const scan = await store.transaction(async (tx) => {
      // PostgreSQL: one scan at a time per table (the staging table and the scan number are per table)
      if (tx.engine === 'postgres') await tx.run(sql`lock table ${tableId(target)} in share row exclusive mode`);
      const id = await nextScanId(tx, target);
      await deleteFiles(tx, target, [...toRead.map((f) => f.path).filter((p) => known.has(p)), ...removedPaths]);
      await appendRows(tx, target, rows, id);
      await recordScan(tx, target, { scan: id, input: input.from, ...counts, finishedAt: utcTimestamp() });
      return id;
    });
    return {
      table: target.schema ? `${target.schema}.${target.name}` : target.name,
      scan,
      ...counts,
      rows: rows.length,
      checksumBad: rows.filter((r) => r.checksum === 'bad' || r.datasum === 'bad').length,
      failures,
      removedPaths,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    progress.finish();
    if (typeof opts.into === 'string') await store.close();
  }
}
