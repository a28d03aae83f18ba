/**
 * `store.inventory` over 1,000 files in both engines: the small mock survey, the real files of ../shared/fixtures (when
 * present) and generated small FITS files to make up the number. Every HDU row equals `fits info`'s summary of it (the
 * library function for all files, the built CLI for a sample); a rescan reads no file whose size and mtime did not
 * change (a file overwritten with garbage under its old size and mtime goes unnoticed), reads exactly a touched file,
 * replaces a rewritten file's rows and removes a deleted file's rows.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Float32, Float64, Int64, Table, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSurvey } from '../../lib/datasets/index.js';
import { FitsFile, summarizeHdu, type HduSummary } from '../../lib/fits/index.js';
import { writeFits } from '../../lib/fits/writer/index.js';
import { FITS_NAME, inventory, openStore, type InventoryResult } from '../../lib/store/index.js';
import { CLI, skybook } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { storeTestFile } from './store-helpers.js';

const TOTAL = 1000;
const { tmp, engines } = storeTestFile(__filename, 'inventory.duckdb');
/** The real files: ../shared/fixtures beside the repository (a worktree elsewhere names it by SKYBOOK_FIXTURES). */
const FIX = process.env.SKYBOOK_FIXTURES ?? FIXTURES;
const mock = join(tmp.dir, 'mock');
/** Generated files get this mtime (whole seconds), so restoring it after an overwrite is exact to the nanosecond. */
const T0 = new Date('2026-01-02T03:04:05Z');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : FITS_NAME.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** A small DESI-like file: a primary (an image for every third) with healpix keywords, and a REDSHIFTS table. */
async function writeGenerated(path: string, i: number): Promise<void> {
  const cards = [
    { keyword: 'SURVEY', value: i % 2 ? 'main' : 'sv3' },
    { keyword: 'PROGRAM', value: i % 3 ? 'dark' : 'bright' },
    { keyword: 'SPGRP', value: 'healpix' },
    { keyword: 'SPGRPVAL', value: 10_000 + i },
    { keyword: 'HPXPIXEL', value: 10_000 + i },
    { keyword: 'HPXNSIDE', value: 64 },
    ...(i % 5 ? [] : [{ keyword: 'TILEID', value: 1000 + i }]),
  ];
  const primary =
    i % 3 === 0
      ? { kind: 'image' as const, data: Float32Array.from({ length: 12 }, (_, k) => k + i), naxis: [4, 3], cards }
      : { kind: 'image' as const, cards };
  const table = new Table({
    TARGETID: vectorFromArray([BigInt(i) * 1000n, BigInt(i) * 1000n + 1n], new Int64()),
    Z: vectorFromArray([i / 1000, i / 2000], new Float64()),
    ...(i % 4 ? {} : { FLUX: vectorFromArray([1, 2], new Float32()) }),
  });
  await writeFits(path, [primary, { kind: 'table', table, name: 'REDSHIFTS', cards: [{ keyword: 'NIGHT', value: 20210514 + (i % 30) }] }], {
    overwrite: true,
  });
  if (path.endsWith('.gz')) writeFileSync(path, gzipSync(readFileSync(path)));
  utimesSync(path, T0, T0);
}

/**
 * One engine's set of 1,000 files in its own folder (the engines' tests change files): links to the mock survey and to
 * the real fixtures, and its own generated files (every tenth gzipped).
 */
async function makeSet(dir: string): Promise<string[]> {
  mkdirSync(join(dir, 'mock'), { recursive: true });
  for (const f of walk(mock)) symlinkSync(f, join(dir, 'mock', relative(mock, f).split('/').join('__')));
  if (existsSync(FIX)) {
    mkdirSync(join(dir, 'fixtures'));
    for (const f of walk(FIX)) symlinkSync(f, join(dir, 'fixtures', relative(FIX, f).split('/').join('__')));
  }
  mkdirSync(join(dir, 'gen'));
  const have = walk(dir).length;
  for (let i = 0; have + i < TOTAL; i++)
    await writeGenerated(join(dir, 'gen', `g-${String(i).padStart(4, '0')}.fits${i % 10 ? '' : '.gz'}`), i);
  return walk(dir).sort();
}

/** What `fits info` says of a file through the library function behind it, or the error it stops with. */
async function fitsInfo(path: string): Promise<HduSummary[] | string> {
  try {
    const fits = await FitsFile.open(path);
    try {
      return fits.hdus.map(summarizeHdu);
    } finally {
      await fits.close();
    }
  } catch (e) {
    return (e as Error).message;
  }
}

