/**
 * `skybook voids find`: FITS and Parquet galaxies in, a catalogue in VAST's layout out, the same voids as the API with
 * the same options, and the same bytes for any --threads (the built binary runs the worker threads).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { findVoids, readVoidCatalogue } from '../../lib/voids/index.js';
import { skybook, skybookInProcess } from '../helpers/cli.js';
import { coneSurvey } from '../voids/cone-survey.js';
import { galaxyFits } from '../voids/galaxy-fits.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-voids-find-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const s = coneSurvey(0, 11);
const fitsIn = join(dir, 'cone.fits');
writeFileSync(fitsIn, galaxyFits({ RA: [...s.ra], DEC: [...s.dec], Z: [...s.z] }));
const parquetIn = join(dir, 'cone.parquet');
{
  const pq = createRequire(import.meta.url)('parquet-wasm/node') as {
    Table: { fromIPCStream(b: Uint8Array): unknown };
    writeParquet(t: unknown): Uint8Array;
  };
  const t = tableFromArrays({ ra: s.ra, dec: s.dec, redshift: s.z });
  writeFileSync(parquetIn, pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(t, 'stream'))));
}
const range = ['--zmin', String(s.zMin), '--zmax', String(s.zMax)];

const maximalRows = (t: { numRows: number; getChild(n: string): { get(i: number): unknown } | null }) =>
  Array.from({ length: t.numRows }, (_, i) => ['x', 'y', 'z', 'radius', 'void', 'edge'].map((c) => Number(t.getChild(c)!.get(i))));

describe('skybook voids find', () => {
  it('FITS in: the catalogue file holds what findVoids returns for the same options; --json counts it', async () => {
    const out = join(dir, 'cone-voids.fits');
    const r = await skybookInProcess(['voids', 'find', fitsIn, '--out', out, ...range, '--omega-m', '0.3', '--cell', '5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    const api = await findVoids(s, { zMin: s.zMin, zMax: s.zMax, omegaM: 0.3, progress: false });
    expect(doc.maximals).toBe(api.maximals.numRows);
    expect(doc.holes).toBe(api.holes.numRows);
    expect(doc.wall).toBe(api.wall.length / 3);
    expect(doc.galaxies).toBe(s.z.length);
    const file = await readVoidCatalogue(out);
    expect(maximalRows(file.maximals)).toEqual(maximalRows(api.maximals));
    expect(file.holes.numRows).toBe(api.holes.numRows);
    expect(file.wall.length).toBe(api.wall.length);
    expect(file.mask?.resolution).toBe(api.mask.resolution);
  });

  it('Parquet in, with --z-column: the same voids as from FITS', async () => {
    const out = join(dir, 'cone-pq.fits');
    const r = await skybookInProcess(['voids', 'find', parquetIn, '-o', out, ...range, '--z-column', 'redshift']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cone-pq\.fits: \d+ voids/);
    const fromFits = await readVoidCatalogue(join(dir, 'cone-voids.fits'));
    expect(maximalRows((await readVoidCatalogue(out)).maximals)).toEqual(maximalRows(fromFits.maximals));
  });

  it('--threads 1 and --threads 3 write byte-identical files (built binary)', () => {
    const one = join(dir, 't1.fits');
    const three = join(dir, 't3.fits');
    const a = skybook(['voids', 'find', fitsIn, '--out', one, ...range, '--threads', '1']);
    expect(a.code, a.stderr).toBe(0);
    const b = skybook(['voids', 'find', fitsIn, '--out', three, ...range, '--threads', '3']);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(three).equals(readFileSync(one))).toBe(true);
  });

  it('--help describes every option', async () => {
    const r = await skybookInProcess(['voids', 'find', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--out',
      '--zmin',
      '--zmax',
      '--omega-m',
      '--h',
      '--cell',
      '--min-maximal',
      '--threads',
      '--ra-column',
      '--dec-column',
      '--z-column',
      '--json',
    ])
      expect(r.stdout).toContain(flag);
  });
});
