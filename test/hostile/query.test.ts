import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCapped } from '../helpers/capped.js';
import { writeZcatFile } from '../helpers/zcat-file.js';
import { storeTestFile } from '../store/store-helpers.js';

// Issue 13, item 4: `skybook query "select ...; drop table skybook_loads"` printed the select and dropped the load
// ledger (a re-ingest then duplicated every row); DROP, COPY ... TO and read_text('/etc/hostname') all ran; 10M rows
// to `| head -1` took 2.5 GB and 25 s before the first line. Now: read-only, one statement and no file access unless
// asked (--write, --allow-files), and results stream batch by batch, stopping when the reader goes.

const { tmp, engines } = storeTestFile(__filename, 'ledger.duckdb');
let source: string;
beforeAll(async () => {
  source = await writeZcatFile(tmp.dir, 'zcat.fits', 500, 13);
});

/** One line on stderr naming the refusal and the flag that lifts it; nothing on stdout. */
function expectRefused(r: { code: number | null; stdout: string; stderr: string }, why: RegExp, flag: '--write' | '--allow-files') {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(why);
  expect(r.stderr).toContain(`(${flag} in skybook query`);
}

describe.each(engines)('skybook query on $name: read-only unless --write', ({ name, url }) => {
  const query = (sql: string, ...flags: string[]) => runCapped(['query', '--db', url(), sql, '--format', 'csv', ...flags]);
  const ledgerRows = async () => (await query('select count(*) as n from skybook_loads')).stdout;

  beforeAll(async () => {
    const r = await runCapped(['ingest', source, '--into', url(), '--table', 'zcat']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it.each([
    ['select count(*) from zcat; drop table skybook_loads', /refused: 2 statements, and a read-only store runs one at a time/],
    ['drop table skybook_loads', /refused: DROP is not a reading statement, and the store is read-only/],
    ['delete from zcat', /refused: DELETE is not a reading statement/],
    ['insert into skybook_loads select * from skybook_loads', /refused: INSERT is not a reading statement/],
    ['create table t2 as select * from zcat', /refused: CREATE is not a reading statement/],
    ['select 1;\n-- a comment between\nupdate zcat set z = 0', /refused: 2 statements/],
  ])(
    '%j is refused, exit 2, and the ledger and table survive',
    async (sql, why) => {
      expectRefused(await query(sql), why, '--write');
      expect(await ledgerRows()).toBe('n\n1\n');
      expect((await query('select count(*) as n from zcat')).stdout).toBe('n\n500\n');
    },
    60_000,
  );

  it('after them all, the ledger still knows the file: a re-ingest writes nothing (no duplicate rows)', async () => {
    const again = await runCapped(['ingest', source, '--into', url(), '--table', 'zcat']);
    expect(again.stdout).toMatch(/zcat\s+unchanged\s+500\s+500\s+0\s+1\s/);
    expect((await query('select count(*) as n from zcat')).stdout).toBe('n\n500\n');
  }, 60_000);

  it('file access is refused unless --allow-files, also with --write, and nothing is written', async () => {
    const out = join(tmp.dir, `${name}-copy.csv`);
    const cases =
      name === 'duckdb'
        ? [
            [`select * from read_text('/etc/hostname')`, /refused: Cannot access file "\/etc\/hostname", and file access is off/],
            [`copy (select 1 as x) to '${out}'`, /refused: Cannot access file ".*-copy\.csv", and file access is off/],
          ]
        : [
            [`select pg_read_file('/etc/hostname')`, /refused: pg_read_file reads files on the server, .*and file access is off/],
            [`copy (select 1 as x) to '${out}'`, /refused: COPY reads and writes files and programs on the server, and file access is off/],
          ];
    for (const [sql, why] of cases as [string, RegExp][]) {
      expectRefused(await query(sql, '--write'), why, '--allow-files');
      expect(existsSync(out)).toBe(false);
    }
    const [read] = cases[0] as [string, RegExp];
    const allowed = await query(read, '--allow-files');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout.length).toBeGreaterThan(0);
  });

  it('with --write they run: a script runs in one transaction and prints its last result', async () => {
    const script = await query('select count(*) from zcat; drop table skybook_loads', '--write');
    expect(script.code, script.stderr).toBe(0);
    const gone = await query('select count(*) as n from skybook_loads');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/skybook_loads/);
    const drop = await query('drop table zcat', '--write');
    expect(drop.code, drop.stderr).toBe(0);
    expect((await query('select count(*) as n from zcat')).code).toBe(2);
  }, 60_000);
});

describe.each(engines)('10M rows from $name to `| head -1`', ({ name, url }) => {
  // rows the engine makes as it goes: nothing on disk (DuckDB in memory; PostgreSQL's generate_series in the select list)
  const db = () => (name === 'duckdb' ? 'duckdb::memory:' : url());
  const rows =
    name === 'duckdb'
      ? "select range as i, range * 0.5 as x, 'row ' || range as s from range(10000000)"
      : "select generate_series(0, 9999999)::bigint as i, 'row' as s";

  it.each(['ndjson', 'csv'])(
    '--format %s prints the first row at once, in flat memory, and exits 0 quietly',
    async (format) => {
      const r = await runCapped(['query', '--db', db(), rows, '--format', format], { head: 1 });
      expect(r.killed, `peak ${r.peakRssMb.toFixed(0)} MB after ${r.seconds.toFixed(1)} s`).toBeUndefined();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(format === 'ndjson' ? /^\{"i":0,/ : /^i,/);
      // CPU seconds, not wall seconds: on a loaded machine the first row waits for a core, not for the query to finish.
      // Reading all 10M rows before printing takes far more than this.
      expect(r.headCpuSeconds, `first row after ${r.headSeconds?.toFixed(1)} s wall`).toBeLessThan(5);
      expect(r.peakRssMb).toBeLessThan(400);
    },
    30_000,
  );

  it('--format table reads the first 1000 rows and says so, without reading the rest', async () => {
    const r = await runCapped(['query', '--db', db(), rows]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 1000 + 1);
    expect(lines.at(-1)).toBe('(the first 1000 rows; more not read: --format csv, ndjson or arrow prints every row)');
    expect(r.peakRssMb).toBeLessThan(400);
  }, 30_000);
});

describe('every row, streamed', () => {
  it('2M rows as CSV from DuckDB: all of them, memory flat', async () => {
    const r = await runCapped(['query', '--db', 'duckdb::memory:', 'select range as i from range(2000000)', '--format', 'csv'], {
      maxSeconds: 30,
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(1 + 2_000_000 + 1); // the header, every row, and the final newline
    expect(lines.at(-2)).toBe('1999999');
    expect(r.peakRssMb).toBeLessThan(400);
  }, 60_000);
});

describe('a reader that stops early', () => {
  it('fits export | head -1 exits 0 quietly, soon after the line', async () => {
    const file = await writeZcatFile(tmp.dir, 'export.fits', 150_000, 7);
    for (const format of ['ndjson', 'csv']) {
      const r = await runCapped(['fits', 'export', file, '--hdu', 'Z', '--format', format], { head: 1 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')).toHaveLength(2);
      expect(r.seconds - r.headSeconds!).toBeLessThan(1.5); // the whole file takes seconds more
    }
  }, 60_000);
});
