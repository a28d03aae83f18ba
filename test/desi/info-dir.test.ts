/** desiInfoDir: every DESI file under a folder, sorted and bounded; other files counted, not read. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiInfoDir } from '../../lib/desi/index.js';
import { DesiError } from '../../lib/errors/index.js';
import { recordProgress } from '../../lib/core/index.js';
import { tinyTable } from '../helpers/tiny-fits.js';
import { writeMockCoadd } from './mock-coadd.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-desi-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'c'));
  writeFileSync(join(dir, 'c', 'notes.txt'), 'no FITS here');
  await writeMockCoadd(join(dir, 'b', 'deep', 'coadd-main-dark-27247.fits'), 3);
  await writeMockCoadd(join(dir, 'a', 'coadd-main-dark-27246.fits'), 2);
  writeFileSync(join(dir, 'a', 'notes.md'), '# not FITS');
  writeFileSync(join(dir, 'objects.fits'), tinyTable());
  writeFileSync(join(dir, 'broken.fits.gz'), 'not gzip at all');
});

describe('desiInfoDir', () => {
  it('summarises the DESI files in path order, counting the rest', async () => {
    const progress = recordProgress();
    const d = await desiInfoDir(dir, { progress });
    expect(d.files.map((f) => [f.file, f.product, f.nspec])).toEqual([
      ['a/coadd-main-dark-27246.fits', 'spectra', 2], // the mock has no EXP_FIBERMAP: a spectra file by its HDUs
      ['b/deep/coadd-main-dark-27247.fits', 'spectra', 3],
    ]);
    expect(d.skipped.notFits).toBe(2);
    expect(d.skipped.notDesi).toBe(1);
    expect(d.skipped.unreadable).toEqual([{ file: 'broken.fits.gz', error: expect.stringMatching(/broken\.fits\.gz: truncated/) }]);
    expect(d.truncated).toBe(false);
    expect(progress.events[0]).toMatchObject({ kind: 'start', task: { total: 4, unit: 'files' } });
  });

  it('stops at the limit and says so', async () => {
    const d = await desiInfoDir(dir, { limit: 1, progress: false });
    expect(d.files.map((f) => f.file)).toEqual(['a/coadd-main-dark-27246.fits']);
    expect(d.truncated).toBe(true);
  });

  it('a folder with no DESI file is a DesiError naming it and what it skipped', async () => {
    await expect(desiInfoDir(join(dir, 'c'), { progress: false })).rejects.toThrow(DesiError);
    await expect(desiInfoDir(join(dir, 'c'), { progress: false })).rejects.toThrow(
      /\/c: no DESI file in this folder \(skipped 1 non-FITS file, 0 FITS files of no DESI product, 0 unreadable\)/,
    );
  });
});
