/**
 * One progress phase for a set of files: rows from the headers as the total, started by the first row loaded (files
 * skipped before it leave the total), the file being loaded as the detail; a re-run with everything loaded shows none.
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { recordProgress, type ProgressEvent } from '../../lib/core/index.js';
import { ingest, ingestSet } from '../../lib/store/index.js';
import { writeRedrockSet, type SetFile } from './redrock-set.js';
import { tempDir } from './store-helpers.js';

const tmp = tempDir();
let files: SetFile[];
beforeAll(async () => {
  files = await writeRedrockSet(join(tmp.dir, 'set'), 5, 41);
  return () => tmp.cleanup();
});

it('one phase for the set: its total leaves out files skipped before the first row, every loaded row advances it once', async () => {
  const into = `duckdb:${join(tmp.dir, 'p.duckdb')}`;
  await ingest(files[0]!.path, { into, table: 'rr', schema: 'redrock', progress: false });
  const progress = recordProgress();
  const report = await ingestSet(
    files.map((f) => f.path),
    { into, table: 'rr', schema: 'redrock', jobs: 1, progress },
  );
  expect(report.files.map((f) => f.status)).toEqual(['unchanged', 'loaded', 'loaded', 'loaded', 'loaded']);
  const starts = progress.events.filter((e): e is Extract<ProgressEvent, { kind: 'start' }> => e.kind === 'start');
  const rest = files.slice(1).reduce((n, f) => n + f.rows, 0);
  expect(starts).toEqual([{ kind: 'start', task: { label: 'ingest 5 files', total: rest, unit: 'rows' } }]);
  expect(progress.done()).toBe(rest);
  expect(progress.events.filter((e) => e.kind === 'finish')).toHaveLength(1);
  const details = new Set(progress.events.flatMap((e) => (e.kind === 'advance' && e.detail ? [e.detail] : [])));
  expect([...details]).toEqual(files.slice(1).map((f) => f.path));

  const again = recordProgress();
  const rerun = await ingestSet(
    files.map((f) => f.path),
    { into, table: 'rr', schema: 'redrock', progress: again },
  );
  expect(rerun.totals.skipped).toBe(5);
  expect(again.events).toEqual([]); // nothing loaded, no bar
});
