import { describe, expect, it } from 'vitest';
import { balTransmission, drawTroughs, troughsBi } from '../../lib/datasets/bal-troughs.js';
import { NDIAG, resolutionData } from '../../lib/datasets/instrument.js';
import { applyResolution } from '../../lib/desi/index.js';
import { Rng } from '../../lib/datasets/random.js';
import { allocate } from '../../lib/datasets/survey-plan.js';

describe('Rng', () => {
  it('repeats for equal keys and differs for different keys', () => {
    const a = Rng.for(7, 'galaxies', 27247);
    const b = Rng.for(7, 'galaxies', 27247);
    const c = Rng.for(7, 'galaxies', 27248);
    const xa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xa);
  });
  it('draws uniform and normal deviates with the right moments', () => {
    const r = Rng.for(1, 'moments');
    let su = 0,
      sn = 0,
      sn2 = 0,
      outside = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const g = r.normal();
      sn += g;
      sn2 += g * g;
    }
    expect(outside).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });
});

describe('injected BAL troughs', () => {
  it('every drawn trough set has BI_CIV > 0, and no troughs give 0', () => {
    for (let k = 0; k < 200; k++) {
      const t = drawTroughs(Rng.for(3, 'bal', k));
      expect(t.length).toBeGreaterThan(0);
      expect(troughsBi(t, 'CIV')).toBeGreaterThan(0);
    }
    expect(troughsBi([], 'CIV')).toBe(0);
    expect(balTransmission(1480, [])).toBe(1);
  });
});

describe('resolution matrix', () => {
  it('stores 11 diagonals in DESI layout with rows summing to 1 (flux conserving)', () => {
    const n = 300;
    const R = resolutionData(n, () => 1.0);
    expect(R.length).toBe(NDIAG * n);
    // Row i of the matrix: R[i, i + k] = data[(5 - k) * n + i + k].
    for (const i of [5, 100, 294]) {
      let sum = 0;
      for (let k = -5; k <= 5; k++) sum += R[(5 - k) * n + i + k]!;
      expect(sum).toBeCloseTo(1, 6);
    }
    const flat = applyResolution(R, NDIAG, new Float64Array(n).fill(3));
    expect(flat[150]).toBeCloseTo(3, 5);
    // A delta function spreads into a symmetric Gaussian of sigma 1 pixel.
    const delta = new Float64Array(n);
    delta[150] = 1;
    const y = applyResolution(R, NDIAG, delta);
    expect(y[149]).toBeCloseTo(y[151]!, 7);
    expect(y[151]! / y[150]!).toBeCloseTo(Math.exp(-0.5), 5);
  });
});

describe('allocation', () => {
  it('allocate splits a total exactly and in proportion', () => {
    const a = allocate(1000, [1, 2, 3, 4]);
    expect([...a]).toEqual([100, 200, 300, 400]);
    const b = allocate(10, [1, 1, 1]);
    expect(b.reduce((x, y) => x + y, 0)).toBe(10);
  });
});
