import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZcatalog } from '../../lib/desi/index.js';
import { ingestTable, openStore } from '../../lib/store/index.js';
import { column, isBadRow, writeZcatalog, storeTestFile } from './store-helpers.js';

const ROWS = 3000;
const { tmp, engines } = storeTestFile(__filename, 't.duckdb');
const file = join(tmp.dir, 'zcat.fits');

beforeAll(async () => {
  await writeZcatalog(file, ROWS, 21, { bad: true });
});

describe.each(engines)('ingestTable (an Arrow table from lib/desi) into $name', ({ url }) => {
  it('validates, quarantines, records and is idempotent by content', async () => {
    const zc = await readZcatalog(file);
    const bad = Array.from({ length: ROWS }, (_, i) => i).filter(isBadRow).length;
    const r = await ingestTable(zc, { into: url(), table: 'sel', source: 'notebook:sel', schema: 'zcatalog' });
    expect(r).toMatchObject({ status: 'loaded', hdu: 'arrow', rows: ROWS, loaded: ROWS - bad, quarantined: bad });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await ingestTable(await readZcatalog(file), { into: url(), table: 'sel', source: 'notebook:sel', schema: 'zcatalog' });
    expect(again).toMatchObject({ status: 'unchanged', loadId: r.loadId });
    const part = zc.slice(0, 100);
    await expect(ingestTable(part, { into: url(), table: 'sel', source: 'notebook:sel' })).rejects.toThrow(
      /changed since load .* use --replace/,
    );
    const replaced = await ingestTable(part, { into: url(), table: 'sel', source: 'notebook:sel', schema: 'zcatalog', replace: true });
    expect(replaced).toMatchObject({ status: 'replaced', rows: 100 });
    const store = await openStore(url());
    try {
      const t = await store.query('select targetid from sel order by targetid');
      const want = column(part, 'TARGETID')
        .filter((_, i) => !isBadRow(i))
        .sort((a, b) => ((a as bigint) < (b as bigint) ? -1 : 1));
      expect(column(t, 'targetid')).toEqual(want);
      const q = await store.query("select count(*) as n from skybook_quarantine where table_name = 'sel'");
      expect(Number(q.get(0)!.toJSON().n)).toBe(replaced.quarantined);
    } finally {
      await store.close();
    }
  });
});

describe.each(engines)('ingestTable of a slice that starts mid-table, into $name', ({ url }) => {
  it('loads exactly the slice: no good row quarantined, strings and nulls as in the slice', async () => {
    // Arrow slices keep the parent's buffers with an offset and pre-slice only the string offsets: read naively, rows
    // past the slice's start held other rows' strings (and failed validation as NUL-bearing)
    const zc = await readZcatalog(file);
    const start = 1000;
    const rows = Array.from({ length: 40 }, (_, k) => start + k).filter((i) => !isBadRow(i));
    expect(rows.length).toBeGreaterThan(30);
    const slice = zc.slice(rows[0]!, rows[0]! + 30);
    const good = Array.from({ length: 30 }, (_, k) => rows[0]! + k).filter((i) => !isBadRow(i)).length;
    const r = await ingestTable(slice, { into: url(), table: 'sliced', source: 'notebook:sliced', schema: 'zcatalog' });
    expect(r).toMatchObject({ status: 'loaded', rows: 30, loaded: good, quarantined: 30 - good });
    const store = await openStore(url());
    try {
      const t = await store.query('select targetid, spectype from sliced order by targetid');
      const ids = column(slice, 'TARGETID').filter((_, k) => !isBadRow(rows[0]! + k));
      const types = column(slice, 'SPECTYPE').filter((_, k) => !isBadRow(rows[0]! + k));
      const byId = new Map(ids.map((id, k) => [String(id), types[k]]));
      expect(t.numRows).toBe(good);
      for (let i = 0; i < t.numRows; i++) {
        const row = t.get(i)!.toJSON() as { targetid: bigint; spectype: string | null };
        expect(row.spectype, String(row.targetid)).toEqual(byId.get(String(row.targetid)));
      }
    } finally {
      await store.close();
    }
  });
});
