import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { kolmogorovSf, smirnovSf } from '../../lib/voids/kolmogorov.js';
import { type KsAlternative, ksTwoSample } from '../../lib/voids/ks-test.js';
import { HAVE_SCIPY, NO_SCIPY_MESSAGE, runPython } from '../helpers/astropy.js';

// scipy is the reference (Debian's python3-scipy beside astropy); without it these comparisons skip.
if (!HAVE_SCIPY) console.warn(NO_SCIPY_MESSAGE);

/** Relative agreement, or absolute for values near 0. */
function close(actual: number, expected: number, rel: number, abs = 1e-300): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

function normals(seed: number, n: number, shift = 0, scale = 1, round?: number): number[] {
  const rng = Rng.for(seed, 'ks', n);
  return Array.from({ length: n }, () => {
    const v = shift + scale * rng.normal();
    return round ? Math.round(v * round) / round : v;
  });
}

describe.skipIf(!HAVE_SCIPY)('Kolmogorov distributions against scipy', () => {
  it.skipIf(!HAVE_SCIPY)('smirnovSf equals scipy.special.smirnov over n and x', () => {
    const cases: [number, number][] = [];
    for (const n of [1, 2, 5, 10, 37, 140, 141, 1000, 5000, 20000, 100000])
      for (const x of [0.0005, 0.002, 0.01, 0.03, 0.07, 0.15, 0.3, 0.5, 0.8, 0.99]) cases.push([n, x]);
    const want = JSON.parse(
      runPython(
        'import sys,json; from scipy.special import smirnov; print(json.dumps([smirnov(n,x) for n,x in json.loads(sys.argv[1])]))',
        [JSON.stringify(cases)],
      ),
    ) as number[];
    cases.forEach(([n, x], i) => {
      const got = smirnovSf(n, x);
      expect(close(got, want[i]!, 1e-8, 1e-300), `smirnov(${n}, ${x}): ${got} vs scipy ${want[i]}`).toBe(true);
    });
  });

  it.skipIf(!HAVE_SCIPY)('kolmogorovSf equals scipy.stats.kstwo.sf in every branch (Ruben-Gambino, Durbin, Smirnov, Pelz-Good)', () => {
    const cases: [number, number][] = [];
    for (const n of [1, 3, 10, 60, 140, 141, 500, 3000, 50000, 100000, 100001, 200000]) {
      // scipy's own Smirnov sum is slow for large n: fewer points there
      const grid = n >= 50000 ? [0.3, 0.75, 1.5, 2.1, 2.3, 400] : [0.3, 0.6, 0.75, 0.9, 1.5, 2.1, 2.3, 3.9, 4.1, 10, 50, 400];
      for (const nx2 of grid) {
        const x = Math.sqrt(nx2 / n);
        if (x < 1) cases.push([n, x]);
      }
      for (const t of [0.4, 0.7, 1, n - 1.5, n - 0.5]) if (t > 0 && t < n) cases.push([n, t / n]);
    }
    const want = JSON.parse(
      runPython(
        'import sys,json; from scipy.stats import kstwo; print(json.dumps([float(kstwo.sf(x,n)) for n,x in json.loads(sys.argv[1])]))',
        [JSON.stringify(cases)],
      ),
    ) as number[];
    cases.forEach(([n, x], i) => {
      const got = kolmogorovSf(n, x);
      expect(close(got, want[i]!, 1e-8, 1e-15), `kstwo.sf(${x}, ${n}): ${got} vs scipy ${want[i]}`).toBe(true);
    });
  });
});

interface Case {
  name: string;
  a: number[];
  b: number[];
  alternative: KsAlternative;
  method: 'auto' | 'exact' | 'asymp';
}