const list = (v: unknown): unknown[] | null => (v === null || v === undefined ? null : [...(v as Iterable<unknown>)]);

/** The inventory's rows per file, put back into `fits info`'s shape (or the error of a file that failed). */
async function storedInfo(
  url: string,
  table = 'inventory',
): Promise<Map<string, { hdus: HduSummary[] | string; rows: Record<string, unknown>[] }>> {
  const store = await openStore(url);
  try {
    const t = await store.query(`select * from ${table} order by path, hdu`);
    const out = new Map<string, { hdus: HduSummary[] | string; rows: Record<string, unknown>[] }>();
    for (const row of t) {
      const o = row.toJSON() as Record<string, unknown>;
      const path = String(o.path);
      const entry = out.get(path) ?? { hdus: [], rows: [] };
      out.set(path, entry);
      entry.rows.push(o);
      if (o.error !== null) {
        entry.hdus = String(o.error);
        continue;
      }
      const names = list(o.column_names);
      const tforms = list(o.column_tforms);
      (entry.hdus as HduSummary[]).push({
        index: Number(o.hdu),
        name: String(o.extname),
        ver: Number(o.extver),
        type: String(o.hdu_type),
        naxis: list(o.naxis)?.map(Number) ?? null,
        dtype: o.dtype === null ? null : String(o.dtype),
        rows: o.n_rows === null ? null : Number(o.n_rows),
        columns: names ? names.map((n, k) => ({ name: String(n), tform: String(tforms![k]) })) : null,
      });
    }
    return out;
  } finally {
    await store.close();
  }
}

let survey: { files: number } = { files: 0 };
beforeAll(async () => {
  const s = await makeSurvey({ preset: 'small', seed: 1, out: mock });
  survey = { files: walk(mock).length };
  expect(s.files.length).toBeGreaterThan(0);
  if (!existsSync(FIX)) console.warn(`inventory test: the real fixtures are skipped: ${FIX} is absent (set SKYBOOK_FIXTURES to use them)`);
}, 300_000);

