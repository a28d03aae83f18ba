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
