import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { writeFits } from '../../lib/fits/writer/index.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-shrunk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTable from a file that shrinks after it was opened', () => {
  it('names the file, the HDU and the first row it could not read; the rows before it read fine', async () => {
    // the bench's zcatalog generator: 259-byte rows, many 128 KiB chunks
    const { zcatalogBatches, ZCATALOG_SCHEMA } = await import('../../bench/fits-read/zcatalog.js');
    const path = join(dir, 'zcat.fits');
    await writeFits(path, [{ kind: 'table', name: 'Z', schema: ZCATALOG_SCHEMA, table: zcatalogBatches({ rows: 20_000, seed: 3 }) }], { overwrite: true });
    const fits = await FitsFile.open(path);
    try {
      const before = await fits.readTable(1, { columns: ['Z'] });
      truncateSync(path, fits.hdus[1]!.dataOffset + 12_345 * 259 + 100);
      const head = await fits.readTable(1, { columns: ['Z'], rows: { end: 12_000 } });
      expect(Array.from(head.getChild('Z')!.toArray() as Float64Array)).toEqual(Array.from((before.getChild('Z')!.toArray() as Float64Array).subarray(0, 12_000)));
      await expect(fits.readTable(1, { columns: ['Z'] })).rejects.toThrow(/zcat\.fits: HDU 1: row 12345: truncated table data/);
    } finally {
      await fits.close();
    }
  });

  it('names the first missing row when the file shrank before the first read too (nothing mapped yet)', async () => {
    const { zcatalogBatches, ZCATALOG_SCHEMA } = await import('../../bench/fits-read/zcatalog.js');
    const path = join(dir, 'zcat-early.fits');
    await writeFits(path, [{ kind: 'table', name: 'Z', schema: ZCATALOG_SCHEMA, table: zcatalogBatches({ rows: 20_000, seed: 4 }) }], { overwrite: true });
    const fits = await FitsFile.open(path);
    try {
      truncateSync(path, fits.hdus[1]!.dataOffset + 7_001 * 259 + 3);
      await expect(fits.readTable(1, { columns: ['Z'] })).rejects.toThrow(/zcat-early\.fits: HDU 1: row 7001: truncated table data/);
      await expect(fits.readTable(1, { columns: ['Z', 'TARGETID'], rows: { start: 7_000, end: 7_001 } })).resolves.toBeDefined();
    } finally {
      await fits.close();
    }
  });
});
