import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { writeZcatFile, ZCAT_ROW_BYTES } from '../helpers/zcat-file.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-shrunk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTable from a file that shrinks after it was opened', () => {
  it('names the file, the HDU and the first row it could not read; the rows before it read fine', async () => {
    // the bench's zcatalog generator: 259-byte rows, many 128 KiB chunks
    const path = await writeZcatFile(dir, 'zcat.fits', 20_000, 3);
    const fits = await FitsFile.open(path);
    try {
      const before = await fits.readTable(1, { columns: ['Z'] });
      truncateSync(path, fits.hdus[1]!.dataOffset + 12_345 * ZCAT_ROW_BYTES + 100);
      const head = await fits.readTable(1, { columns: ['Z'], rows: { end: 12_000 } });
      expect(Array.from(head.getChild('Z')!.toArray() as Float64Array)).toEqual(
        Array.from((before.getChild('Z')!.toArray() as Float64Array).subarray(0, 12_000)),
      );
      await expect(fits.readTable(1, { columns: ['Z'] })).rejects.toThrow(/zcat\.fits: HDU 1: row 12345: truncated table data/);
    } finally {
      await fits.close();
    }
  });

  it('names the first missing row when the file shrank before the first read too (nothing mapped yet)', async () => {
    const path = await writeZcatFile(dir, 'zcat-early.fits', 20_000, 4);
    const fits = await FitsFile.open(path);
    try {
      truncateSync(path, fits.hdus[1]!.dataOffset + 7_001 * ZCAT_ROW_BYTES + 3);
      await expect(fits.readTable(1, { columns: ['Z'] })).rejects.toThrow(/zcat-early\.fits: HDU 1: row 7001: truncated table data/);
      await expect(fits.readTable(1, { columns: ['Z', 'TARGETID'], rows: { start: 7_000, end: 7_001 } })).resolves.toBeDefined();
    } finally {
      await fits.close();
    }
  });
});
