import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { snapToCatalogue } from '../../lib/voids/catalogue-positions.js';
import { galaxyEnvironments } from '../../lib/voids/membership.js';
import type { SurveyMask } from '../../lib/voids/survey-mask.js';

/** The next float32 above v (one ulp up), as a double. */
function ulpUp(v: number): number {
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  i[0]! += v >= 0 ? 1 : -1;
  return f[0]!;
}

describe('snapToCatalogue', () => {
  const recorded = Float64Array.of(100.5, -20.25, 40.125, 7, 8, 9);
  it('moves a position within the tolerance onto the recorded one, leaves others and NaN alone', () => {
    const xyz = Float64Array.of(ulpUp(100.5), -20.25, ulpUp(40.125), 7.5, 8, 9, Number.NaN, 0, 0);
    const { xyz: out, snapped } = snapToCatalogue(xyz, [recorded.subarray(0, 3), recorded.subarray(3)]);
    expect(snapped).toBe(1);
    expect(Array.from(out.subarray(0, 3))).toEqual([100.5, -20.25, 40.125]);
    expect(Array.from(out.subarray(3, 6))).toEqual([7.5, 8, 9]); // 0.5 away: another galaxy
    expect(Number.isNaN(out[6]!)).toBe(true);
    expect(xyz[0]).toBe(ulpUp(100.5)); // the input is not changed
  });

  it('decides the flag of a galaxy on a hole surface: the recorded position is on it (wall), one float32 ulp off is inside', () => {
    // the hole's surface passes exactly through the recorded galaxy (a 3-4-5 offset: distance 5 exactly)
    const holes = tableFromArrays({
      x: Float64Array.of(103.5),
      y: Float64Array.of(-16.25),
      z: Float64Array.of(40.125),
      radius: Float64Array.of(5),
      void: Int32Array.of(0),
    });
    const mask: SurveyMask = { resolution: 1, cells: new Uint8Array(360 * 180).fill(1), rMin: 0, rMax: 1000 };
    const recordedGalaxy = Float64Array.of(100.5, -20.25, 40.125);
    const computed = Float64Array.of(ulpUp(100.5), -20.25, 40.125); // one float32 ulp toward the centre
    expect(galaxyEnvironments(recordedGalaxy, { holes, mask }).vflag[0]).toBe(0); // VAST's test is strict
    expect(galaxyEnvironments(computed, { holes, mask }).vflag[0]).toBe(1);
    const { xyz } = snapToCatalogue(computed, [recordedGalaxy]);
    expect(galaxyEnvironments(xyz, { holes, mask }).vflag[0]).toBe(0);
  });
});
