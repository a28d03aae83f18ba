import type { Table } from 'apache-arrow';
import { type ByteSource, type FitsFile, type HduInfo, type OpenSourceOptions, readAt, readTable } from '../../fits/index.js';
import { DesiError, FitsError } from '../../errors/index.js';
import { requireColumns, requireHdu, withFits, type DesiInput } from './open.js';
import { rowsForTargetids, toRuns, type RowRun } from './rows.js';
import { takeRows } from './take.js';

/**
 * Column and row selection shared by the DESI table readers.
 *
 * @example
 * await readRedrock(path, { columns: ['TARGETID', 'Z'], targetids: [39627745623525818n] } satisfies DesiTableOptions);
 */
export interface DesiTableOptions {
  /** Columns to read, in this order (default all). */
  columns?: readonly string[];
  /** Keep only rows with these TARGETIDs (file order; duplicates in the file are all kept). */
  targetids?: Iterable<bigint>;
  /** Or a row range [start, end). */
  rows?: { start?: number; end?: number };
  /** Options for opening a path or URL (HTTP retries, read-ahead, S3 endpoint ...). */
  open?: OpenSourceOptions;
}

/**
 * Reads one named table HDU of a DESI file with column and TARGETID selection. With `targetids` only the TARGETID
 * column is read in full; the other columns are read for the matching row runs only.
 *
 * @example
 * const z = await readDesiTable('redrock-main-dark-27247.fits', 'REDSHIFTS', 'a redrock file', { columns: ['TARGETID', 'Z'] });
 */
export async function readDesiTable(input: DesiInput, hduName: string, what: string, opts: DesiTableOptions = {}): Promise<Table> {
  return withFits(input, (f) => readNamedTable(f, hduName, what, opts), opts.open);
}

/** {@link readDesiTable} on an open file. @example await readNamedTable(f, 'FIBERMAP', 'a coadd file', {}) */
export async function readNamedTable(f: FitsFile, hduName: string, what: string, opts: DesiTableOptions): Promise<Table> {
  const hdu = requireHdu(f, hduName, what);
  if (opts.columns) requireColumns(f, hdu, opts.columns);
  if (opts.targetids !== undefined && opts.rows !== undefined) {
    throw new DesiError('give either targetids or rows, not both', { file: f.name });
  }
  const base = { ...(opts.columns ? { columns: opts.columns } : {}) };
  if (opts.targetids === undefined) return f.readTable(hdu.index, { ...base, ...(opts.rows ? { rows: opts.rows } : {}) });
  return readTableRuns(f, hdu.index, toRuns(await rowsForTargetids(f, hdu, opts.targetids)), opts.columns);
}

// Runs closer than this many rows are read as one range and the rows picked out of it: one read instead of hundreds
// (1,000 random rows of 5,000: 800 runs). Far-apart runs (a few TARGETIDs in a big zall-pix) stay separate reads, so
// memory and remote bytes stay close to what was asked for.
const MERGE_GAP_ROWS = 64;

/**
 * Reads the given row runs of a table HDU into one Arrow table, in run order. The stored bytes of the rows asked for
 * are gathered first (runs less than 64 rows apart read as one range, others with one read each) and only those rows
 * are decoded: 1,000 of 5,000 FIBERMAP rows decode 1,000 rows, not 5,000 and a copy.
 *
 * @example
 * await readTableRuns(f, 1, [{ start: 3, end: 5 }, { start: 9, end: 10 }]); // 3 rows
 */
export async function readTableRuns(f: FitsFile, hdu: number, runs: readonly RowRun[], columns?: readonly string[]): Promise<Table> {
  const base = columns ? { columns } : {};
  if (runs.length === 0) return f.readTable(hdu, { ...base, rows: { start: 0, end: 0 } });
  if (runs.length === 1) return f.readTable(hdu, { ...base, rows: runs[0]! });
  const h = f.hdu(hdu);
  if (h.type !== 'BINTABLE')
    return f
      .readTable(hdu, { ...base, rows: { start: runs[0]!.start, end: runs[runs.length - 1]!.end } })
      .then((t) => takeRows(t, runRows(runs)));
  const { source, count } = await selectedRowsSource(f.source, h, runs);
  return readTable(source, h, { ...base, rows: { start: 0, end: count } });
}

/** Row numbers of the runs relative to the first run's start, for picking them out of the span they cover. */
function runRows(runs: readonly RowRun[]): number[] {
  const rows: number[] = [];
  for (const r of runs) for (let i = r.start; i < r.end; i++) rows.push(i - runs[0]!.start);
  return rows;
}

/**
 * A source that reads like `src` except that the table's first rows are the rows of `runs`, one after another: the
 * table reader then decodes just those (as rows [0, count)). Everything else, the heap of variable-length columns
 * included, still comes from `src` (the heap starts at or after the end of the table's rows, so past the rows placed).
 */
async function selectedRowsSource(src: ByteSource, h: HduInfo, runs: readonly RowRun[]): Promise<{ source: ByteSource; count: number }> {
  const rowBytes = h.header.int('NAXIS1');
  const count = runs.reduce((n, r) => n + r.end - r.start, 0);
  const rows = new Uint8Array(count * rowBytes);
  let at = 0;
  for (const group of groupRuns(runs, MERGE_GAP_ROWS)) {
    const start = group[0]!.start;
    const span = (group[group.length - 1]!.end - start) * rowBytes;
    const bytes = await readAt(src, h.dataOffset + start * rowBytes, span);
    if (bytes.length < span)
      throw new FitsError('truncated table data', { file: src.name, hdu: h.index, row: start + Math.floor(bytes.length / rowBytes) });
    for (const r of group) {
      rows.set(bytes.subarray((r.start - start) * rowBytes, (r.end - start) * rowBytes), at);
      at += (r.end - r.start) * rowBytes;
    }
  }
  const lo = h.dataOffset;
  const hi = lo + rows.length;
  const placed = (offset: number, length: number) => offset >= lo && offset + length <= hi;
  const source: ByteSource = {
    name: src.name,
    size: src.size,
    read: async (offset, length) => (placed(offset, length) ? rows.subarray(offset - lo, offset - lo + length) : src.read(offset, length)),
    readIntoSync: (offset, target) => {
      if (placed(offset, target.length)) {
        target.set(rows.subarray(offset - lo, offset - lo + target.length));
        return target.length;
      }
      if (offset >= hi && src.readIntoSync) return src.readIntoSync(offset, target);
      // straddling the placed rows: only the placed part (the reader never asks for this)
      const n = Math.max(0, Math.min(target.length, hi - offset));
      if (offset >= lo) target.set(rows.subarray(offset - lo, offset - lo + n));
      return offset >= lo ? n : 0;
    },
    close: async () => {},
  };
  return { source, count };
}

/** Ascending runs split into groups whose consecutive runs are at most `gap` rows apart. */
function groupRuns(runs: readonly RowRun[], gap: number): RowRun[][] {
  const groups: RowRun[][] = [];
  for (const r of runs) {
    const g = groups[groups.length - 1];
    if (g && r.start - g[g.length - 1]!.end <= gap) g.push(r);
    else groups.push([r]);
  }
  return groups;
}
