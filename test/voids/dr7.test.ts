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

  it.skipIf(!existsSync(VAST_OUT))(
    "gives VAST's WALL, FIELD and HOLES to the bit, and its MAXIMALS to the bit but for ra and dec (within 1e-12 deg)",
    async () => {
      const vast = await readVoidCatalogue(VAST_OUT);
      /** Entries of a that differ from b's (a length mismatch counts as all). */
      const differing = (a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>) => {
        if (a.length !== b.length) return Math.max(a.length, b.length);
        let n = 0;
        for (let i = 0; i < a.length; i++) if (Number(a[i]) !== Number(b[i])) n++;
        return n;
      };
      const table = (t: VoidCatalogue['holes'], names: string[], other: VoidCatalogue['holes']) =>
        Object.fromEntries(names.map((n) => [n, differing(t.getChild(n)!.toArray(), other.getChild(n)!.toArray())]));
      const none = (names: string[]) => Object.fromEntries(names.map((n) => [n, 0]));
      // float32 positions of every galaxy in range, in VAST's order: numpy's float32 sin/cos and VAST's QUADPACK distances
      expect({ wall: differing(cat.wall, vast.wall), field: differing(cat.field, vast.field) }).toEqual({ wall: 0, field: 0 });
      const holeColumns = ['x', 'y', 'z', 'radius', 'void'];
      expect(table(cat.holes, holeColumns, vast.holes)).toEqual(none(holeColumns));
      const exact = ['x', 'y', 'z', 'radius', 'void', 'edge', 'r'];
      expect(table(cat.maximals, exact, vast.maximals)).toEqual(none(exact));
      // VAST's ra and dec of a maximal come from numpy's float64 arctan and arcsin, which numpy runs with Intel's SVML on
      // AVX-512 machines (a last bit now and then differs from Math.atan/asin)
      for (const name of ['ra', 'dec']) {
        const ours = cat.maximals.getChild(name)!.toArray() as Float64Array;
        const theirs = vast.maximals.getChild(name)!.toArray() as Float64Array;
        for (let i = 0; i < ours.length; i++)
          if (!(Math.abs(ours[i]! - theirs[i]!) < 1e-12)) expect({ name, i, v: ours[i] }).toEqual({ name, i, v: theirs[i] });
      }
    },
    120_000,
  );
});
