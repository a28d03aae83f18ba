/**
 * The inventory's inputs and verdicts beyond the 1,000-file run (test/store/inventory.test.ts): a corrupt file among
 * good ones (a row with its error, exit 1, read again next scan), `--checksum` equal to `fits verify`, a list file of
 * paths and an HTTP URL (headers only: a fraction of the file's bytes travel), progress in files, the CLI's summaries.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProgress } from '../../lib/core/index.js';
import { FitsFile, summarizeHdu } from '../../lib/fits/index.js';
import { writeFits } from '../../lib/fits/writer/index.js';
import { inventory, openStore } from '../../lib/store/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { TestHttpServer } from '../helpers/http-server.js';
import { storeTestFile } from './store-helpers.js';

const { tmp, engines } = storeTestFile(__filename, 'inputs.duckdb');
let server: TestHttpServer;

async function writeGood(path: string, i: number, pixels = 0): Promise<void> {
  const table = new Table({
    TARGETID: vectorFromArray([BigInt(i), BigInt(i + 1)], new Int64()),
    Z: vectorFromArray([0.5, 1.5], new Float64()),
  });
  await writeFits(
    path,
    [
      {
        kind: 'image',
        cards: [{ keyword: 'SURVEY', value: 'main' }],
        ...(pixels ? { data: new Float64Array(pixels), naxis: [pixels] } : {}),
      },
      { kind: 'table', table, name: 'REDSHIFTS', cards: [{ keyword: 'HPXPIXEL', value: 100 + i }] },
    ],
    { overwrite: true },
  );
}

async function rowsOf(url: string, table = 'inventory'): Promise<Record<string, unknown>[]> {
  const store = await openStore(url);
  try {
    // list cells (naxis, column names) come back as Arrow vectors: plain arrays, so rows compare by value
    return (await store.query(`select * from ${table} order by path, hdu`))
      .toArray()
      .map((r) =>
        Object.fromEntries(
          Object.entries(r.toJSON() as Record<string, unknown>).map(([k, v]) => [
            k,
            v !== null && typeof v === 'object' && Symbol.iterator in v ? [...(v as Iterable<unknown>)] : v,
          ]),
        ),
      );
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await writeGood(join(tmp.dir, 'big.fits'), 9, 200_000); // 1.6 MB of pixels behind two small headers
  server = await TestHttpServer.start({ files: { '/dr1/big.fits': join(tmp.dir, 'big.fits') } });
});
afterAll(async () => {
  await server?.close();
});

describe.each(engines)('inventory inputs in $name', ({ name, url }) => {
  const mixed = join(tmp.dir, `mixed-${name}`);
  const good = (file: string) => join(mixed, file);
  const table = `inv_${name}`;

  it('a corrupt file among good ones gets a row with its error, exit 1, and is read again on the next scan', async () => {
    mkdirSync(mixed);
    for (let i = 0; i < 3; i++) await writeGood(good(`good-${i}.fits`), i);
    writeFileSync(
      good('garbage.fits'),
      Uint8Array.from({ length: 5760 }, (_, i) => (i * 7919 + 13) % 251),
    );
    writeFileSync(good('empty.fits'), new Uint8Array(0));
    const r = await skybookInProcess(['inventory', mixed, '--into', url(), '--table', table, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { scanned: number; read: number; failed: number; failures: { path: string; error: string }[] };
    expect(doc).toMatchObject({ scanned: 5, read: 5, failed: 2 });
    expect(doc.failures.map((f) => f.path)).toEqual([good('empty.fits'), good('garbage.fits')]);
    expect(doc.failures[0]!.error).toMatch(/empty\.fits: empty file/);
    expect(doc.failures[1]!.error).toMatch(/garbage\.fits: HDU 0: SIMPLE: not a FITS file/);
    const rows = await rowsOf(url(), table);
    expect(rows.map((x) => [String(x.path).split('/').pop(), x.hdu])).toEqual([
      ['empty.fits', null],
      ['garbage.fits', null],
      ['good-0.fits', 0],
      ['good-0.fits', 1],
      ['good-1.fits', 0],
      ['good-1.fits', 1],
      ['good-2.fits', 0],
      ['good-2.fits', 1],
    ]);
    expect(rows.filter((x) => x.error !== null).map((x) => String(x.error))).toEqual(doc.failures.map((f) => f.error));
    expect(rows[2]).toMatchObject({ survey: 'main', hpxpixel: null, hdu_type: 'IMAGE' });
    expect(rows[3]).toMatchObject({ survey: 'main', hpxpixel: 100n, extname: 'REDSHIFTS', n_rows: 2n, n_columns: 2 });

    // the text summary says the same, and the failed files are read again (the good ones are not)
    const again = await skybookInProcess(['inventory', mixed, '--into', url(), '--table', table]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/scan 2: 5 file\(s\) scanned, 3 unchanged \(not read\), 2 read, 0 removed, 2 failed/);
    expect(again.stdout).toMatch(/failed: .*garbage\.fits: HDU 0: SIMPLE: not a FITS file/);

    // mended, the file is read and the scan succeeds
    writeFileSync(good('garbage.fits'), readFileSync(good('good-0.fits')));
    writeFileSync(good('empty.fits'), readFileSync(good('good-1.fits')));
    const mended = await skybookInProcess(['inventory', mixed, '--into', url(), '--table', table, '--json']);
    expect(mended.code, mended.stdout).toBe(0);
    expect(JSON.parse(mended.stdout)).toMatchObject({ scan: 3, scanned: 5, unchanged: 3, read: 2, failed: 0, rows: 4 });
    expect((await rowsOf(url(), table)).filter((x) => x.error !== null)).toEqual([]);
  });

  it('--checksum gives fits verify verdicts per HDU, a damaged HDU is bad and the exit code 1', async () => {
    const dir = join(tmp.dir, `sums-${name}`);
    mkdirSync(dir);
    await writeGood(join(dir, 'ok.fits'), 1);
    await writeGood(join(dir, 'damaged.fits'), 2);
    const bytes = readFileSync(join(dir, 'damaged.fits'));
    const fits = await FitsFile.open(join(dir, 'damaged.fits'));
    const dataAt = fits.hdus[1]!.dataOffset;
    await fits.close();
    bytes[dataAt + 3]! ^= 0xff; // a TARGETID byte of REDSHIFTS: its DATASUM no longer matches
    writeFileSync(join(dir, 'damaged.fits'), bytes);
    const r = await skybookInProcess(['inventory', dir, '--into', url(), '--table', `sums_${name}`, '--checksum', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, failed: 0, checksumBad: 1 });
    const rows = await rowsOf(url(), `sums_${name}`);
    for (const f of ['damaged.fits', 'ok.fits']) {
      const v = await skybookInProcess(['fits', 'verify', join(dir, f), '--json']);
      const verdicts = (JSON.parse(v.stdout) as { hdus: { index: number; checksum: string; datasum: string }[] }).hdus;
      const mine = rows.filter((x) => String(x.path).endsWith(`/${f}`));
      expect(mine.map((x) => [x.hdu, x.checksum, x.datasum])).toEqual(verdicts.map((h) => [h.index, h.checksum, h.datasum]));
    }
    expect(rows.filter((x) => x.datasum === 'bad').map((x) => [String(x.path).split('/').pop(), x.hdu])).toEqual([['damaged.fits', 1]]);
  });

  it('a list file: relative paths, comments, an HTTP URL read by its headers only, a missing entry named', async () => {
    const listDir = join(tmp.dir, `list-${name}`);
    mkdirSync(listDir);
    await writeGood(join(listDir, 'local.fits'), 4);
    const list = join(listDir, 'files.txt');
    const remote = server.url('/dr1/big.fits');
    writeFileSync(list, `# a DR1 mirror's files\nlocal.fits\n\n${remote}\n./gone.fits\nlocal.fits\n`);
    const progress = recordProgress();
    const before = server.bytesSent;
    const r = await inventory(list, { into: url(), table: `list_${name}`, progress, jobs: 2 });
    const sent = server.bytesSent - before;
    const bigSize = readFileSync(join(tmp.dir, 'big.fits')).length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(bigSize / 4); // headers, not the 1.6 MB of pixels
    expect(r).toMatchObject({ scanned: 3, read: 3, failed: 1 });
    expect(r.failures).toEqual([{ path: join(listDir, 'gone.fits'), error: expect.stringMatching(/gone\.fits: no such file/) as unknown }]);
    expect(progress.events[0]).toEqual({ kind: 'start', task: { label: `inventory ${list}`, total: 3, unit: 'files' } });
    expect(progress.events.filter((e) => e.kind === 'advance')).toHaveLength(3);
    const rows = await rowsOf(url(), `list_${name}`);
    const http = rows.filter((x) => x.path === remote);
    const fits = await FitsFile.open(join(tmp.dir, 'big.fits'));
    expect(http.map((x) => [x.hdu, x.hdu_type, x.size, x.mtime])).toEqual(
      fits.hdus.map(summarizeHdu).map((h) => [h.index, h.type, BigInt(bigSize), null]),
    );
    await fits.close();
    // URLs have no mtime here: they are read on every scan, local files only when they change
    const again = await inventory(list, { into: url(), table: `list_${name}` });
    expect(again).toMatchObject({ scanned: 3, unchanged: 1, read: 2, failed: 1 });
  });

  it('--table SCHEMA.NAME: the table and its scans table are made in that schema', async () => {
    const sch = `inv_sch_${name}_${process.pid}`;
    const dir = join(tmp.dir, `sch-${name}`);
    mkdirSync(dir);
    await writeGood(join(dir, 'a.fits'), 7);
    const r = await skybookInProcess(['inventory', dir, '--into', url(), '--table', `${sch}.files`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ table: `${sch}.files`, scan: 1, read: 1, rows: 2 });
    const store = await openStore(url());
    try {
      const t = await store.query(`select count(*) as n from ${sch}.files`);
      expect(Number(t.get(0)!.toJSON().n)).toBe(2);
      const scans = await store.query(`select scan, scanned, read from ${sch}.files_scans`);
      expect(scans.toArray().map((x) => x.toJSON())).toEqual([{ scan: 1, scanned: 1n, read: 1n }]);
    } finally {
      await store.run(`drop schema ${sch} cascade`);
      await store.close();
    }
  });

  it('a scan whose write fails changes nothing: the deletes and new rows of one scan commit together or not at all', async () => {
    const dir = join(tmp.dir, `atomic-${name}`);
    mkdirSync(dir);
    for (let i = 0; i < 3; i++) await writeGood(join(dir, `f-${i}.fits`), i);
    const t = `atomic_${name}`;
    expect(await inventory(dir, { into: url(), table: t })).toMatchObject({ scan: 1, read: 3 });
    const before = await rowsOf(url(), t);
    await writeGood(join(dir, 'f-0.fits'), 50, 4); // changed: new primary image
    rmSync(join(dir, 'f-1.fits')); // gone
    // a view where the scan's staging table goes: the write fails after its deletes, inside the transaction
    const store = await openStore(url());
    await store.run(`create view skybook_stage_${t} as select 1 as x`);
    await store.close();
    const err = await inventory(dir, { into: url(), table: t }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(new RegExp(`skybook_stage_${t}`));
    expect(await rowsOf(url(), t)).toEqual(before);
    const again = await openStore(url());
    try {
      expect(Number((await again.query(`select count(*) as n from ${t}_scans`)).get(0)!.toJSON().n)).toBe(1);
      await again.run(`drop view skybook_stage_${t}`);
    } finally {
      await again.close();
    }
    expect(await inventory(dir, { into: url(), table: t })).toMatchObject({ scan: 2, scanned: 2, read: 1, removed: 1, unchanged: 1 });
  });

  it('the table is the same whatever --jobs: rows in path and HDU order from 1 job and from 16', async () => {
    const dir = join(tmp.dir, `jobs-${name}`);
    mkdirSync(dir);
    for (let i = 0; i < 24; i++) await writeGood(join(dir, `j-${String(i).padStart(2, '0')}.fits`), i, i % 3);
    writeFileSync(join(dir, 'j-bad.fits'), 'SIMPLE  = nonsense');
    await inventory(dir, { into: url(), table: `jobs1_${name}`, jobs: 1 });
    await inventory(dir, { into: url(), table: `jobs16_${name}`, jobs: 16 });
    const one = await rowsOf(url(), `jobs1_${name}`);
    expect(one).toHaveLength(24 * 2 + 1);
    expect(await rowsOf(url(), `jobs16_${name}`)).toEqual(one);
  });
});