describe.each(engines)('inventory of 1,000 files in $name', ({ name, url }) => {
  const dir = join(tmp.dir, `set-${name}`);
  let files: string[] = [];
  let first: InventoryResult;

  it('one row per HDU, equal field by field to fits info for every file', async () => {
    files = await makeSet(dir);
    expect(files).toHaveLength(TOTAL);
    expect(files.filter((f) => f.includes('/mock/'))).toHaveLength(survey.files);
    if (existsSync(FIX)) expect(files.some((f) => f.includes('fixtures/desi__redrock-special-dark-27247.fits'))).toBe(true);
    first = await inventory(dir, { into: url(), jobs: 8 });
    const expected = new Map<string, HduSummary[] | string>();
    for (const f of files) expected.set(f, await fitsInfo(f));
    const failing = [...expected].filter(([, v]) => typeof v === 'string').map(([k]) => k);
    expect(first).toMatchObject({ scan: 1, scanned: TOTAL, unchanged: 0, read: TOTAL, removed: 0, failed: failing.length });
    expect(first.rows).toBe([...expected.values()].reduce((n, v) => n + (typeof v === 'string' ? 1 : v.length), 0));
    const stored = await storedInfo(url());
    expect([...stored.keys()]).toEqual(files);
    for (const f of files) {
      const got = stored.get(f)!;
      expect(got.hdus, f).toEqual(expected.get(f));
      const st = statSync(f);
      for (const r of got.rows) {
        expect(Number(r.size), f).toBe(st.size);
        expect(Number(r.mtime), f).toBe(Math.floor(st.mtimeMs));
        if (r.error === null) expect(Number(r.n_columns ?? 0), f).toBe(list(r.column_names)?.length ?? 0);
      }
    }
    // DESI keywords: the generated files' own values; in the mock survey, the pixel its file name says
    for (const f of files.filter((x) => x.includes('/gen/'))) {
      const i = Number(/g-(\d+)/.exec(f)![1]);
      for (const r of stored.get(f)!.rows) {
        expect(r, f).toMatchObject({ survey: i % 2 ? 'main' : 'sv3', program: i % 3 ? 'dark' : 'bright', spgrp: 'healpix' });
        expect([r.hpxpixel, r.spgrpval, r.hpxnside], f).toEqual([BigInt(10_000 + i), BigInt(10_000 + i), 64n]);
        expect(r.tileid, f).toBe(i % 5 ? null : BigInt(1000 + i));
        expect(r.night, f).toBe(r.hdu === 1 ? BigInt(20210514 + (i % 30)) : null);
        expect([r.checksum, r.datasum, r.error]).toEqual([null, null, null]);
      }
    }
    let pixels = 0;
    for (const f of files.filter((x) => x.includes('/mock/'))) {
      const m = /-(\d+)\.fits/.exec(f.split('__').pop()!);
      const hpx = stored.get(f)!.rows[0]!.hpxpixel;
      if (m && hpx !== null && f.includes('healpix')) {
        expect(hpx, f).toBe(BigInt(m[1]!));
        pixels++;
      }
    }
    expect(pixels).toBeGreaterThan(0);
  }, 300_000);

  it.runIf(existsSync(CLI))(
    'equals the built skybook fits info --json for a sample of files',
    async () => {
      const stored = await storedInfo(url());
      const sample = files.filter((_, k) => k % 100 === 7);
      for (const f of sample) {
        const r = skybook(['fits', 'info', f, '--json']);
        const want = stored.get(f)!.hdus;
        if (typeof want === 'string') {
          expect(r.code, f).toBe(2);
          continue;
        }
        expect(r.code, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { hdus: HduSummary[] }).hdus, f).toEqual(want);
      }
    },
    120_000,
  );

  it('a rescan reads no unchanged file: garbage under the old size and mtime goes unnoticed; a touched file is read', async () => {
    const gen = files.filter((f) => f.includes('/gen/') && !f.endsWith('.gz'));
    const [garbled, touched, rewritten, deleted] = [gen[3]!, gen[10]!, gen[20]!, gen[30]!];
    const failedBefore = first.failed;
    const again = await inventory(dir, { into: url() });
    expect(again).toMatchObject({ scan: 2, scanned: TOTAL, unchanged: TOTAL - failedBefore, read: failedBefore, removed: 0 });

    const garbledInfo = await fitsInfo(garbled);
    const size = statSync(garbled).size;
    writeFileSync(garbled, Buffer.alloc(size, 0x5a));
    utimesSync(garbled, T0, T0);
    expect(statSync(garbled).size).toBe(size);
    const later = new Date(T0.getTime() + 3_600_000);
    utimesSync(touched, later, later);
    const third = await inventory(dir, { into: url() });
    expect(third).toMatchObject({
      scan: 3,
      scanned: TOTAL,
      unchanged: TOTAL - 1 - failedBefore,
      read: 1 + failedBefore,
      failed: failedBefore,
    });
    const stored = await storedInfo(url());
    expect(typeof (await fitsInfo(garbled))).toBe('string'); // the bytes are garbage now: a read would fail
    expect(stored.get(garbled)!.hdus).toEqual(garbledInfo);
    expect(stored.get(garbled)!.rows.map((r) => r.skybook_load)).toEqual(stored.get(garbled)!.rows.map(() => 1));
    expect(stored.get(touched)!.rows.map((r) => r.skybook_load)).toEqual(stored.get(touched)!.rows.map(() => 3));
    expect(Number(stored.get(touched)!.rows[0]!.mtime)).toBe(later.getTime());
    expect(stored.get(touched)!.hdus).toEqual(await fitsInfo(touched));

    // a rewritten file (new HDUs, new mtime) has its rows replaced; a deleted one loses its rows, and the summary says so
    await writeFits(rewritten, [{ kind: 'image' }, { kind: 'image', name: 'EXTRA', data: new Float64Array(6), naxis: [2, 3] }], {
      overwrite: true,
    });
    unlinkSync(deleted);
    const fourth = await inventory(dir, { into: url() });
    expect(fourth).toMatchObject({
      scan: 4,
      scanned: TOTAL - 1,
      read: 1 + failedBefore,
      removed: 1,
      removedPaths: [deleted],
      failed: failedBefore,
    });
    const after = await storedInfo(url());
    expect(after.has(deleted)).toBe(false);
    expect(after.get(rewritten)!.hdus).toEqual(await fitsInfo(rewritten));
    expect((after.get(rewritten)!.hdus as HduSummary[]).map((h) => h.name)).toEqual(['PRIMARY', 'EXTRA']);
    expect(after.size).toBe(TOTAL - 1);
  }, 300_000);
});
