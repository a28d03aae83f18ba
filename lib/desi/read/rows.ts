import type { FitsFile, HduInfo } from '../../fits/index.js';
import { requireColumns } from './open.js';

/**
 * A run of consecutive rows [start, end).
 *
 * @example
 * const run: RowRun = { start: 10, end: 12 }; // rows 10 and 11
 */
export interface RowRun {
  start: number;
  end: number;
}

/**
 * The rows of a table whose TARGETID is in `targetids`, ascending (file order; a TARGETID that appears on several
 * rows, as in zall-pix or per-exposure spectra files, selects all of them). Reads only the TARGETID column.
 *
 * @example
 * const rows = await rowsForTargetids(f, f.hdu('FIBERMAP'), [39627745623525818n]);
 */
export async function rowsForTargetids(f: FitsFile, hdu: HduInfo, targetids: Iterable<bigint>): Promise<number[]> {
  requireColumns(f, hdu, ['TARGETID']);
  const want = new Set<bigint>();
  for (const t of targetids) want.add(BigInt(t));
  const ids = (await f.readTable(hdu.index, { columns: ['TARGETID'] })).getChild('TARGETID')!.toArray() as BigInt64Array;
  const rows: number[] = [];
  for (let i = 0; i < ids.length; i++) if (want.has(ids[i]!)) rows.push(i);
  return rows;
}

/**
 * Groups ascending row indices into runs of consecutive rows, so each run is one contiguous read.
 *
 * @example
 * toRuns([1, 2, 3, 7, 9, 10]); // [{start:1,end:4},{start:7,end:8},{start:9,end:11}]
 */
export function toRuns(rows: readonly number[]): RowRun[] {
  const runs: RowRun[] = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && r === last.end) last.end++;
    else runs.push({ start: r, end: r + 1 });
  }
  return runs;
}
