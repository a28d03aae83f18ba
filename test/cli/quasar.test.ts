import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table, tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSurvey } from '../../lib/datasets/index.js';
import { readSpectra } from '../../lib/desi/index.js';
import {
  defaultQuasarTemplatesDir,
  emptyMlMatrix,
  loadQuasarTemplates,
  logLambdaGrid,
  measureSpectraFile,
  MlMatrixWriter,
  QUASAR_FEATURE_SCHEMA,
} from '../../lib/quasar/index.js';
import { openStore } from '../../lib/store/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-quasar-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pq = createRequire(import.meta.url)('parquet-wasm/node') as { readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array } };
const readParquet = (path: string): Table => tableFromIPC(pq.readParquet(readFileSync(path)).intoIPCStream());

// Two healpix pixels of quasar spectra from the small mock survey, with their redrock files beside them.
await makeSurvey({ preset: 'small', seed: 5, out: join(dir, 'survey'), spectra: 2 });
await makeSurvey({ preset: 'small', seed: 5, out: join(dir, 'all'), spectra: 'all' });
const coadds: string[] = [];
const walk = (d: string) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(d, e.name));
    else if (e.name.startsWith('coadd-')) coadds.push(join(d, e.name));
  }
};
walk(join(dir, 'survey', 'spectro'));
coadds.sort();
const targetids = await Promise.all(coadds.map(async (f) => Array.from((await readSpectra(f, { resolution: false })).targetids)));
const allIds = targetids.flat();

