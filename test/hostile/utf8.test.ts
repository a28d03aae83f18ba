import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/index.js';
import { runCapped } from '../helpers/capped.js';
import { storeTestFile } from '../store/store-helpers.js';

// Issue 13 item 7: a FITS string column holding bytes that are not UTF-8. Before, DuckDB stored NULL silently (loaded
// 8 of 8, quarantined 0) and PostgreSQL failed the whole file ('invalid byte sequence for encoding "UTF8"', no file or
// column). Now both engines quarantine exactly the bad rows, naming the column with a hex excerpt, and load the rest.

const { tmp, engines } = storeTestFile(__filename, 'utf8.duckdb');
const file = join(tmp.dir, 'not-utf8.fits');
const NAMES = Array.from({ length: 8 }, (_, i) => `NAME${i}xx`);

beforeAll(async () => {
  const t = new Table({
    ID: vectorFromArray(
      NAMES.map((_, i) => BigInt(i)),
      new Int64(),
    ),
    NAME: vectorFromArray(NAMES, new Utf8()),
    Z: vectorFromArray(
      NAMES.map((_, i) => i / 10),
      new Float64(),
    ),
  });
  await writeFits(file, [{ kind: 'table', table: t, name: 'CAT' }], { overwrite: true });
  // Patch the bytes in place (same lengths): row 3 gets 0xFF, row 5 a valid 'é', row 6 ends in a cut-short '€'.
  const b = readFileSync(file);
  b[b.indexOf('NAME3xx') + 2] = 0xff;
  b.set([0xc3, 0xa9], b.indexOf('NAME5xx') + 2);
  b.set([0xe2, 0x82], b.indexOf('NAME6xx') + 5);
  writeFileSync(file, b);
});

describe.each(engines)('skybook ingest of a string column that is not UTF-8, into $name', ({ url }) => {
  it('quarantines exactly the bad rows with column and hex excerpt, loads the rest, exit 0, counts exact', async () => {
    const r = await runCapped(['ingest', file, '--into', url(), '--table', 'names']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.peakRssMb).toBeLessThan(1024);
    expect(r.stdout).toMatch(/not-utf8\.fits\s+CAT\s+names\s+loaded\s+8\s+6\s+2\s/);
    expect(r.stdout).toContain(`${file}: 2 row(s) quarantined in skybook_quarantine (load 1); see their reasons there\n`);

    const q = await runCapped([
      'query',
      '--db',
      url(),
      'select row_number, reasons, row_json from skybook_quarantine order by 1',
      '--format',
      'ndjson',
    ]);
    expect(q.code, q.stderr).toBe(0);
    const rows = q.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { row_number: string | number; reasons: string; row_json: string });
    expect(rows.map((x) => Number(x.row_number))).toEqual([3, 6]);
    expect(rows[0]!.reasons).toBe('NAME: invalid UTF-8 at byte 2 of 7: 4e 41 ff 45 33 78 78 (PostgreSQL and DuckDB store text as UTF-8)');
    expect(rows[1]!.reasons).toBe('NAME: invalid UTF-8 at byte 5 of 7: 4e 41 4d 45 36 e2 82 (PostgreSQL and DuckDB store text as UTF-8)');
    expect(JSON.parse(rows[0]!.row_json)).toEqual({ ID: '3', NAME: 'NA\ufffdE3xx', Z: 0.3 });

    const loaded = await runCapped(['query', '--db', url(), 'select id, name from names order by id', '--format', 'ndjson']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const names = loaded.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { name: string | null }).name);
    // never a silent NULL: the rows that loaded hold their text, the valid 'é' included
    expect(names).toEqual(['NAME0xx', 'NAME1xx', 'NAME2xx', 'NAME4xx', 'NAé5xx', 'NAME7xx']);

    const ledger = await runCapped([
      'query',
      '--db',
      url(),
      'select rows_loaded, rows_quarantined from skybook_loads',
      '--format',
      'ndjson',
    ]);
    const l = JSON.parse(ledger.stdout.trim()) as Record<string, string | number>;
    expect([Number(l.rows_loaded), Number(l.rows_quarantined)]).toEqual([6, 2]);
  }, 60_000);
});
