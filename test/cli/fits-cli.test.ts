/** The `skybook fits` commands end to end, as a user runs them (the built CLI in a child process). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { skybook } from '../helpers/cli.js';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures.js';
import { tinyTable } from '../helpers/tiny-fits.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tiny = join(dir, 'tiny.fits');
writeFileSync(tiny, tinyTable());

describe('skybook CLI', () => {
  it('--help lists the fits commands, --version prints the package version', () => {
    const h = skybook(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['fits info', 'fits stats', 'fits export', 'fits verify']) expect(h.stdout).toContain(`skybook ${c}`);
    const v = skybook(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(v.stdout.trim()).toBe(`skybook ${pkg.version}`);
    expect(skybook(['nope']).code).toBe(2);
  });

  it('fits info --json lists HDUs without reading data', () => {
    const r = skybook(['fits', 'info', tiny, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hdus.map((h: any) => [h.index, h.name, h.type])).toEqual([
      [0, 'PRIMARY', 'IMAGE'],
      [1, 'OBJECTS', 'BINTABLE'],
    ]);
    expect(doc.hdus[1].rows).toBe(3);
    expect(doc.hdus[1].columns).toEqual([
      { name: 'ID', tform: '1J' },
      { name: 'NAME', tform: '4A' },
      { name: 'FLUX', tform: '1E' },
      { name: 'SPEC', tform: '1PJ(2)' },
    ]);
  });

  it('fits stats --json follows the documented schema', () => {
    const r = skybook(['fits', 'stats', tiny, '--json', '--hdu', 'OBJECTS']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['file', 'hdus']);
    const h = doc.hdus[0];
    expect(Object.keys(h)).toEqual(['index', 'name', 'type', 'cards', 'checksum', 'datasum', 'image', 'table']);
    expect(h.cards[0]).toEqual({ keyword: 'XTENSION', value: 'BINTABLE', comment: '' });
    expect(h.checksum).toBe('absent');
    expect(h.image).toBeNull();
    const cols = Object.fromEntries(h.table.columns.map((c: any) => [c.name, c]));
    expect(cols.ID).toMatchObject({ tform: '1J', type: 'Int32', count: 3, nullCount: 0, min: 1, max: 3, sum: 6 });
    expect(cols.FLUX).toMatchObject({ type: 'Float32', count: 3, nanCount: 0, min: 1.5, max: 4.5, sum: 9 });
    expect(cols.NAME).toMatchObject({ type: 'Utf8', count: 3, sum: null });
    expect(cols.SPEC).toMatchObject({ count: 6, sum: 150 });
    const text = skybook(['fits', 'stats', tiny]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/HDU 1 OBJECTS BINTABLE/);
  });

  it('fits export writes ndjson, csv, arrow and parquet with int64 exact', () => {
    const nd = skybook(['fits', 'export', tiny, '--hdu', '1', '--format', 'ndjson', '--columns', 'ID,NAME,SPEC']);
    expect(nd.code).toBe(0);
    expect(
      nd.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { ID: 1, NAME: 'M31', SPEC: [0, 10] },
      { ID: 2, NAME: 'M33', SPEC: [20, 30] },
      { ID: 3, NAME: 'NGC1', SPEC: [40, 50] },
    ]);
    const csv = skybook(['fits', 'export', tiny, '--hdu', 'OBJECTS', '--format', 'csv', '--columns', 'ID,FLUX']);
    expect(csv.stdout).toBe('ID,FLUX\n1,1.5\n2,3\n3,4.5\n');
    const arrow = join(dir, 'objects.arrow');
    expect(skybook(['fits', 'export', tiny, '--hdu', '1', '--format', 'arrow', '-o', arrow]).code).toBe(0);
    const t = tableFromIPC(readFileSync(arrow));
    expect(t.numRows).toBe(3);
    expect([...t.getChild('ID')!]).toEqual([1, 2, 3]);
    const pq = join(dir, 'objects.parquet');
    expect(skybook(['fits', 'export', tiny, '--hdu', '1', '--format', 'parquet', '-o', pq, '--columns', 'ID,NAME,FLUX']).code).toBe(0);
    expect(readFileSync(pq).subarray(0, 4).toString()).toBe('PAR1');
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('a failed export leaves no output file', () => {
    const out = join(dir, 'bad.ndjson');
    const r = skybook(['fits', 'export', tiny, '--hdu', '1', '--format', 'ndjson', '--columns', 'NOPE', '-o', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it.skipIf(!HAVE_FIXTURES)('fits verify: ok on a good file, exit 1 and the HDU named after one flipped data byte', () => {
    const src = readFileSync(join(FIXTURES, 'fits/astropy/checksum.fits'));
    const good = join(dir, 'checksum.fits');
    writeFileSync(good, src);
    const ok = skybook(['fits', 'verify', good, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const bad = Buffer.from(src);
    bad[bad.length - 10] ^= 0xff; // the last data block of the last HDU
    const badPath = join(dir, 'checksum-bad.fits');
    writeFileSync(badPath, bad);
    const r = skybook(['fits', 'verify', badPath, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.hdus.map((h: any) => h.datasum)).toEqual(['ok', 'bad']);
    expect(doc.hdus[1].checksum).toBe('bad');
  });
});
