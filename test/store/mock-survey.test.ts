import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordProgress } from '../../lib/core/index.js';
import { makeSurvey } from '../../lib/datasets/index.js';
import { zallPixRelpath } from '../../lib/desi/index.js';
import { ingest, openStore } from '../../lib/store/index.js';
import { expectRoundTrip, storeTestFile } from './store-helpers.js';

const { tmp, engines } = storeTestFile(__filename, 'mock.duckdb');
let mock: { zall: string; redrock: string; rows: number };
const surveyProgress = recordProgress();

beforeAll(async () => {
  // The mock survey generator's small preset, no spectra: its zall-pix zcatalog and one of its redrock files.
  const out = join(tmp.dir, 'mock');
  const summary = await makeSurvey({ preset: 'small', seed: 1, out, spectra: 'none', progress: surveyProgress });
  const redrock = summary.files.map((f) => f.path).find((p) => /redrock-.*\.fits$/.test(p))!;
  mock = { zall: join(out, zallPixRelpath()), redrock: join(out, redrock), rows: summary.counts.zcatalogRows };
});

describe('the mock survey generator', () => {
  it('reports one pixel at a time to the Progress it is given', () => {
    const start = surveyProgress.events[0];
    expect(start).toMatchObject({ kind: 'start', task: { label: 'datasets make small', unit: 'pixels' } });
    const total = start?.kind === 'start' ? start.task.total : undefined;
    expect(total).toBeGreaterThan(10);
    expect(surveyProgress.done()).toBe(total);
    expect(surveyProgress.events.at(-1)).toEqual({ kind: 'finish' });
  });
});

describe.each(engines)('the mock survey into $name', ({ url }) => {
  it('the mock survey: its zcatalog and a redrock file, every value equal, nothing quarantined', async () => {
    const progress = recordProgress();
    const [z] = await ingest(mock.zall, { into: url(), table: 'mock_zcat', schema: 'zcatalog', progress });
    expect(z).toMatchObject({ status: 'loaded', rows: mock.rows, loaded: mock.rows, quarantined: 0 });
    // one phase for the file, every row counted, then finished
    expect(progress.events[0]).toEqual({ kind: 'start', task: { label: `ingest ${mock.zall}`, total: mock.rows, unit: 'rows' } });
    expect(progress.done()).toBe(mock.rows);
    expect(progress.events.at(-1)).toEqual({ kind: 'finish' });
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
