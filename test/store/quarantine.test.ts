import { isUtf8 } from 'node:buffer';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Float64, Int64, makeData, makeVector, RecordBatch, Schema, Field, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { writeFits } from '../../lib/fits/writer/index.js';
import { StoreError } from '../../lib/errors/index.js';
import { ingest, openStore, PRODUCT_SCHEMAS, validateBatch } from '../../lib/store/index.js';
import { firstInvalidUtf8 } from '../../lib/store/validate/column-check.js';
import { BAD_KINDS, badKind, isBadRow, writeZcatalog, cli, storeTestFile } from './store-helpers.js';

const ROWS = 20_000;
const { tmp, engines } = storeTestFile(__filename, 'q.duckdb');
const file = join(tmp.dir, 'zcat-bad.fits');
const expectedBad = Array.from({ length: ROWS }, (_, i) => i).filter(isBadRow);

beforeAll(async () => {
  await writeZcatalog(file, ROWS, 11, { bad: true });
});

describe.each(engines)('quarantine and ledger in $name', ({ url }) => {
  it('1% planted bad rows land in quarantine with their reasons; loaded + quarantined = input', async () => {
    const [r] = await ingest(file, { into: url(), table: 'zq', schema: 'zcatalog' });
    expect(r).toMatchObject({ status: 'loaded', rows: ROWS, loaded: ROWS - expectedBad.length, quarantined: expectedBad.length });
    const store = await openStore(url());
    try {
      const q = await store.query(
        "select row_number, reasons, row_json, hdu, source_path, table_name from skybook_quarantine where table_name = 'zq' order by row_number",
      );
      expect(Array.from(q.getChild('row_number')!.toArray() as ArrayLike<bigint>, Number)).toEqual(expectedBad);
      q.toArray().forEach((row, k) => {
        const o = row.toJSON() as Record<string, unknown>;
        const want = badKind(expectedBad[k]!);
        expect(String(o.reasons).startsWith(`${want.column}:`), `row ${expectedBad[k]}: ${String(o.reasons)}`).toBe(true);
        expect(o.hdu).toBe('ZCATALOG');
        expect(o.source_path).toBe(file);
        const json = JSON.parse(String(o.row_json)) as Record<string, unknown>;
        expect(Object.keys(json)).toHaveLength(25);
        if (want.column === 'TARGET_RA') expect(json.TARGET_RA).toBe('NaN');
        if (want.column === 'TARGET_DEC') expect(json.TARGET_DEC).toBe(95);
      });
      // Every kind appears, and no loaded row breaks a rule.
      expect(new Set(q.toArray().map((row) => String(row.toJSON().reasons).split(':')[0]))).toEqual(
        new Set(BAD_KINDS.map((b) => b.column)),
      );
      const bad =
        await store.query(`select count(*) as n from zq where not (target_ra >= 0 and target_ra < 360 and target_dec between -90 and 90
        and flux_ivar_r >= 0 and zerr >= 0 and spectype in ('GALAXY', 'QSO', 'STAR'))`);
      expect(Number(bad.get(0)!.toJSON().n)).toBe(0);
      const n = await store.query('select count(*) as n from zq');
      expect(Number(n.get(0)!.toJSON().n)).toBe(ROWS - expectedBad.length);
      const ledger = await store.query(
        "select rows_loaded, rows_quarantined, sha256, size, hdu, skybook_version from skybook_loads where table_name = 'zq'",
      );
      expect(ledger.numRows).toBe(1);
      const l = ledger.get(0)!.toJSON();
      expect([Number(l.rows_loaded), Number(l.rows_quarantined), l.hdu, l.skybook_version]).toEqual([
        ROWS - expectedBad.length,
        expectedBad.length,
        'ZCATALOG',
        '0.1.0',
      ]);
      expect(String(l.sha256)).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await store.close();
    }
  });

  it('re-running the same file is a no-op that says so; a changed file is refused unless --replace', async () => {
    const again = await cli(['ingest', file, '--into', url(), '--table', 'zq', '--schema', 'zcatalog']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/unchanged since load \d+ \(same sha256\); nothing written/);
    // A copy at another path whose bytes then change: first load, then change it and re-run.
    const copy = join(tmp.dir, 'zcat-copy.fits');
    copyFileSync(file, copy);
    expect((await cli(['ingest', copy, '--into', url(), '--table', 'zq2', '--json'])).code).toBe(0);
    await writeZcatalog(copy, 1000, 12);
    const refused = await cli(['ingest', copy, '--into', url(), '--table', 'zq2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/changed since load \d+ .*use --replace/);
    const replaced = await cli(['ingest', copy, '--into', url(), '--table', 'zq2', '--replace', '--json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout).files[0]).toMatchObject({ status: 'replaced', rows: 1000, loaded: 1000 });
    const store = await openStore(url());
    try {
      const n = await store.query('select count(*) as n, count(distinct skybook_load) as loads from zq2');
      expect([Number(n.get(0)!.toJSON().n), Number(n.get(0)!.toJSON().loads)]).toEqual([1000, 1]);
      const led = await store.query("select count(*) as n from skybook_loads where table_name = 'zq2'");
      expect(Number(led.get(0)!.toJSON().n)).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('validation rules', () => {
  it('NUL bytes in strings are quarantined (PostgreSQL text cannot hold them); zod gives the reasons', () => {
    const t = new Table({
      TARGETID: vectorFromArray([1n, 2n, 3n], new Int64()),
      Z: vectorFromArray([0.1, 0.2, 0.3], new Float64()),
      ZERR: vectorFromArray([0, 0, 0], new Float64()),
      ZWARN: vectorFromArray([0n, -1n, 0n], new Int64()),
      CHI2: vectorFromArray([1, 1, 1], new Float64()),
      SPECTYPE: vectorFromArray(['QSO', 'STAR', 'GAL\u0000AXY'], new Utf8()),
      DELTACHI2: vectorFromArray([1, 2, NaN], new Float64()),
    });
    const v = validateBatch(t.batches[0]!, PRODUCT_SCHEMAS.redrock);
    expect(Array.from(v.good)).toEqual([0]);
    expect(v.rejected.map((r) => r.row)).toEqual([1, 2]);
    expect(v.rejected[0]!.reasons.join('; ')).toMatch(/^ZWARN: .*value -1/);
    const r2 = v.rejected[1]!.reasons.join('; ');
    expect(r2).toMatch(/SPECTYPE: /);
    expect(r2).toMatch(/DELTACHI2: .*NaN/);
    expect(r2).toMatch(/SPECTYPE: string contains NUL/);
  });

  it.each<[string, number[], number]>([
    ['ASCII', [0x41, 0x42], -1],
    ['two- three- and four-byte characters', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x94, 0xad], -1],
    ['0xFF', [0x41, 0xff, 0x42], 1],
    ['a stray continuation byte', [0x41, 0x80], 1],
    ['a sequence cut short', [0x41, 0xe2, 0x82], 1],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a lead byte before ASCII', [0xc3, 0x41], 0],
  ])('firstInvalidUtf8: %s', (_, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
    expect(at < 0).toBe(isUtf8(Uint8Array.from(bytes))); // Node's own validator agrees
  });

  it('bytes that are not UTF-8 are quarantined with the column and a hex excerpt, with or without a schema, cell by cell', () => {
    // Five cells: valid, 0xFF, valid 'é', and 'ab\xC3' + '\xA9cd': invalid apart although 'ab©cd' is valid together.
    const cells = [
      [0x6f, 0x6b],
      [0x4e, 0x41, 0xff, 0x45],
      [0xc3, 0xa9],
      [0x61, 0x62, 0xc3],
      [0xa9, 0x63, 0x64],
    ];
    const offsets = Int32Array.from([0, ...cells.map((_, i) => cells.slice(0, i + 1).flat().length)]);
    const name = makeVector(makeData({ type: new Utf8(), length: 5, valueOffsets: offsets, data: Uint8Array.from(cells.flat()) }));
    const id = vectorFromArray([1n, 2n, 3n, 4n, 5n], new Int64());
    const batch = new RecordBatch(
      new Schema([new Field('ID', new Int64()), new Field('NAME', new Utf8())]),
      makeData({
        type: new Struct([new Field('ID', new Int64()), new Field('NAME', new Utf8())]),
        length: 5,
        children: [id.data[0]!, name.data[0]!],
      }),
    );
    const v = validateBatch(batch);
    expect(Array.from(v.good)).toEqual([0, 2]);
    expect(v.rejected).toEqual([
      { row: 1, reasons: ['NAME: invalid UTF-8 at byte 2 of 4: 4e 41 ff 45 (PostgreSQL and DuckDB store text as UTF-8)'] },
      { row: 3, reasons: ['NAME: invalid UTF-8 at byte 2 of 3: 61 62 c3 (PostgreSQL and DuckDB store text as UTF-8)'] },
      { row: 4, reasons: ['NAME: invalid UTF-8 at byte 0 of 3: a9 63 64 (PostgreSQL and DuckDB store text as UTF-8)'] },
    ]);
    // A long cell shows 16 bytes around the bad one, with ... where it goes on.
    const long = Uint8Array.from([...Array(20).fill(0x61), 0xff, ...Array(20).fill(0x62)]);
    const one = new Table({
      S: makeVector(makeData({ type: new Utf8(), length: 1, valueOffsets: Int32Array.from([0, long.length]), data: long })),
    });
    expect(validateBatch(one.batches[0]!).rejected[0]!.reasons[0]).toBe(
      'S: invalid UTF-8 at byte 20 of 41: ... 61 61 61 61 61 61 61 61 ff 62 62 62 62 62 62 62 ... (PostgreSQL and DuckDB store text as UTF-8)',
    );
  });

  it('a file missing a column the schema requires is refused with exit code 2, naming it; so is a non-FITS file', async () => {
    const small = join(tmp.dir, 'two-columns.fits');
    await writeFits(
      small,
      [
        {
          kind: 'table',
          name: 'REDSHIFTS',
          table: new Table({ TARGETID: vectorFromArray([1n], new Int64()), Z: vectorFromArray([0.5], new Float64()) }),
        },
      ],
      { overwrite: true },
    );
    const err = await ingest(small, { into: 'duckdb::memory:', table: 'x', schema: 'redrock' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(
      /two-columns\.fits: HDU REDSHIFTS: .*column ZERR: missing column ZERR required by --schema redrock/,
    );
    const notFits = join(tmp.dir, 'not-fits.txt');
    writeFileSync(notFits, 'not fits');
    const bad = await cli(['ingest', notFits, '--into', 'duckdb::memory:', '--table', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not-fits.txt');
  });
});