const CASES: Case[] = [
  { name: 'small, exact', a: normals(1, 8), b: normals(2, 11, 0.8), alternative: 'two-sided', method: 'auto' },
  { name: 'equal sizes, exact', a: normals(3, 50), b: normals(4, 50, 0.3), alternative: 'two-sided', method: 'auto' },
  { name: 'ties (rounded values)', a: normals(5, 300, 0, 1, 2), b: normals(6, 400, 0.1, 1, 2), alternative: 'two-sided', method: 'auto' },
  { name: 'one-sided less, exact', a: normals(7, 40), b: normals(8, 70, 0.5), alternative: 'less', method: 'auto' },
  { name: 'one-sided greater, exact', a: normals(9, 60), b: normals(10, 60, -0.4), alternative: 'greater', method: 'auto' },
  { name: 'exact near the auto limit', a: normals(11, 3000), b: normals(12, 5000, 0.05), alternative: 'two-sided', method: 'auto' },
  {
    name: 'exact, p ~ 1e-100 (no cancellation)',
    a: normals(25, 1600),
    b: normals(26, 3200, 0.8),
    alternative: 'two-sided',
    method: 'auto',
  },
  { name: 'exact, equal sizes, p ~ 1e-40', a: normals(27, 1000), b: normals(28, 1000, 0.7), alternative: 'two-sided', method: 'auto' },
  { name: 'exact at the limit (10,000)', a: normals(29, 9000), b: normals(30, 10000, 0.03), alternative: 'two-sided', method: 'auto' },
  { name: 'asymp, small difference', a: normals(13, 12000), b: normals(14, 30000, 0.02), alternative: 'two-sided', method: 'auto' },
  { name: 'asymp, large difference', a: normals(15, 11000), b: normals(16, 20000, 0.3), alternative: 'two-sided', method: 'auto' },
  { name: 'asymp, tiny first sample', a: normals(17, 3), b: normals(18, 20000, 0.5), alternative: 'two-sided', method: 'auto' },
  { name: 'asymp one-sided', a: normals(19, 15000), b: normals(20, 12000, 0.03), alternative: 'greater', method: 'auto' },
  { name: 'forced asymp on small samples', a: normals(21, 200), b: normals(22, 300, 0.2), alternative: 'two-sided', method: 'asymp' },
  { name: 'forced exact on equal halves', a: normals(23, 401), b: normals(24, 401, 0.15), alternative: 'two-sided', method: 'exact' },
];

describe.skipIf(!HAVE_SCIPY)('ksTwoSample against scipy.stats.ks_2samp', () => {
  const want = HAVE_SCIPY
    ? (JSON.parse(
        runPython(
          `import sys, json, numpy as np
from scipy.stats import ks_2samp
out = []
for c in json.loads(open(sys.argv[1]).read()):
    r = ks_2samp(np.array(c['a']), np.array(c['b']), alternative=c['alternative'], method=c['method'])
    out.append([float(r.statistic), float(r.pvalue), float(r.statistic_location), int(r.statistic_sign)])
print(json.dumps(out))`,
          [writeCases()],
        ),
      ) as [number, number, number, number][])
    : [];
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const r = ksTwoSample(Float64Array.from(c.a), Float64Array.from(c.b), { alternative: c.alternative, method: c.method });
    const [d, p, loc, sign] = want[i]!;
    expect(r.statistic).toBeCloseTo(d, 14);
    expect(close(r.pvalue, p, 1e-8, 1e-14), `p ${r.pvalue} vs scipy ${p}`).toBe(true);
    expect(r.location).toBe(loc);
    expect(r.sign).toBe(sign);
  });
});

function writeCases(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'skybook-ks-')), 'cases.json');
  writeFileSync(file, JSON.stringify(CASES));
  return file;
}

describe('ksTwoSample: input checks', () => {
  it('refuses NaN and empty samples, naming them', () => {
    expect(() => ksTwoSample([1, Number.NaN], [1, 2])).toThrow(/sample 1 holds NaN at index 1/);
    expect(() => ksTwoSample([], [1, 2])).toThrow(/empty sample/);
  });
  it('identical samples: D = 0, p = 1', () => {
    const r = ksTwoSample([1, 2, 3], [3, 2, 1]);
    expect(r.statistic).toBe(0);
    expect(r.pvalue).toBe(1);
  });
});
