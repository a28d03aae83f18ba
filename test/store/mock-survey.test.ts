import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSurvey } from '../../lib/datasets/index.js';
import { zallPixRelpath } from '../../lib/desi/index.js';
import { ingest, openStore } from '../../lib/store/index.js';
import { expectRoundTrip, storeTestFile } from './store-helpers.js';

const { tmp, engines } = storeTestFile(__filename, 'mock.duckdb');
let mock: { zall: string; redrock: string; rows: number };

beforeAll(async () => {
  // The mock survey generator's small preset, no spectra: its zall-pix zcatalog and one of its redrock files.
  const out = join(tmp.dir, 'mock');
  const summary = await makeSurvey({ preset: 'small', seed: 1, out, spectra: 'none' });
  const redrock = summary.files.map((f) => f.path).find((p) => /redrock-.*\.fits$/.test(p))!;
  mock = { zall: join(out, zallPixRelpath()), redrock: join(out, redrock), rows: summary.counts.zcatalogRows };
});

describe.each(engines)('the mock survey into $name', ({ url }) => {
  it('the mock survey: its zcatalog and a redrock file, every value equal, nothing quarantined', async () => {
    const [z] = await ingest(mock.zall, { into: url(), table: 'mock_zcat', schema: 'zcatalog' });
    expect(z).toMatchObject({ status: 'loaded', rows: mock.rows, loaded: mock.rows, quarantined: 0 });
    const [r] = await ingest(mock.redrock, { into: url(), table: 'mock_redshifts', schema: 'redrock' });
    expect(r!.quarantined).toBe(0);
    const store = await openStore(url());
    try {
      const cells = await expectRoundTrip(store, 'mock_zcat', mock.zall, 'ZCATALOG', 'targetid');
      expect(cells).toBeGreaterThan(mock.rows * 20);
      expect(await expectRoundTrip(store, 'mock_redshifts', mock.redrock, 'REDSHIFTS', 'targetid')).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

});