describe('skybook quasar features', () => {
  it('one row per spectrum in file order, measured + failed = spectra, the same bytes on 1 and 2 threads', async () => {
    expect(coadds).toHaveLength(2);
    const one = join(dir, 'f1.parquet');
    const two = join(dir, 'f2.parquet');
    const r1 = await skybookInProcess(['quasar', 'features', ...coadds, '--out', one, '--matrix', join(dir, 'm.parquet'), '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    const s = JSON.parse(r1.stdout);
    expect(s.spectra).toBe(allIds.length);
    expect(s.measured + s.failed).toBe(s.spectra);
    expect(s.measured).toBeGreaterThan(0);
    const r2 = await skybookInProcess(['quasar', 'features', ...coadds, '-o', two, '--threads', '2', '--json']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(readFileSync(two).equals(readFileSync(one))).toBe(true);
    const t = readParquet(one);
    expect(t.schema.fields.map((f) => f.name)).toEqual(QUASAR_FEATURE_SCHEMA.fields.map((f) => f.name));
    expect(Array.from(t.getChild('TARGETID')!.toArray() as BigInt64Array)).toEqual(allIds);
    const status = t.getChild('STATUS')!.toArray() as string[];
    const reason = t.getChild('REASON')!;
    for (let i = 0; i < t.numRows; i++) expect(reason.get(i) === null).toBe(status[i] === 'ok');
    // a measured quasar has its broad-line and BAL columns; nothing is NaN (not measured is null)
    const civ = t.getChild('civ_br_fwhm')!;
    const values = Array.from({ length: t.numRows }, (_, i) => civ.get(i) as number | null);
    expect(values.some((v) => v !== null && v > 500)).toBe(true);
    expect(values.every((v) => v === null || Number.isFinite(v))).toBe(true);
    const m = readParquet(join(dir, 'm.parquet'));
    expect(m.numRows).toBe(s.measured);
  });

  const templates = defaultQuasarTemplatesDir();
  it.skipIf(!HAVE_FIXTURES || templates === undefined)(
    '--templates: the host-subtracted, Fe II fit of an SDSS spectrum, as measureSpectraFile gives it with the templates',
    async () => {
      const spec = join(FIXTURES, 'quasar', 'spec-0332-52367-0639.fits');
      const plain = join(dir, 't0.parquet');
      const withT = join(dir, 't1.parquet');
      expect((await skybookInProcess(['quasar', 'features', spec, '-o', plain])).code).toBe(0);
      const r = await skybookInProcess(['quasar', 'features', spec, '-o', withT, '--templates', templates!, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const want = await measureSpectraFile(spec, { fit: { templates: await loadQuasarTemplates(templates!) } });
      const [a, b] = [readParquet(plain), readParquet(withT)];
      for (const col of ['hb_br_fwhm', 'hb_br_ew', 'ha_br_ew', 'log_l5100']) {
        expect(b.getChild(col)!.get(0), col).toBe(want.features.getChild(col)!.get(0));
        expect(b.getChild(col)!.get(0), col).not.toBe(a.getChild(col)!.get(0));
      }
    },
  );

  it('--redshifts without these TARGETIDs: every row failed with its reason, counts add up, exit 0', async () => {
    const other = join(dir, 'elsewhere.parquet');
    const redrock = coadds[1]!.replace('coadd-', 'redrock-');
    const r = await skybookInProcess(['quasar', 'features', coadds[0]!, '--redshifts', redrock, '--out', other, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ spectra: targetids[0]!.length, measured: 0, failed: targetids[0]!.length });
    expect(s.reasons).toEqual({ 'no redshift for this spectrum': targetids[0]!.length });
    const t = readParquet(other);
    expect(t.getChild('REASON')!.get(0)).toBe('no redshift for this spectrum');
    expect(t.getChild('civ_br_fwhm')!.get(0)).toBe(null);
    expect(t.getChild('BI_CIV')!.get(0)).toBe(null);
  });

  it('--db loads the features keyed by TARGETID; the same file again is unchanged', async () => {
    const out = join(dir, 'db.parquet');
    const db = `duckdb:${join(dir, 'q.duckdb')}`;
    const r = await skybookInProcess(['quasar', 'features', coadds[0]!, '--out', out, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).stored).toEqual({ table: 'quasar_features', status: 'loaded', rows: targetids[0]!.length });
    const again = await skybookInProcess(['quasar', 'features', coadds[0]!, '--out', out, '--db', db, '--json']);
    expect(JSON.parse(again.stdout).stored.status).toBe('unchanged');
    const store = await openStore(db);
    try {
      const t = await store.query('select targetid, status from quasar_features order by targetid');
      expect(Array.from(t.getChild('targetid')!.toArray() as BigInt64Array)).toEqual([...targetids[0]!].sort((a, b) => (a < b ? -1 : 1)));
    } finally {
      await store.close();
    }
  });

  it.each([
    [['quasar', 'features', 'nope.fits', '-o', 'x.parquet'], /nope\.fits: no such file$/],
    [['quasar', 'features', 'DIR', '-o', 'x.parquet'], /: is a directory; give the spectra files in it/],
    [['quasar', 'features', 'ZCAT', '-o', 'OUT'], /zall-pix-iron\.fits: is a zcatalog file; quasar features read DESI coadd/],
    [['quasar', 'features', 'COADD'], /missing --out FEATURES\.parquet/],
    [['quasar', 'features', 'COADD', '-o', 'OUT', '--threads', '0'], /--threads/],
    [['quasar', 'features', 'COADD', '-o', '/no/such/dir/f.parquet'], /\/no\/such\/dir/],
    [['quasar', 'anomalies', 'MATRIX', '-o', 'OUT', '--method', 'svm'], /--method.*pca or onnx/],
    [['quasar', 'anomalies', 'MATRIX', '-o', 'OUT', '--method', 'onnx'], /--method onnx needs --model/],
    [
      ['quasar', 'anomalies', 'MATRIX', '-o', 'OUT'],
      /m\.parquet: \d spectra cannot define 8 principal components: give more spectra or fewer --components$/,
    ],
  ])('bad input %j: exit 2, one line naming it', async (args, message) => {
    const zcat = join(dir, 'survey', 'spectro', 'redux', 'iron', 'zcatalog', 'v1', 'zall-pix-iron.fits');
    const fill: Record<string, string> = {
      DIR: dir,
      ZCAT: zcat,
      COADD: coadds[0]!,
      OUT: join(dir, 'bad.parquet'),
      MATRIX: join(dir, 'm.parquet'),
    };
    const r = await skybookInProcess(args.map((a) => fill[a] ?? a));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('a coadd without a redrock file beside it and no --redshifts: exit 2 naming the file and what to give', async () => {
    const lone = join(dir, 'coadd-main-dark-1.fits');
    const { copyFileSync } = await import('node:fs');
    copyFileSync(coadds[0]!, lone);
    const r = await skybookInProcess(['quasar', 'features', lone, '-o', join(dir, 'lone.parquet')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /coadd-main-dark-1\.fits: no redshifts: give --redshifts REDROCK\.\.\. \(or put redrock-main-dark-1\.fits beside it\)/,
    );
  });
});

describe('skybook quasar anomalies', () => {
  it('pca: one row per matrix row, RANK 1..n, the top N printed; the same seed gives the same file', async () => {
    const all: string[] = [];
    const collect = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) collect(join(d, e.name));
        else if (e.name.startsWith('coadd-')) all.push(join(d, e.name));
    };
    collect(join(dir, 'all', 'spectro'));
    const matrix = join(dir, 'm-all.parquet');
    const f = await skybookInProcess([
      'quasar',
      'features',
      ...all.sort(),
      '-o',
      join(dir, 'f-all.parquet'),
      '--matrix',
      matrix,
      '--threads',
      '2',
    ]);
    expect(f.code, f.stderr).toBe(0);
    const rows = readParquet(matrix).numRows;
    expect(rows).toBeGreaterThan(20);
    const a = join(dir, 'a.parquet');
    const r = await skybookInProcess(['quasar', 'anomalies', matrix, '-o', a, '--top', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ method: 'pca', rows });
    expect(s.top).toHaveLength(3);
    const t = readParquet(a);
    expect(Array.from(t.getChild('RANK')!.toArray() as Int32Array)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(String(t.getChild('TARGETID')!.get(0))).toBe(s.top[0]);
    const b = join(dir, 'b.parquet');
    expect((await skybookInProcess(['quasar', 'anomalies', matrix, '-o', b])).code).toBe(0);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });

  it('onnx: the committed test VAE scores a matrix on its 64-pixel grid; a matrix of another width is exit 2 naming both', async () => {
    const grid = logLambdaGrid({ start: 1500, end: 1500 * 10 ** (2e-4 * 63), dlog10: 2e-4 });
    const m = emptyMlMatrix(50, grid);
    for (let r = 0; r < 50; r++) {
      m.targetid[r] = 39627788000000000n + BigInt(r);
      m.scale[r] = 1;
      for (let j = 0; j < 64; j++) {
        m.flux[r * 64 + j] = 1 + 0.1 * Math.sin(j / 5 + r);
        m.ivar[r * 64 + j] = 100;
      }
    }
    const path = join(dir, 'm64.parquet');
    const w = new MlMatrixWriter(path);
    await w.write(m);
    await w.close();
    const out = join(dir, 'onnx.parquet');
    const r = await skybookInProcess([
      'quasar',
      'anomalies',
      path,
      '-o',
      out,
      '--method',
      'onnx',
      '--model',
      'python/models/test-vae.onnx',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const t = readParquet(out);
    expect(t.numRows).toBe(50);
    const chi2 = Array.from(t.getChild('CHI2')!.toArray() as Float64Array);
    expect(chi2.every((x, i) => Number.isFinite(x) && (i === 0 || x <= chi2[i - 1]!))).toBe(true);
    const wide = await skybookInProcess([
      'quasar',
      'anomalies',
      join(dir, 'm.parquet'),
      '-o',
      out,
      '--method',
      'onnx',
      '--model',
      'python/models/test-vae.onnx',
    ]);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/test-vae\.onnx: the model takes 64 pixels per spectrum but the ML matrix has 4226/);
  });
});
