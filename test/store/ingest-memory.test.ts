/**
 * Loads stream in bounded batches: the rows read at a time never exceed `batchRows`, and quarantined rows beyond
 * `quarantineMemoryRows` wait in a temporary file instead of memory, all of them still written, in row order.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordProgress } from '../../lib/core/index.js';
import { ingest, openStore } from '../../lib/store/index.js';
import { QuarantineBuffer } from '../../lib/store/quarantine-buffer.js';
import { isBadRow, storeTestFile, writeZcatalog } from './store-helpers.js';

const { tmp, engines } = storeTestFile(__filename, 'memory.duckdb');

it('the quarantine buffer holds at most its memory rows and gives every row back in order', async () => {
  const q = new QuarantineBuffer({ table: 't', source: '/x.fits', hdu: 'H' }, 100);
  let most = 0;
  try {
    for (let i = 0; i < 10_000; i++) {
      await q.add({ row: 3 * i, reasons: `reason ${i}`, json: JSON.stringify({ i }) });
      most = Math.max(most, q.inMemory);
    }
    expect(most).toBe(99); // a full chunk goes to the file as it fills
    expect(q.spilledChunks).toBe(100);
    const rows: number[] = [];
    const reasons: string[] = [];
    for await (const b of q.batches()) {
      expect(b.numRows).toBeLessThanOrEqual(100);
      rows.push(...Array.from(b.getChild('row_number')!.toArray() as BigInt64Array, Number));
      reasons.push(...(b.getChild('reasons')!.toArray() as string[]));
    }
    expect(rows).toEqual(Array.from({ length: 10_000 }, (_, i) => 3 * i));
    expect(reasons[9_999]).toBe('reason 9999');
  } finally {
    await q.close();
  }
});

describe.each(engines)('bounded batches in $name', ({ url }) => {
  it('a 30,000-row file read 1,000 rows at a time, its 300 bad rows spilled 16 at a time: all stored, in order', async () => {
    const rows = 30_000;
    const file = join(tmp.dir, 'bad.fits');
    await writeZcatalog(file, rows, 17, { bad: true });
    const progress = recordProgress();
    const [r] = await ingest(file, {
      into: url(),
      table: 'zmem',
      schema: 'zcatalog',
      batchRows: 1000,
      quarantineMemoryRows: 16,
      progress,
    });
    const bad = Array.from({ length: rows }, (_, i) => i).filter(isBadRow);
    expect(r).toMatchObject({ status: 'loaded', rows, loaded: rows - bad.length, quarantined: bad.length });
    const advances = progress.events.filter((e) => e.kind === 'advance').map((e) => (e as { by: number }).by);
    expect(Math.max(...advances)).toBeLessThanOrEqual(1000);
    expect(advances.reduce((a, b) => a + b, 0)).toBe(rows);
    const store = await openStore(url());
    try {
      const q = await store.query("select row_number from skybook_quarantine where table_name = 'zmem' order by row_number");
      expect(q.toArray().map((x) => Number(x.row_number))).toEqual(bad);
      const n = await store.query('select count(*) as n from zmem');
      expect(Number(n.get(0)!.toJSON().n)).toBe(rows - bad.length);
    } finally {
      await store.close();
    }
  });
});
