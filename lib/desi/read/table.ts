import { Table } from 'apache-arrow';
import type { FitsFile } from '../../fits/fits-file.js';
import type { OpenSourceOptions } from '../../fits/source/open-source.js';
import { SkybookError } from '../../errors/index.js';
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
    throw new SkybookError(`${f.name}: give either targetids or rows, not both`);
  }
  const base = { ...(opts.columns ? { columns: opts.columns } : {}) };
  if (opts.targetids === undefined) return f.readTable(hdu.index, { ...base, ...(opts.rows ? { rows: opts.rows } : {}) });
  return readTableRuns(f, hdu.index, toRuns(await rowsForTargetids(f, hdu, opts.targetids)), opts.columns);
}

// Runs closer than this many rows are read as one range and the rows picked out of it: one read and one Arrow
// table instead of hundreds (1,000 random rows of 5,000: 800 runs, 1.9 s -> one read). Far-apart runs (a few
// TARGETIDs in a big zall-pix) stay separate reads, so memory and remote bytes stay close to what was asked for.
const MERGE_GAP_ROWS = 64;

/**
 * Reads the given row runs of a table HDU into one Arrow table, in run order. Runs less than 64 rows apart are read
 * as one contiguous range and the asked-for rows taken from it; others with one read each.
 *
 * @example
 * await readTableRuns(f, 1, [{ start: 3, end: 5 }, { start: 9, end: 10 }]); // 3 rows
 */
export async function readTableRuns(f: FitsFile, hdu: number, runs: readonly RowRun[], columns?: readonly string[]): Promise<Table> {
  const base = columns ? { columns } : {};
  if (runs.length === 0) return f.readTable(hdu, { ...base, rows: { start: 0, end: 0 } });
  const parts: Table[] = [];
  for (const group of groupRuns(runs, MERGE_GAP_ROWS)) {
    const span = { start: group[0]!.start, end: group[group.length - 1]!.end };
    const t = await f.readTable(hdu, { ...base, rows: span });
    if (group.length === 1) {
      parts.push(t);
      continue;
    }
    const rows: number[] = [];
    for (const r of group) for (let i = r.start; i < r.end; i++) rows.push(i - span.start);
    parts.push(takeRows(t, rows));
  }
  return parts.length === 1 ? parts[0]! : new Table(parts.flatMap((t) => t.batches));
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
