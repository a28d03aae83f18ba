import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../lib/provenance/index.js';
import { RunLedger } from '../../lib/store/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { writeZcatFile } from '../helpers/zcat-file.js';

/** Commands record their runs in the ledger SKYBOOK_LEDGER names, under SKYBOOK_PARENT_RUN, as a pipeline's stages do. */
const tmp = mkdtempSync(join(tmpdir(), 'skybook-ledger-hooks-'));
const STAND_IN = join(import.meta.dirname, '../cloudy/cloudy-stand-in.sh'); // NOT Cloudy: see its header
const ledgerUrl = `duckdb:${join(tmp, 'ledger.duckdb')}`;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.SKYBOOK_LEDGER;
  delete process.env.SKYBOOK_PARENT_RUN;
});

describe('commands under SKYBOOK_LEDGER', () => {
  it('cloudy run records a cloudy-grid run with its decks hashed, failed when a model failed', async () => {
    const good = join(tmp, 'good.in');
    const crash = join(tmp, 'crash.in');
    writeFileSync(good, 'title fine\ntable agn\nionization parameter -2\nhden 4\n');
    writeFileSync(crash, 'title stand-in crash\ntable agn\nionization parameter -2\nhden 4\n');
    process.env.SKYBOOK_LEDGER = ledgerUrl;
    process.env.SKYBOOK_PARENT_RUN = 'stage-run-1';
    const r = await skybookInProcess(['cloudy', 'run', good, crash, '--out', join(tmp, 'grid'), '--cloudy', STAND_IN]);
    expect(r.code).toBe(1);
    const [row] = await new RunLedger(ledgerUrl).runs({ kind: 'cloudy-grid' });
    expect(row).toMatchObject({ name: 'grid', status: 'failed', parent: 'stage-run-1', rows: 1n });
    expect(row!.error).toMatch(/crash: crashed: killed by SIGSEGV/);
    expect(row!.inputs.map((f) => f.sha256)).toEqual([sha256(readFileSync(good)), sha256(readFileSync(crash))]);
  });

  it('ingest records the files it loaded with their hashes and the rows it wrote', async () => {
    const file = await writeZcatFile(tmp, 'zcat.fits', 300, 4);
    process.env.SKYBOOK_LEDGER = ledgerUrl;
    const r = await skybookInProcess(['ingest', file, '--into', `duckdb:${join(tmp, 'sky.duckdb')}`, '--table', 'zcat']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = await new RunLedger(ledgerUrl).runs({ kind: 'ingest' });
    expect(row).toMatchObject({ name: 'zcat', status: 'completed', parent: null, rows: 300n, quarantined: 0n });
    expect(row!.inputs).toEqual([
      { path: expect.stringMatching(/zcat\.fits$/), sha256: sha256(readFileSync(file)), size: readFileSync(file).length },
    ]);
  });

  it('without SKYBOOK_LEDGER nothing is recorded', async () => {
    const file = await writeZcatFile(tmp, 'other.fits', 10, 5);
    const r = await skybookInProcess(['ingest', file, '--into', `duckdb:${join(tmp, 'other.duckdb')}`, '--table', 'z']);
    expect(r.code, r.stderr).toBe(0);
    expect((await new RunLedger(ledgerUrl).runs({ kind: 'ingest' })).map((x) => x.name)).toEqual(['zcat']);
  });
});
