import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProgress } from '../../lib/core/index.js';
import { FitsFile, fitsStats } from '../../lib/fits/index.js';
import { writeZcatFile } from '../helpers/zcat-file.js';

// Table reads and statistics report rows through lib/core's Progress: one phase, every row counted once, then finished.
const dir = mkdtempSync(join(tmpdir(), 'skybook-progress-'));
const ROWS = 30_000;
let path: string;
beforeAll(async () => {
  path = await writeZcatFile(dir, 'zcat.fits', ROWS, 5);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progress of FITS reads', () => {
  it.each([
    [
      'readTable',
      async (f: FitsFile, p: ReturnType<typeof recordProgress>) => {
        await f.readTable(1, { progress: p, chunkBytes: 64 * 1024 });
      },
    ],
    [
      'readBatches',
      async (f: FitsFile, p: ReturnType<typeof recordProgress>) => {
        for await (const b of f.readBatches(1, { progress: p, batchRows: 7000 })) void b;
      },
    ],
  ] as const)('%s counts every row in one phase', async (_name, read) => {
    const f = await FitsFile.open(path);
    try {
      const p = recordProgress();
      await read(f, p);
      expect(p.events[0]).toEqual({ kind: 'start', task: { label: `read ${path} HDU 1`, total: ROWS, unit: 'rows' } });
      expect(p.events.filter((e) => e.kind === 'advance').length).toBeGreaterThan(1);
      expect(p.done()).toBe(ROWS);
      expect(p.events.at(-1)).toEqual({ kind: 'finish' });
    } finally {
      await f.close();
    }
  });

  it('fitsStats counts the rows of each table HDU under its own phase', async () => {
    const f = await FitsFile.open(path);
    try {
      const p = recordProgress();
      const doc = await fitsStats(f, { progress: p });
      expect(doc.hdus[1]!.table!.rows).toBe(ROWS);
      const starts = p.events.filter((e) => e.kind === 'start');
      expect(starts).toEqual([{ kind: 'start', task: { label: `stats ${f.name} HDU 1`, total: ROWS, unit: 'rows' } }]);
      expect(p.done()).toBe(ROWS);
      expect(p.events.at(-1)).toEqual({ kind: 'finish' });
    } finally {
      await f.close();
    }
  });
});
