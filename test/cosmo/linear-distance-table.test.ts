import { describe, expect, it } from 'vitest';
import { FlatLambdaCDM, LinearDistanceTable } from '../../lib/cosmo/index.js';

describe('LinearDistanceTable (the mock survey frozen lookup)', () => {
  it('matches the flat LCDM integral (Om 0.3) and inverts itself', () => {
    const c = new LinearDistanceTable(0.3);
    // Independent reference: trapezoid with 1e5 steps.
    const ref = (z: number) => {
      let s = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++) {
        const a = (i * z) / n,
          b = ((i + 1) * z) / n;
        const f = (x: number) => 1 / Math.sqrt(0.3 * (1 + x) ** 3 + 0.7);
        s += ((f(a) + f(b)) / 2) * (b - a);
      }
      return 2997.92458 * s;
    };
    for (const z of [0.05, 0.2, 1, 3]) expect(c.distance(z)).toBeCloseTo(ref(z), 2);
    expect(c.redshift(c.distance(0.1234))).toBeCloseTo(0.1234, 6);
  });

  it('stays within 6e-5 Mpc/h of FlatLambdaCDM (2.5e-7 relative from z = 0.1) and 3e-8 in redshift, as documented', () => {
    for (const omegaM of [0.2, 0.3, 0.4]) {
      const table = new LinearDistanceTable(omegaM);
      const exact = new FlatLambdaCDM({ omegaM });
      let worstAbs = 0,
        worstRel = 0,
        worstZ = 0;
      for (let z = 0.0001; z <= 6; z += 0.0000731) {
        const d = exact.comovingDistance(z);
        const err = Math.abs(table.distance(z) - d);
        worstAbs = Math.max(worstAbs, err);
        if (z >= 0.1) worstRel = Math.max(worstRel, err / d);
        worstZ = Math.max(worstZ, Math.abs(table.redshift(d) - z));
      }
      expect(worstAbs).toBeLessThan(6e-5);
      expect(worstRel).toBeLessThan(2.5e-7);
      expect(worstZ).toBeLessThan(3e-8);
      expect(worstAbs).toBeGreaterThan(1e-6); // an interpolation error this small would mean the comparison is broken
    }
  });

  it('keeps the mock survey distance modulus: 5 log10((1+z) d / 10 pc)', () => {
    const t = new LinearDistanceTable(0.3);
    expect(t.distanceModulus(0.1)).toBeCloseTo(5 * Math.log10(1.1 * t.distance(0.1) * 1e5), 12);
    expect(t.distanceModulus(0)).toBeCloseTo(5 * Math.log10(1e-6 * 1e5), 12);
  });
});
