/**
 * Thousands of files per ingest (issue 20): 1,000 redrock-like files loaded by one glob into each engine, killed (kill
 * -9) in the middle, and the re-run that completes it (every file exactly once, in input order, with files/s), and the
 * set's summary counts. One 1,000-file load per engine, killed and resumed, keeps the file near a minute.
 * The real CLI, real DuckDB and PostgreSQL, real FITS files written once for the whole file.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/writer/index.js';
import { openStore, type IngestReport } from '../../lib/store/index.js';
import { CLI, skybook } from '../helpers/cli.js';
import { redrockTable, writeRedrockSet, type SetFile } from './redrock-set.js';
import { cli, pgUrlFor, storeTestFile } from './store-helpers.js';

const COUNT = 1000;
const { schema, tmp } = storeTestFile(__filename, 'unused.duckdb');
const setDir = join(tmp.dir, 'set');
const glob = `${setDir}/**/redrock-*.fits`;
let files: SetFile[];
let totalRows = 0;

beforeAll(async () => {
  files = await writeRedrockSet(setDir, COUNT);
  totalRows = files.reduce((n, f) => n + f.rows, 0);
}, 120_000);

const engines = [
  { name: 'duckdb', url: (t: string) => `duckdb:${join(tmp.dir, `${t}.duckdb`)}` },
  { name: 'postgres', url: () => pgUrlFor(schema) },
] as const;

/** Polls `probe` until it returns true, with a deadline (the waits between probes are not what the test relies on). */
async function until(probe: () => Promise<boolean> | boolean, what: string, limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await probe())) {
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every file loaded exactly once: one ledger row per source, each load's stored rows equal to its file's rows. */
async function expectEachFileOnce(url: string, table: string): Promise<void> {
  const store = await openStore(url);
  try {
    const ledger = await store.query(
      `select l.source_path, l.load_id, l.rows_loaded, coalesce(c.n, 0) as stored from skybook_loads l
       left join (select skybook_load, count(*) as n from ${table} group by skybook_load) c on c.skybook_load = l.load_id
       where l.table_name = '${table}' order by l.source_path`,
    );
    const rows = ledger.toArray().map((r) => r.toJSON() as { source_path: string; load_id: number; rows_loaded: bigint; stored: bigint });
    expect(rows.map((r) => r.source_path)).toEqual(files.map((f) => f.path)); // one row per source, none missing
    const byPath = new Map(files.map((f) => [f.path, f.rows]));
    for (const r of rows) {
      expect(Number(r.rows_loaded), r.source_path).toBe(byPath.get(r.source_path));
      expect(Number(r.stored), r.source_path).toBe(byPath.get(r.source_path));
    }
    const all = await store.query(
      `select count(*) as n, count(distinct targetid) as ids, count(distinct skybook_load) as loads from ${table}`,
    );
    const t = all.get(0)!.toJSON();
    expect([Number(t.n), Number(t.ids), Number(t.loads)]).toEqual([totalRows, totalRows, COUNT]);
  } finally {
    await store.close();
  }
}

describe.each(engines)('1,000 files in $name', ({ name, url: urlOf }) => {
  it('one glob, killed (kill -9) in the middle, re-run: every file loaded exactly once, in input order, ledger and table agree, files/s reported', async () => {
    const url = urlOf('killed');
    const table = 'rr_killed';
    const child = spawn(process.execPath, [CLI, 'ingest', glob, '--into', url, '--table', table, '--schema', 'redrock'], {
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    let finished = false;
    void exited.then(() => (finished = true));
    if (name === 'postgres') {
      // the ledger shows committed files
      const store = await openStore(pgUrlFor(schema));
      try {
        await until(async () => {
          if (finished) return true;
          const t = await store.query(`select to_regclass('${schema}.skybook_loads') is not null as ok`);
          if (!t.get(0)!.toJSON().ok) return false;
          const n = await store.query(`select count(*) as n from skybook_loads where table_name = '${table}'`);
          return Number(n.get(0)!.toJSON().n) >= 20;
        }, 'files to be loaded');
      } finally {
        await store.close();
      }
    } else {
      // DuckDB holds its file locked; its write-ahead log shows committed files
      const wal = join(tmp.dir, 'killed.duckdb.wal');
      await until(() => finished || (existsSync(wal) && statSync(wal).size > 200_000), 'committed loads in the WAL');
    }
    expect(finished, 'the load ended before it could be killed').toBe(false);
    process.kill(-child.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const rerun = skybook(['ingest', glob, '--into', url, '--table', table, '--schema', 'redrock', '--json'], { timeoutMs: 180_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as IngestReport;
    expect(report.files.map((f) => f.source)).toEqual(files.map((f) => f.path)); // sorted glob, results in input order
    const { loaded, skipped } = report.totals;
    expect(skipped).toBeGreaterThan(0); // the killed run had committed files, and they were not loaded again
    expect(loaded).toBeGreaterThan(0);
    expect(report.totals).toMatchObject({ files: COUNT, loaded: COUNT - skipped, replaced: 0, failed: 0, rows: totalRows });
    expect(report.totals.rowsLoaded).toBe(report.files.filter((f) => f.status === 'loaded').reduce((n, f) => n + f.rows, 0));
    expect(report.totals.filesPerSecond).toBeGreaterThan(0);
    console.log(
      `${name}: re-run loaded ${loaded} files (${skipped} done before the kill) in ${report.totals.seconds.toFixed(1)} s: ${report.totals.filesPerSecond.toFixed(1)} files/s`,
    );
    await expectEachFileOnce(url, table);
  }, 240_000);
});

describe.each(engines)('the summary of a set in $name', ({ url: urlOf }) => {
  it('counts loaded, skipped (already loaded), quarantined and failed files; a failed file stores nothing and exits 1', async () => {
    const url = urlOf('summary');
    const dir = join(tmp.dir, `summary-${url.startsWith('duckdb') ? 'duck' : 'pg'}`);
    mkdirSync(dir);
    copyFileSync(files[0]!.path, join(dir, 'redrock-a.fits'));
    copyFileSync(files[1]!.path, join(dir, 'redrock-b.fits'));
    await writeFits(join(dir, 'redrock-c.fits'), [
      { kind: 'table', table: redrockTable(30, 1n, 7, { badRows: [3, 17] }), name: 'REDSHIFTS' },
    ]);
    await writeFits(join(dir, 'redrock-d.fits'), [
      { kind: 'table', table: redrockTable(25, 1000n, 8, { drop: 'DELTACHI2' }), name: 'REDSHIFTS' },
    ]);
    const args = ['--into', url, '--table', 'rr_sum', '--schema', 'redrock'];
    expect((await cli(['ingest', join(dir, 'redrock-a.fits'), ...args])).code).toBe(0);

    const r = await cli(['ingest', join(dir, 'redrock-*.fits'), ...args, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^skybook ingest: .*redrock-d\.fits: HDU REDSHIFTS: .*DELTACHI2/m);
    const report = JSON.parse(r.stdout) as IngestReport;
    expect(report.files.map((f) => [f.source.slice(dir.length + 1), f.status, f.quarantined])).toEqual([
      ['redrock-a.fits', 'unchanged', 0],
      ['redrock-b.fits', 'loaded', 0],
      ['redrock-c.fits', 'loaded', 2],
      ['redrock-d.fits', 'failed', 0],
    ]);
    expect(report.totals).toMatchObject({ files: 4, loaded: 2, skipped: 1, failed: 1, quarantinedFiles: 1, rowsQuarantined: 2 });
    expect(report.totals.rowsLoaded).toBe(files[1]!.rows + 28);

    const text = await cli(['ingest', join(dir, 'redrock-*.fits'), ...args]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /4 files: 0 loaded, 0 replaced, 3 skipped \(already loaded\), 0 with quarantined rows \(0 rows\), 1 failed; [\d,]+ rows in [\d.]+ s \([\d.]+ files\/s, [\d,]+ rows\/s\)/,
    );
    expect(text.stdout).toMatch(/redrock-d\.fits: failed, nothing of it stored: .*DELTACHI2/);

    const store = await openStore(url);
    try {
      const led = await store.query(`select source_path, rows_quarantined from skybook_loads where table_name = 'rr_sum' order by 1`);
      expect(led.toArray().map((x) => [String(x.source_path).slice(dir.length + 1), Number(x.rows_quarantined)])).toEqual([
        ['redrock-a.fits', 0],
        ['redrock-b.fits', 0],
        ['redrock-c.fits', 2],
      ]);
      const q = await store.query(`select row_number from skybook_quarantine where table_name = 'rr_sum' order by 1`);
      expect(q.toArray().map((x) => Number(x.row_number))).toEqual([3, 17]);
    } finally {
      await store.close();
    }
  });
});
