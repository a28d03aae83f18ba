/** The survey mask against hand-made cases worked out from VAST's generate_mask and not_in_mask. */
import { describe, expect, it } from 'vitest';
import { VoidsError } from '../../lib/errors/index.js';
import { buildSurveyMask, isOutsideMask, maskResolution, type SurveyMask } from '../../lib/voids/index.js';

const D2R = Math.PI / 180;

/** The set cells of a mask as 'ra,dec' cell pairs. */
function setCells(mask: SurveyMask): string[] {
  const nDec = 180 * mask.resolution;
  const out: string[] = [];
  mask.cells.forEach((v, k) => {
    if (v) out.push(`${Math.floor(k / nDec)},${k % nDec}`);
  });
  return out;
}

/** A dec inside dec cell j at resolution 1: cells south of the equator span (j - 91, j - 90], truncated toward zero. */
function decInCell(j: number): number {
  return j >= 90 ? j - 90 + 0.5 : j - 90 - 0.5;
}

/** A point at distance r towards (ra, dec) in degrees. */
function at(r: number, ra: number, dec: number): [number, number, number] {
  return [r * Math.cos(dec * D2R) * Math.cos(ra * D2R), r * Math.cos(dec * D2R) * Math.sin(ra * D2R), r * Math.sin(dec * D2R)];
}

describe('maskResolution (1 + int(rMax * pi/180 / minMaximalRadius))', () => {
  it.each([
    [298.9, 10, 1], // DR7: a 10 Mpc/h sphere at 299 Mpc/h spans ~1.9 degrees
    [572.9, 10, 1], // 0.99990
    [573.0, 10, 2], // 1.00007
    [600, 10, 11 - 9], // 1.047 -> 2
    [6000, 10, 11], // 10.47
    [600, 5, 3], // 2.09
  ])('rMax %d, minimal radius %d -> %d', (rMax, r, want) => {
    expect(maskResolution(rMax, r)).toBe(want);
  });
});

describe('buildSurveyMask (VAST generate_mask)', () => {
  it('sets the cell of every galaxy, truncating toward zero so dec in (-1, 1) shares one cell', () => {
    const ra = Float64Array.of(10.5, 10.9, 200.2, 359.99, 5.3, 5.3, 7.1);
    const dec = Float64Array.of(20.3, 20.7, -0.4, 45.0, 0.6, -0.6, -1.5);
    const mask = buildSurveyMask(ra, dec, { rMin: 0, rMax: 300, smooth: false });
    expect(mask.resolution).toBe(1);
    expect(mask.cells.length).toBe(360 * 180);
    // dec 20.3 and 20.7 -> cell 110; dec -0.4 -> int(-0.4) = 0 -> 90; dec +-0.6 -> 90; dec -1.5 -> int(-1.5) = -1 -> 89
    expect(setCells(mask).sort()).toEqual(['10,110', '200,90', '359,135', '5,90', '7,89'].sort());
  });

  it('takes RA modulo 360 first (numpy: the result has the sign of 360)', () => {
    const mask = buildSurveyMask(Float64Array.of(-10.5, 370.25, -360), Float64Array.of(0.5, 0.5, 0.5), {
      rMin: 0,
      rMax: 300,
      smooth: false,
    });
    expect(setCells(mask).sort()).toEqual(['0,90', '10,90', '349,90'].sort());
  });

  it('at resolution 2 a cell is half a degree', () => {
    const mask = buildSurveyMask(Float64Array.of(10.6, 10.4), Float64Array.of(-0.6, 0.3), { rMin: 0, rMax: 600, smooth: false });
    expect(mask.resolution).toBe(2);
    expect(mask.cells.length).toBe(720 * 360);
    // ra 10.6 -> int(21.2) = 21, dec -0.6 -> int(-1.2) = -1 -> 179; ra 10.4 -> 20, dec 0.3 -> int(0.6) = 0 -> 180
    expect(setCells(mask).sort()).toEqual(['21,179', '20,180'].sort());
  });

  it('smooths: an empty cell with 3 or 4 of its 4 neighbours set is filled, judged on the unsmoothed mask', () => {
    // A cross of 4 cells around (100, 100) (dec cell 100 = dec 10) and, next to it, 2 set neighbours of (104, 100).
    const cells: [number, number][] = [
      [99, 100],
      [101, 100],
      [100, 99],
      [100, 101], // all 4 neighbours of (100, 100): filled
      [110, 50],
      [112, 50],
      [111, 49], // 3 of 4 neighbours of (111, 50): filled
      [120, 60],
      [122, 60], // 2 of 4 of (121, 60): stays empty
    ];
    const ra = Float64Array.from(cells, ([i]) => i + 0.5);
    const dec = Float64Array.from(cells, ([, j]) => decInCell(j));
    const plain = buildSurveyMask(ra, dec, { rMin: 0, rMax: 300, smooth: false });
    const smoothed = buildSurveyMask(ra, dec, { rMin: 0, rMax: 300 });
    const added = setCells(smoothed).filter((c) => !setCells(plain).includes(c));
    // (100, 100) and (111, 50); (101, 101) has 2 set neighbours before smoothing, so it is not filled by the fill of (100, 100)
    expect(added.sort()).toEqual(['100,100', '111,50'].sort());
  });

  it('never fills the grid border (no wrap across RA 0/360 while smoothing)', () => {
    // (0, 50) has neighbours (1, 50), (0, 49), (0, 51) set, and (359, 50) across the seam is set too: VAST skips idx < 1.
    const cells: [number, number][] = [
      [1, 50],
      [0, 49],
      [0, 51],
      [359, 50],
    ];
    const ra = Float64Array.from(cells, ([i]) => i + 0.5);
    const dec = Float64Array.from(cells, ([, j]) => decInCell(j));
    const mask = buildSurveyMask(ra, dec, { rMin: 0, rMax: 300 });
    expect(setCells(mask).sort()).toEqual(['1,50', '0,49', '0,51', '359,50'].sort());
  });

  it('refuses NaN angles and mismatched arrays with a VoidsError naming the row', () => {
    expect(() => buildSurveyMask(Float64Array.of(1, Number.NaN), Float64Array.of(0, 0), { rMin: 0, rMax: 300 })).toThrow(
      /column ra: row 1: ra is NaN/,
    );
    expect(() => buildSurveyMask(Float64Array.of(1), Float64Array.of(91), { rMin: 0, rMax: 300 })).toThrow(VoidsError);
    expect(() => buildSurveyMask(Float64Array.of(1), Float64Array.of(1, 2), { rMin: 0, rMax: 300 })).toThrow(/lengths differ/);
  });
});

