/**
 * Broken FITS files get exit code 2 and one line naming the file, the HDU and the keyword or column: never a hang,
 * never a stack trace. Files are built by hand here, so these tests need no fixtures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsError } from '../../lib/errors/index.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { MemorySource } from '../../lib/fits/source/memory-source.js';
import { skybook } from '../helpers/cli.js';
import { tinyTable } from '../helpers/tiny-fits.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const good = tinyTable();

const cases: { name: string; bytes: Uint8Array; expect: RegExp }[] = [
  { name: 'empty.fits', bytes: new Uint8Array(0), expect: /empty\.fits: empty file/ },
  {
    name: 'random.fits',
    bytes: Uint8Array.from({ length: 5760 }, (_, i) => (i * 7919 + 13) % 251),
    expect: /random\.fits: HDU 0: SIMPLE: not a FITS file/,
  },
  { name: 'truncated.fits', bytes: good.subarray(0, good.length - 2880), expect: /truncated\.fits: HDU 1: truncated data/ },
  {
    name: 'no-end.fits',
    bytes: tinyTable({}, { noEnd: true }).subarray(0, 5760),
    expect: /no-end\.fits: HDU 1: truncated header: no END card/,
  },
  { name: 'bad-tform.fits', bytes: tinyTable({ TFORM3: '1W' }), expect: /bad-tform\.fits: HDU 1: TFORM3: '1W'/ },
  {
    name: 'naxis1.fits',
    bytes: tinyTable({ NAXIS1: 24 }),
    expect: /naxis1\.fits: HDU 1: NAXIS1: is 24 but the columns' TFORMs add up to 20/,
  },
  {
    name: 'heap.fits',
    bytes: tinyTable({}, { heapOffsets: [0, 8, 4000] }),
    expect: /heap\.fits: HDU 1: column SPEC: row 2: heap pointer past the end of the heap/,
  },
  {
    name: 'missing-tfields.fits',
    bytes: tinyTable({ TFIELDS: null }),
    expect: /missing-tfields\.fits: HDU 1: TFIELDS: missing mandatory keyword/,
  },
];

describe('bad input through the CLI', () => {
  it('reads the well-formed file (so the failures below are the mutations)', () => {
    const r = skybook(['fits', 'stats', file('good.fits', good), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hdus[1].table.rows).toBe(3);
    expect(doc.hdus[1].table.columns.map((c: { name: string }) => c.name)).toEqual(['ID', 'NAME', 'FLUX', 'SPEC']);
    expect(doc.hdus[1].table.columns[3].sum).toBe(0 + 10 + 20 + 30 + 40 + 50);
  });

  for (const c of cases) {
    it(`${c.name}: exit 2, one line naming file, HDU and keyword or column`, () => {
      const path = file(c.name, c.bytes);
      for (const cmd of [
        ['fits', 'stats', path, '--json'],
        ['fits', 'info', path],
      ]) {
        if (cmd[1] === 'info' && c.name === 'heap.fits') continue; // info reads no data, so it cannot see a bad heap pointer
        const r = skybook(cmd, { timeoutMs: 20_000 });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(c.expect);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }

  it('a missing file and a directory are clear errors', () => {
    const r = skybook(['fits', 'info', join(dir, 'nope.fits')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.fits: no such file/);
    const d = skybook(['fits', 'info', dir]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/is a directory/);
  });

  it('bad usage is exit 2 with the option named', () => {
    expect(skybook(['fits', 'stats']).code).toBe(2);
    const r = skybook(['fits', 'stats', 'x.fits', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus/);
    const f = skybook(['fits', 'export', file('g2.fits', good), '--hdu', '1', '--format', 'xls']);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/invalid --format: xls/);
  });
});

describe('bad input through the library', () => {
  it('throws FitsError with the location fields set', async () => {
    const fits = await FitsFile.open(new MemorySource(tinyTable({}, { heapOffsets: [0, 8, 4000] }), 'heap.fits'));
    const err = await fits.readTable('OBJECTS').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FitsError);
    expect((err as FitsError).location).toEqual({ file: 'heap.fits', hdu: 1, column: 'SPEC', row: 2 });
  });

  it('an unknown column lists the columns the table has', async () => {
    const fits = await FitsFile.open(new MemorySource(good, 'good.fits'));
    await expect(fits.readTable(1, { columns: ['Z'] })).rejects.toThrow(/no column 'Z'; the table has: ID, NAME, FLUX, SPEC/);
    await expect(fits.readTable('NOPE')).rejects.toThrow(/no HDU named 'NOPE'; the file has: PRIMARY, OBJECTS/);
  });
});
