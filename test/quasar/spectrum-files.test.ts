import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/index.js';
import { readQuasarSpectra } from '../../lib/quasar/index.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-quasar-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An SDSS-like spec file: COADD (loglam, flux, ivar, and_mask) and the object row under `objectHdu`. */
async function specFile(name: string, objectHdu: 'SPECOBJ' | 'SPALL', z: number): Promise<string> {
  const n = 50;
  const path = join(dir, name);
  const coadd = tableFromArrays({
    flux: Float32Array.from({ length: n }, (_, i) => 1 + i / n),
    loglam: Float32Array.from({ length: n }, (_, i) => 3.6 + i * 1e-4),
    ivar: Float32Array.from({ length: n }, (_, i) => (i === 7 ? 0 : 4)),
    // a warning bit on every pixel (as MANYBADCOLUMNS on spec-0332's red half) and none where ivar is 0
    and_mask: Int32Array.from({ length: n }, () => 1 << 4),
  });
  const object = new Table({ Z: vectorFromArray(Float32Array.of(z)), SPECOBJID: vectorFromArray(['1237650000000000000'], new Utf8()) });
  await writeFits(path, [
    { kind: 'table', name: 'COADD', table: coadd },
    { kind: 'table', name: objectHdu, table: object, stringWidths: { SPECOBJID: 19 } },
  ]);
  return path;
}

describe('readQuasarSpectra on SDSS spec files', () => {
  it.each(['SPECOBJ', 'SPALL'] as const)(
    'takes Z from %s (SPALL: BOSS files of DR9-DR13) and lets ivar alone mark bad pixels',
    async (hdu) => {
      const s = await readQuasarSpectra(await specFile(`spec-${hdu}.fits`, hdu, 0.456));
      expect(s.product).toBe('sdss-spec');
      expect(s.nspec).toBe(1);
      expect(s.z[0]).toBeCloseTo(0.456, 6);
      expect(s.targetids[0]).toBe(1237650000000000000n);
      expect(s.zSource).toBe(`spec-${hdu}.fits ${hdu}`);
      expect(Array.from(s.mask).every((m) => m === 0)).toBe(true);
      expect(s.ivar[7]).toBe(0);
      expect(s.wave[0]).toBeCloseTo(10 ** Math.fround(3.6), 2); // loglam is float32
    },
  );
});
