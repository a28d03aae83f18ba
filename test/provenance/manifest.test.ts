import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestPathFor, readManifest, toRoCrate, verifyRun, type RunRecord } from '../../lib/provenance/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-crate-'));
const record: RunRecord = {
  notebook: { path: join(dir, 'nb', 'a.ipynb'), sha256: 'aa', size: 10 },
  executed: { path: join(dir, 'runs', 'a.ipynb'), sha256: 'bb', size: 20 },
  kernel: { name: 'python3', language: 'python', displayName: 'Python 3', implementation: 'ipython', version: '8.5.0' },
  parameters: { zmax: 2, db_password: '[redacted]', bands: ['b', 'r'], opts: { k: null } },
  redacted: ['db_password'],
  inputs: [{ path: join(dir, 'data', 'z.fits'), sha256: 'cc', size: 30 }],
  outputs: [{ path: join(dir, 'runs', 'hist.csv'), sha256: 'dd', size: 40 }],
  software: { skybook: '0.1.0', node: 'v20.0.0', lockfile: { path: join(dir, 'package-lock.json'), sha256: 'ee', size: 50 } },
  cells: [{ index: 0, cellType: 'code', source: 's0', outputs: 'o0', id: 'c0' }],
  startTime: '2026-11-25T10:00:00.000Z',
  endTime: '2026-11-25T10:00:05.000Z',
  status: 'failed',
  error: 'cell 0 raised ValueError: x',
  failedCell: 0,
  cwd: dir,
  timeout: 30,
  cacheKey: 'ff',
};

describe('RO-Crate manifest', () => {
  const path = manifestPathFor(record.executed.path);
  it('names the manifest after the executed notebook', () => expect(path).toBe(join(dir, 'runs', 'a.provenance.json')));

  it('holds relative ids, PropertyValue parameters and a failed CreateAction, and reads back to the same record', async () => {
    const crate = toRoCrate(record, join(dir, 'runs'));
    const graph = crate['@graph'] as Record<string, unknown>[];
    const action = graph.find((n) => n['@id'] === '#run')!;
    expect(action.instrument).toEqual({ '@id': '../nb/a.ipynb' });
    expect(action.result).toEqual([{ '@id': 'a.ipynb' }, { '@id': 'hist.csv' }]);
    expect(action.actionStatus).toBe('http://schema.org/FailedActionStatus');
    expect(action.error).toBe('cell 0 raised ValueError: x');
    expect(graph.find((n) => n['@id'] === '#param-bands')).toMatchObject({ '@type': 'PropertyValue', value: '["b","r"]' });
    expect(JSON.stringify(crate)).not.toContain(dir);
    mkdirSync(join(dir, 'runs'), { recursive: true });
    writeFileSync(path, JSON.stringify(crate));
    expect(await readManifest(path)).toEqual(record);
  });

  it('verify asks for redacted parameters instead of re-running with "[redacted]"', async () => {
    await expect(verifyRun(path)).rejects.toThrow(/parameters db_password were redacted in the manifest; pass them with -p NAME VALUE/);
  });
});
