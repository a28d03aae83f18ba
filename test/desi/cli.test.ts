import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Table, makeVector, vectorFromArray, Utf8 } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/writer/index.js';
import { skybook } from '../helpers/cli.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';
import { mockTargetid, writeMockCoadd } from './mock-coadd.js';

const DESI = join(FIXTURES, 'desi');
const dir = mkdtempSync(join(tmpdir(), 'skybook-desi-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exp {
  hdus: Array<{
    name: string;
    cards: Array<{ keyword: string; value: unknown }>;
    table?: { columns: Array<{ name: string; first: unknown }> };
    image?: { size: number; first: number[]; last: number[] };
  }>;
}
const expected = (f: string): Exp =>
  JSON.parse(
    readFileSync(join(DESI, 'expected', `fits__desi__${f}.json`), 'utf8').replace(/(?<=[:[,]\s*)(\d{16,})(?=\s*[,\]}])/g, '"$1"'),
  ) as Exp;
const card = (e: Exp, k: string): unknown => e.hdus[0]!.cards.find((c) => c.keyword === k)?.value;

function info(path: string): Record<string, unknown> {
  const r = skybook(['desi', 'info', path, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe.skipIf(!HAVE_FIXTURES)(HAVE_FIXTURES ? 'skybook desi info on the real DESI files' : NO_FIXTURES_MESSAGE, () => {
  it('coadd: product, header keys, TARGETIDs, arms and FIBERMAP columns as astropy sees them', () => {
    const e = expected('coadd-special-dark-27247.fits');
    const fm = e.hdus.find((h) => h.name === 'FIBERMAP')!.table!;
    const arms = Object.fromEntries(
      ['B', 'R', 'Z'].map((b) => {
        const img = e.hdus.find((h) => h.name === `${b}_WAVELENGTH`)!.image!;
        return [b, { nwave: img.size, wmin: img.first[0], wmax: img.last[img.last.length - 1] }];
      }),
    );
    expect(info(join(DESI, 'coadd-special-dark-27247.fits'))).toEqual({
      product: 'coadd',
      survey: card(e, 'SURVEY'),
      program: card(e, 'PROGRAM'),
      healpix: card(e, 'HPXPIXEL'),
      nspec: 1,
      targetids: [String(fm.columns[0]!.first)],
      arms,
      columns: fm.columns.map((c) => c.name),
    });
  });

  it('redrock: REDSHIFTS columns, no arms', () => {
    const e = expected('redrock-special-dark-27247.fits');
    const rs = e.hdus.find((h) => h.name === 'REDSHIFTS')!.table!;
    expect(info(join(DESI, 'redrock-special-dark-27247.fits'))).toEqual({
      product: 'redrock',
      survey: 'special',
      program: 'dark',
      healpix: 27247,
      nspec: 1,
      targetids: ['39089837499744649'],
      arms: {},
      columns: rs.columns.map((c) => c.name),
    });
  });

  it('SDSS spec file: sdss-spec with one SDSS arm', () => {
    const j = info(join(FIXTURES, 'quasar', 'spec-0332-52367-0639.fits'));
    expect(j).toMatchObject({ product: 'sdss-spec', survey: 'sdss', healpix: null, nspec: 1, targetids: ['373974455765985280'] });
    expect((j.arms as Record<string, { nwave: number }>).SDSS!.nwave).toBe(3810);
  });

  it('text output is readable', () => {
    const r = skybook(['desi', 'info', join(DESI, 'coadd-special-dark-27247.fits')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /coadd-special-dark-27247\.fits: coadd\n {2}survey special, program dark, healpix 27247\n {2}1 spectra; first TARGETIDs: 39089837499744649\n {2}arm B: 2751 pixels, 3600\.0-5800\.0 A/,
    );
  });

  it('a file that is no DESI product exits 2 naming the file, what was expected and what it has', () => {
    const r = skybook(['desi', 'info', join(FIXTURES, 'quasar', 'rrtemplate-QSO-HIZ-v1.1.fits')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /rrtemplate-QSO-HIZ-v1\.1\.fits: not a DESI product: expected a BINTABLE HDU ZCATALOG .*the file has: BASIS_VECTORS \(IMAGE\), REDSHIFTS \(IMAGE\)/,
    );
  });
});

describe('skybook desi info on files written here', () => {
  beforeAll(async () => {
    const n = 7;
    const tids = BigInt64Array.from({ length: n }, (_, i) => mockTargetid(i));
    // as in desidatamodel's zpix page, SURVEY and PROGRAM sit in the ZCATALOG header, and the name says sv3/dark
    await writeFits(join(dir, 'zpix-sv3-dark.fits'), [
      { kind: 'image' },
      {
        kind: 'table',
        name: 'ZCATALOG',
        cards: [
          { keyword: 'SURVEY', value: 'main' },
          { keyword: 'PROGRAM', value: 'bright' },
        ],
        table: new Table({
          TARGETID: makeVector(tids),
          Z: makeVector(Float64Array.from({ length: n }, (_, i) => i / 10)),
          ZERR: makeVector(new Float64Array(n)),
          ZWARN: makeVector(new BigInt64Array(n)),
          SPECTYPE: vectorFromArray(Array(n).fill('GALAXY'), new Utf8()),
          DELTACHI2: makeVector(new Float64Array(n).fill(100)),
        }),
      },
    ]);
    // a ZCATALOG without the redshift columns
    await writeFits(join(dir, 'broken-zcat.fits'), [
      { kind: 'image' },
      { kind: 'table', name: 'ZCATALOG', table: new Table({ TARGETID: makeVector(tids) }) },
    ]);
    await writeMockCoadd(join(dir, 'spectra-main-dark-27247.fits'), 6);
    // a spectra file: a coadd layout without EXP_FIBERMAP, gzipped as DESI ships them
    writeFileSync(join(dir, 'spectra-main-dark-27247.fits.gz'), gzipSync(readFileSync(join(dir, 'spectra-main-dark-27247.fits'))));
  });

  it('zpix: product zcatalog, survey and program from the ZCATALOG header (before the name), first five TARGETIDs exact', () => {
    expect(info(join(dir, 'zpix-sv3-dark.fits'))).toEqual({
      product: 'zcatalog',
      survey: 'main',
      program: 'bright',
      healpix: null,
      nspec: 7,
      targetids: [0, 1, 2, 3, 4].map((i) => mockTargetid(i).toString()),
      arms: {},
      columns: ['TARGETID', 'Z', 'ZERR', 'ZWARN', 'SPECTYPE', 'DELTACHI2'],
      // no SURVEY, PROGRAM or HEALPIX columns: every row counts under the header's survey and program
      catalog: { rows: 7, surveys: { main: 7 }, programs: { bright: 7 }, healpix: null },
    });
  });

  it('gzipped spectra file: product spectra with DR1 arms', () => {
    const j = info(join(dir, 'spectra-main-dark-27247.fits.gz'));
    expect(j).toMatchObject({ product: 'spectra', survey: 'main', program: 'dark', healpix: 27247, nspec: 6 });
    expect(j.arms).toEqual({
      B: { nwave: 2751, wmin: 3600, wmax: 5800.0000000005 },
      R: { nwave: 2326, wmin: 5760, wmax: 7620.000000000423 },
      Z: { nwave: 2881, wmin: 7520, wmax: 9824.000000000524 },
    });
  });

  it('missing required columns: exit 2 naming file, HDU, the missing columns and what the HDU has', () => {
    const r = skybook(['desi', 'info', join(dir, 'broken-zcat.fits'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/broken-zcat\.fits: HDU ZCATALOG: missing columns Z, ZERR, ZWARN, SPECTYPE, DELTACHI2; the HDU has: TARGETID/);
  });

  it('bad usage exits 2', () => {
    expect(skybook(['desi', 'info']).code).toBe(2);
    expect(skybook(['desi', 'info', join(dir, 'nope.fits')]).code).toBe(2);
  });
});