describe('isOutsideMask (VAST not_in_mask, the Cython one)', () => {
  // One survey cell at resolution 1: ra [30, 31), dec [20, 21) -> (30, 110); and one in the south: dec (-1, 0] at ra 200.
  const mask = buildSurveyMask(Float64Array.of(30.5, 200.5), Float64Array.of(20.5, -0.5), { rMin: 50, rMax: 300, smooth: false });

  it('is inside within the cell and the distance limits, the limits themselves included', () => {
    expect(isOutsideMask(mask, ...at(100, 30.5, 20.5))).toBe(false);
    expect(isOutsideMask(mask, ...at(100, 31.5, 20.5))).toBe(true);
    expect(isOutsideMask(mask, ...at(100, 30.5, 21.5))).toBe(true);
    // r^2 compared with rMax^2 exactly: (300, 0, 0) is on the limit, not beyond it.
    const edge = buildSurveyMask(Float64Array.of(0.5), Float64Array.of(0.5), { rMin: 50, rMax: 300, smooth: false });
    expect(isOutsideMask(edge, 300, 0, 0)).toBe(false);
    expect(isOutsideMask(edge, 300.000001, 0, 0)).toBe(true);
    expect(isOutsideMask(edge, 50, 0, 0)).toBe(false);
    expect(isOutsideMask(edge, 49.999999, 0, 0)).toBe(true);
  });

  it('truncates dec toward zero: dec -0.5 and +0.5 share the southern cell of the galaxy at dec -0.5', () => {
    expect(isOutsideMask(mask, ...at(100, 200.5, -0.5))).toBe(false);
    expect(isOutsideMask(mask, ...at(100, 200.5, 0.5))).toBe(false);
    expect(isOutsideMask(mask, ...at(100, 200.5, -1.5))).toBe(true);
  });

  it('finds RA in all four quadrants (atan plus 180 for x < 0, plus 360 when negative)', () => {
    const quad = buildSurveyMask(Float64Array.of(45.5, 135.5, 225.5, 315.5), Float64Array.of(10.5, 10.5, 10.5, 10.5), {
      rMin: 0,
      rMax: 300,
      smooth: false,
    });
    for (const ra of [45.5, 135.5, 225.5, 315.5]) expect(isOutsideMask(quad, ...at(150, ra, 10.5))).toBe(false);
    for (const ra of [46.5, 134.5, 226.5, 314.5]) expect(isOutsideMask(quad, ...at(150, ra, 10.5))).toBe(true);
  });

  it('reads a point on the negative x axis as ra 0 (y = 0, so VAST adds no 180) and the origin as outside', () => {
    const ra0 = buildSurveyMask(Float64Array.of(0.5), Float64Array.of(0.5), { rMin: 0, rMax: 300, smooth: false });
    expect(isOutsideMask(ra0, -100, 0, 0)).toBe(false);
    expect(isOutsideMask(ra0, 100, 0, 0)).toBe(false);
    expect(isOutsideMask(ra0, 0, 0, 0)).toBe(true);
    expect(isOutsideMask(ra0, Number.NaN, 0, 0)).toBe(true);
  });
});
