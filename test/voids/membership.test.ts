import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { vastPositions } from '../../lib/voids/galaxy-positions.js';
import { classifyGalaxies, classifySkyGalaxies, galaxyEnvironments } from '../../lib/voids/membership.js';
import { isOutsideMask, type SurveyMask } from '../../lib/voids/survey-mask.js';

/** A resolution-1 mask: ra 120..240, dec 0..50 degrees, 10 to 300 Mpc/h. */
function footprint(): SurveyMask {
  const cells = new Uint8Array(360 * 180);
  for (let ra = 120; ra < 240; ra++) for (let dec = 0; dec < 50; dec++) cells[ra * 180 + (dec + 90)] = 1;
  return { resolution: 1, cells, rMin: 10, rMax: 300 };
}

/** Holes scattered inside the footprint (some overlapping), with void ids. */
function holes(count: number) {
  const rng = Rng.for(3, 'holes');
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const radius = new Float64Array(count);
  const voidId = new Int32Array(count);
  const sky = { ra: new Float64Array(count), dec: new Float64Array(count), r: new Float64Array(count) };
  for (let i = 0; i < count; i++) {
    sky.ra[i] = rng.range(125, 235);
    sky.dec[i] = rng.range(3, 47);
    sky.r[i] = rng.range(40, 280);
    const a = (sky.ra[i]! * Math.PI) / 180;
    const d = (sky.dec[i]! * Math.PI) / 180;
    x[i] = sky.r[i]! * Math.cos(a) * Math.cos(d);
    y[i] = sky.r[i]! * Math.sin(a) * Math.cos(d);
    z[i] = sky.r[i]! * Math.sin(d);
    radius[i] = rng.range(4, 22);
    voidId[i] = Math.floor(i / 7);
  }
  return tableFromArrays({ x, y, z, radius, void: voidId });
}

/** VAST's vflag.determine_vflag, transcribed as it reads: every hole, then the mask, then the six edge points. */
function bruteForce(xyz: Float64Array, table: ReturnType<typeof holes>, mask: SurveyMask): Uint8Array {
  const hx = table.getChild('x')!.toArray() as Float64Array;
  const hy = table.getChild('y')!.toArray() as Float64Array;
  const hz = table.getChild('z')!.toArray() as Float64Array;
  const hr = table.getChild('radius')!.toArray() as Float64Array;
  const out = new Uint8Array(xyz.length / 3);
  for (let g = 0; g < out.length; g++) {
    const [x, y, z] = [xyz[3 * g]!, xyz[3 * g + 1]!, xyz[3 * g + 2]!];
    let inside = false;
    for (let h = 0; h < hx.length; h++) if (Math.sqrt((hx[h]! - x) ** 2 + (hy[h]! - y) ** 2 + (hz[h]! - z) ** 2) < hr[h]!) inside = true;
    if (inside) out[g] = 1;
    else if (isOutsideMask(mask, x, y, z)) out[g] = 9;
    else {
      const around = [
        [x - 10, y, z],
        [x + 10, y, z],
        [x, y - 10, z],
        [x, y + 10, z],
        [x, y, z - 10],
        [x, y, z + 10],
      ];
      out[g] = around.some(([a, b, c]) => isOutsideMask(mask, a!, b!, c!)) ? 2 : 0;
    }
  }
  return out;
}

describe('classifyGalaxies (indexed) equals VAST determine_vflag (brute force)', () => {
  const mask = footprint();
  const table = holes(400);

  it('on 30,000 galaxies in and around the footprint, every flag the same', () => {
    const rng = Rng.for(4, 'galaxies');
    const n = 30000;
    const ra = Float64Array.from({ length: n }, () => rng.range(100, 260));
    const dec = Float64Array.from({ length: n }, () => rng.range(-10, 60));
    const redshift = Float64Array.from({ length: n }, () => rng.range(0, 0.11));
    const xyz = vastPositions(ra, dec, redshift, { omegaM: 0.26 });
    const got = classifyGalaxies(xyz, { holes: table, mask });
    const want = bruteForce(xyz, table, mask);
    expect(Array.from(got)).toEqual(Array.from(want));
    // every flag occurs, so each rule was exercised
    for (const f of [0, 1, 2, 9]) expect(got.includes(f)).toBe(true);
  });

  it('is strict on the sphere surface and names the largest hole a galaxy is in', () => {
    // hole 0 at (0, 200, 100) r 5; hole 1 at (0, 203, 100) r 9 of void 7; a galaxy exactly 5 from hole 0, inside hole 1
    const t = tableFromArrays({
      x: Float64Array.of(0, 0, 0),
      y: Float64Array.of(200, 203, 150),
      z: Float64Array.of(100, 100, 100),
      radius: Float64Array.of(5, 9, 3),
      void: Int32Array.of(4, 7, 5),
    });
    const xyz = Float64Array.of(3, 204, 100, 0, 150, 103, 0, 150, 102.999);
    const env = galaxyEnvironments(xyz, { holes: t, mask });
    // (3, 204, 100): sqrt(9 + 16) = 5 from hole 0 (not inside), sqrt(9 + 1) from hole 1 (inside)
    expect(Array.from(env.vflag)).toEqual([1, bruteForce(xyz.subarray(3, 6), t, mask)[0], 1]);
    expect(env.vflag[1]).not.toBe(1); // exactly on hole 2's surface: VAST's test is strict
    expect(Array.from(env.void)).toEqual([7, -1, 5]);
  });
});

describe('classifySkyGalaxies', () => {
  it('gives rows without a usable redshift or position vflag 9, lists them, and classifies the rest as from xyz', () => {
    const mask = footprint();
    const table = holes(50);
    const ra = Float64Array.of(180, 180, 200, Number.NaN, 150, 170);
    const dec = Float64Array.of(20, 20, 30, 20, 10, Number.POSITIVE_INFINITY);
    const redshift = Float64Array.of(0.05, Number.NaN, -0.01, 0.05, 0.03, 0.04);
    const env = classifySkyGalaxies({ ra, dec, redshift }, { holes: table, mask }, { omegaM: 0.26 });
    expect(Array.from(env.invalidRows)).toEqual([1, 2, 3, 5]);
    for (const r of env.invalidRows) expect(env.vflag[r]).toBe(9);
    const direct = classifyGalaxies(vastPositions(ra, dec, redshift, { omegaM: 0.26 }), { holes: table, mask });
    for (const r of [0, 4]) expect(env.vflag[r]).toBe(direct[r]);
    expect(env.counts.outside).toBeGreaterThanOrEqual(4);
    expect(env.counts.wall + env.counts.void + env.counts.edge + env.counts.outside).toBe(6);
  });
});
