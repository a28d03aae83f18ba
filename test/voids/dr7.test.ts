/**
 * SDSS DR7 (the volume-limited sample VAST ships, ../shared/fixtures/voids) with VAST's settings: comoving, Omega_M
 * 0.26, h 1, z 0..0.1026, 5 Mpc/h cells, maximals >= 10 Mpc/h. The counts VAST 1.7.6 gets on this file (its own run,
 * ../vast-ref/dr7, made by bench/voids on the `anchor` branch) are the expected values; where that run's output file is
 * present, its wall galaxies, maximal spheres and holes are compared row by row, bit for bit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFits } from '../../lib/fits/index.js';
import { findVoids, readVoidCatalogue, type VoidCatalogue } from '../../lib/voids/index.js';
import { ROOT } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DR7 = join(FIXTURES, 'voids', 'vollim_dr7_cbp_102709.fits');
const VAST_OUT = join(ROOT, '..', 'vast-ref', 'dr7', 'vollim_dr7_cbp_102709_VoidFinder_Output.fits');

/** VAST 1.7.6 on this file with these settings (its log and output header): wall/field split, grid, holes, voids. */
const VAST = { wall: 98_421, field: 9_069, emptyCells: 337_126, holesGrown: 115_229, holesCut: 12_299, maximals: 900, holes: 45_252 };

describe.skipIf(!existsSync(DR7))(`SDSS DR7 as VAST runs it (skipped without ${DR7})`, () => {
  let cat: VoidCatalogue;
  it("finds VAST's wall/field split, holes and voids", async () => {
    const fits = await openFits(DR7);
    const t = await fits.readTable(1, { columns: ['ra', 'dec', 'z'] });
    await fits.close();
    const col = (n: string) => Float64Array.from(t.getChild(n)!.toArray() as Float32Array);
    cat = await findVoids(
      { ra: col('ra'), dec: col('dec'), z: col('z') },
      { zMin: 0, zMax: 0.1026, omegaM: 0.26, h: 1, cell: 5, minMaximal: 10, float32: true, progress: false },
    );
    const s = cat.summary!;
    expect({
      wall: s.wall,
      field: s.field,
      emptyCells: s.emptyCells,
      holesGrown: s.holesGrown,
      holesCut: s.holesCut,
      maximals: s.maximals,
      holes: s.holes,
    }).toEqual(VAST);
    expect(s.galaxies).toBe(120_606);
    expect(cat.mask.resolution).toBe(1);
  }, 120_000);

  it.skipIf(!existsSync(VAST_OUT))(
    "is VAST's own output, row for row: wall galaxies, maximals and holes to the bit",
    async () => {
      const vast = await readVoidCatalogue(VAST_OUT);
      expect(Array.from(cat.wall)).toEqual(Array.from(vast.wall));
      const columns = (t: VoidCatalogue['maximals'], names: string[]) =>
        names.map((n) => Array.from(t.getChild(n)!.toArray() as ArrayLike<number>, Number));
      const exact = ['x', 'y', 'z', 'radius', 'void'];
      expect(columns(cat.maximals, [...exact, 'edge', 'r'])).toEqual(columns(vast.maximals, [...exact, 'edge', 'r']));
      expect(columns(cat.holes, exact)).toEqual(columns(vast.holes, exact));
      // ra and dec come from atan and asin, whose last bit differs between V8 and the C library
      const [ours, theirs] = [cat, vast].map((c) => columns(c.maximals, ['ra', 'dec']));
      for (let k = 0; k < 2; k++) ours![k]!.forEach((v, i) => expect(Math.abs(v - theirs![k]![i]!)).toBeLessThan(1e-12));
    },
    120_000,
  );
});
