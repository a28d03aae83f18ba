import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { FIBERMAP_COLUMNS } from '../../lib/desi/index.js';
import { skybook } from '../helpers/cli.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';
import { cli, storeTestFile } from './store-helpers.js';

const { tmp, engines } = storeTestFile(__filename, 'cli.duckdb');
const RR = join(FIXTURES, 'desi', 'redrock-special-dark-27247.fits');

it('the built binary runs a query on in-memory DuckDB (the rest of this file runs the CLI in-process)', () => {
  const r = skybook(['query', '--db', 'duckdb::memory:', 'select 42 as answer, 9007199254740993::bigint as big', '--format', 'csv']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('answer,big\n42,9007199254740993\n');
});

describe('usage errors exit 2 and name the option', () => {
  it.each([
    [['ingest', 'x.fits', '--table', 't'], /missing --into/],
    [['ingest', 'x.fits', '--into', 'duckdb::memory:'], /missing --table/],
    [['ingest', 'x.fits', '--into', 'duckdb::memory:', '--table', 't', '--schema', 'spectra'], /invalid --schema: spectra/],
    [['ingest', 'x.fits', '--into', 'mysql://x', '--table', 't'], /invalid store URL/],
    [['query', 'select 1'], /missing --db/],
    [['query', '--db', 'duckdb::memory:', 'select 1', '--format', 'xml'], /invalid --format: xml/],
  ])('%j', async (args, msg) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});

describe.each(engines)('skybook ingest and query on $name', ({ name, url }) => {
  it.skipIf(!HAVE_FIXTURES)(
    'ingest prints a summary; query prints table, CSV, NDJSON (int64 exact) and Arrow',
    async () => {
      const ing = await cli(['ingest', RR, '--into', url(), '--table', 'rr', '--schema', 'redrock']);
      expect(ing.code, ing.stderr).toBe(0);
      expect(ing.stdout).toMatch(/^source\s+hdu\s+table\s+status\s+rows\s+loaded\s+quarantined/);
      expect(ing.stdout).toMatch(/REDSHIFTS\s+rr\s+loaded\s+1\s+1\s+0/);
      const sqlText = 'select targetid, spectype, coeff, zwarn from rr';
      const table = await cli(['query', '--db', url(), sqlText]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^targetid\s+spectype\s+coeff\s+zwarn\n39089837499744649\s+GALAXY\s+\[-59\.1044153234514,/);
      expect(table.stdout).toContain('(1 row)');
      const csv = await cli(['query', '--db', url(), sqlText, '--format', 'csv']);
      expect(csv.stdout.split('\n')[0]).toBe('targetid,spectype,coeff,zwarn');
      expect(csv.stdout.split('\n')[1]).toMatch(/^39089837499744649,GALAXY,"\[-59\.1044153234514,.*\]",0$/);
      const nd = await cli(['query', '--db', url(), sqlText, '--format', 'ndjson']);
      const row = JSON.parse(nd.stdout.trim()) as Record<string, unknown>;
      expect(row.targetid).toBe('39089837499744649');
      expect((row.coeff as number[]).length).toBe(10);
      const out = join(tmp.dir, `${name}.arrow`);
      const arrow = await cli(['query', '--db', url(), sqlText, '--format', 'arrow', '-o', out]);
      expect(arrow.code, arrow.stderr).toBe(0);
      const t = tableFromIPC(readFileSync(out));
      expect(t.getChild('targetid')!.get(0)).toBe(39089837499744649n);
      expect(t.numRows).toBe(1);
      const json = await cli(['ingest', RR, '--into', url(), '--table', 'rr', '--schema', 'redrock', '--json']);
      expect(JSON.parse(json.stdout).files[0]).toMatchObject({ status: 'unchanged', hdu: 'REDSHIFTS', rows: 1 });
    },
    NO_FIXTURES_MESSAGE as never,
  );

  it.skipIf(!HAVE_FIXTURES)(
    'the schema drives the DDL: NOT NULL on required columns, data-model descriptions as comments',
    async () => {
      expect((await cli(['ingest', RR, '--into', url(), '--table', 'fm', '--schema', 'fibermap'])).code).toBe(0);
      const q =
        name === 'postgres'
          ? "select a.attname as col, a.attnotnull as notnull, col_description(a.attrelid, a.attnum) as comment from pg_attribute a where a.attrelid = 'fm'::regclass and a.attname in ('target_ra', 'flux_ivar_r') order by 1"
          : "select column_name as col, not is_nullable as notnull, comment from duckdb_columns() where table_name = 'fm' and column_name in ('target_ra', 'flux_ivar_r') order by 1";
      const r = await cli(['query', '--db', url(), q, '--format', 'ndjson']);
      expect(r.code, r.stderr).toBe(0);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      // The comments are lib/desi's data-model text for the column, "description [unit]".
      const spec = (n: string) => FIBERMAP_COLUMNS.find((c) => c.name === n)!;
      const text = (n: string) => `${spec(n).description} [${spec(n).unit}]`;
      expect(rows).toEqual([
        { col: 'flux_ivar_r', notnull: false, comment: text('FLUX_IVAR_R') },
        { col: 'target_ra', notnull: true, comment: text('TARGET_RA') },
      ]);
      expect(text('TARGET_RA')).toMatch(/right ascension.*\[deg\]/i);
    },
    NO_FIXTURES_MESSAGE as never,
  );
});
