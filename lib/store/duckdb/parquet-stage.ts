import { mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnPlan } from '../column-plan.js';
import { tableId } from '../sql.js';
import type { LoadPart, TableRef } from '../store.js';
import { parquetSegment, type RowRun } from './parquet-plain.js';

/** Rows per Parquet row group: DuckDB's own row group size, and the unit its parallel read_parquet hands each thread. */
export const ROW_GROUP_ROWS = 122_880;
/**
 * Rows per staged segment file when not given. Segments are cut at exactly this many rows (a multiple of the row group
 * size), so every insert but the last adds whole row groups: with a partial row group at the end of each insert,
 * DuckDB kept the data out of its optimistic (parallel) writes and rewrote it at the checkpoint on close, on one thread
 * (2.9 s of a 1M-row load; bench/ingest/README.md).
 */
export const SEGMENT_ROWS = 4 * ROW_GROUP_ROWS;

/** Writes byte pieces to a new file with as few system calls as the platform's iovec limit allows. */
async function writePieces(path: string, pieces: readonly Uint8Array[]): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    for (let i = 0; i < pieces.length; i += 512) await fh.writev(pieces.slice(i, i + 512));
  } finally {
    await fh.close();
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Loads the chosen rows of `parts` by staging them as uncompressed PLAIN Parquet segments (parquet-plain.ts) and
 * inserting each with DuckDB's `read_parquet`, which reads a segment's row groups on DuckDB's threads and keeps their
 * order (batch indices; `preserve_insertion_order` stays on), so the stored row order is the file's, run after run.
 * A pipeline: while DuckDB inserts segment k (`exec` is async and runs off the JS thread), JavaScript decodes and writes
 * segment k+1; at most two segments are on disk, each deleted after its insert. `dir` is where the staging folder goes
 * (beside the database file); it is removed on success and on failure, after any insert in flight has finished.
 *
 * @example
 * const n = await stageParquet(parts, plans, (sql) => conn.run(sql).then(() => {}), { name: 'zcat' }, 7, '/data');
 */
export async function stageParquet(
  parts: AsyncIterable<LoadPart>,
  plans: readonly ColumnPlan[],
  exec: (text: string) => Promise<void>,
  table: TableRef,
  loadId: number,
  dir: string,
  sizes: { segmentRows?: number; rowGroupRows?: number } = {},
): Promise<number> {
  const segmentRows = sizes.segmentRows ?? SEGMENT_ROWS;
  const rowGroupRows = sizes.rowGroupRows ?? ROW_GROUP_ROWS;
  const stage = await mkdtemp(join(dir, '.skybook-stage-'));
  const names = [...plans.map((p) => quoted(p.name)), 'skybook_load'].join(', ');
  const select = plans.map((p, i) => (p.dims.length ? `cast(c${i} as ${p.duckType})` : `c${i}`)).join(', ');
  const insert = async (file: string) => {
    try {
      await exec(
        `insert into ${tableId(table).text} (${names}) select ${select}, ${loadId | 0} from read_parquet('${file.replace(/'/g, "''")}')`,
      );
    } finally {
      await rm(file, { force: true });
    }
  };
  let inFlight: Promise<void> | undefined;
  let runs: RowRun[] = [];
  let pending = 0;
  let segments = 0;
  let total = 0;
  // The first segment is one row group, so DuckDB starts inserting as soon as that much is decoded.
  let limit = Math.min(segmentRows, rowGroupRows);
  const flush = async () => {
    if (!pending) return;
    const file = join(stage, `segment-${String(segments++).padStart(6, '0')}.parquet`);
    await writePieces(file, parquetSegment(plans, runs, rowGroupRows));
    runs = [];
    pending = 0;
    limit = segmentRows;
    if (inFlight) await inFlight;
    inFlight = insert(file);
    // Awaited at the next flush or at the end; this keeps a failure from being reported as unhandled in between.
    inFlight.catch(() => {});
  };
  try {
    for await (const { batch, rows } of parts) {
      const columns = batch.data.children;
      for (let a = 0; a < rows.length; ) {
        let b = a + 1;
        while (b < rows.length && b - a < limit - pending && rows[b] === rows[b - 1]! + 1) b++;
        runs.push({ columns, start: rows[a]!, length: b - a });
        pending += b - a;
        total += b - a;
        a = b;
        if (pending === limit) await flush();
      }
    }
    await flush();
    if (inFlight) await inFlight;
    return total;
  } finally {
    if (inFlight) await inFlight.catch(() => {});
    await rm(stage, { recursive: true, force: true });
  }
}
