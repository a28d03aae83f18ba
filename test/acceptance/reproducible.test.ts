import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeColumns, openFits } from '../../lib/fits/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';
import { CURATED, ZCATALOG, cellHashes, runCurated, tmp } from './curated.js';

// Issue 5, "Reproducible": two fresh runs (each in its own folder, each making its own survey with 01) of every
// curated notebook give identical per-cell hashes; one changed byte in the zcatalog 02 reads makes verify name the
// first cell that read it.
let env: NodeJS.ProcessEnv;
const dirs: string[] = [];
const runs: Record<string, Awaited<ReturnType<typeof runCurated>>[]> = {};
const inputs = (name: string) => (name === '02-sky-store' ? ['--input', ZCATALOG] : []);

beforeAll(async () => {
  env = { ...process.env, ...installSkybookKernel() };
  for (const tag of ['a', 'b']) {
    const dir = tmp(`repro-${tag}`);
    dirs.push(dir);
    for (const name of CURATED) (runs[name] ??= []).push(await runCurated(name, dir, env, inputs(name)));
  }
}, 900_000);

/** Makes the largest GALAXY redshift a little larger by setting one bit in its float64 (big-endian) mantissa. */
async function bumpMaxGalaxyZ(path: string): Promise<number> {
  const fits = await openFits(path);
  const hdu = fits.hdus.find((h) => h.name === 'ZCATALOG')!;
  const table = await fits.readTable('ZCATALOG', { columns: ['Z', 'SPECTYPE'] });
  await fits.close();
  const z = table.getChild('Z')!.toArray() as Float64Array;
  const type = table.getChild('SPECTYPE')!;
  let row = -1;
  for (let i = 0; i < z.length; i++) if (String(type.get(i)).trim() === 'GALAXY' && (row < 0 || z[i]! > z[row]!)) row = i;
  const col = describeColumns(hdu.header).find((c) => c.name === 'Z')!;
  const at = hdu.dataOffset + row * Number(hdu.header.get('NAXIS1')) + col.offset;
  const bytes = readFileSync(path);
  // Byte 5 of the mantissa: a change in the 12th significant digit, so the value 02 shows as max_z changes. The
  // CHECKSUM/DATASUM cards are left stale, as after bit rot or a hand edit (nothing in the ingest path checks them).
  const k = [5, 4, 3].find((j) => (bytes[at + j]! & 0x80) === 0)!;
  bytes[at + k] = bytes[at + k]! | 0x80;
  writeFileSync(path, bytes);
  return at + k;
}

describe('reproducible runs of the curated notebooks (skybook run --kernel skybook)', () => {
  it.each(CURATED)('%s: two fresh runs in different folders give identical per-cell hashes', (name) => {
    const [a, b] = runs[name]!;
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    const ha = cellHashes(a!.manifest);
    expect(ha.filter((c) => c.outputs).length).toBeGreaterThan(3);
    expect(cellHashes(b!.manifest)).toEqual(ha);
  });

  it.each(CURATED)(
    '%s: verify re-runs it over its own outputs (02 finds its zcatalog already loaded) and says identical',
    async (name) => {
      const v = await spawnSkybook(['verify', runs[name]![1]!.manifest], { env, cwd: dirs[1]! }).done;
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain('identical');
    },
    300_000,
  );

  it('one changed byte in the zcatalog: verify exits 1 naming the ingest cell, the first that read it', async () => {
    const dir = dirs[0]!;
    const path = join(dir, ZCATALOG);
    const offset = await bumpMaxGalaxyZ(path);
    expect(offset).toBeGreaterThan(2880);
    const v = await spawnSkybook(['verify', runs['02-sky-store']![0]!.manifest], { env, cwd: dir }).done;
    expect(v.code, v.stderr).toBe(1);
    expect(v.stdout).toContain('input changed:');
    expect(v.stdout).toContain('zall-pix-iron.fits');
    expect(v.stdout).toContain('diverges at cell 2 (id cell-02): outputs differ');
  }, 300_000);
});
