import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { kolmogorovSf, ksTwoSample } from '../../lib/pipeline/index.js';

/** Debian's Python with python3-scipy (apt-get install python3-scipy). */
const PYTHON = '/usr/bin/python3';
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.stats'], { encoding: 'utf8' }).status === 0;

/** scipy's answers for each pair: ks_2samp (asymptotic method), and kstwobign.sf at sqrt(en) D. */
function scipyKs(pairs: [number[], number[]][], xs: number[]) {
  const script = `
import json, sys, math
from scipy import stats
from scipy.special import kolmogorov
data = json.load(sys.stdin)
out = []
for a, b in data['pairs']:
    r = stats.ks_2samp(a, b, method='asymp')
    en = len(a) * len(b) / (len(a) + len(b))
    out.append({'d': float(r.statistic), 'p_asymp': float(r.pvalue), 'p_limit': float(stats.kstwobign.sf(math.sqrt(en) * r.statistic))})
print(json.dumps({'pairs': out, 'kolmogorov': [float(kolmogorov(x)) for x in data['xs']]}))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ pairs, xs }), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { pairs: { d: number; p_asymp: number; p_limit: number }[]; kolmogorov: number[] };
}

function sample(n: number, seed: number, draw: (rng: Rng) => number): number[] {
  const rng = Rng.for(seed, 'ks');
  return Array.from({ length: n }, () => draw(rng));
}

const CASES: { label: string; a: number[]; b: number[] }[] = [
  { label: 'continuous, shifted', a: sample(500, 1, (r) => r.normal()), b: sample(700, 2, (r) => r.normal() + 0.15) },
  { label: 'heavy ties (ten values)', a: sample(300, 3, (r) => r.int(10)), b: sample(450, 4, (r) => r.int(10) + (r.chance(0.1) ? 1 : 0)) },
  { label: 'ties across samples, small', a: [1, 2, 2, 3], b: [2, 2, 3, 4] },
  { label: 'identical samples', a: [5, 1, 3, 3, 2], b: [3, 2, 5, 1, 3] },
  { label: 'disjoint', a: [1, 2, 3], b: [4, 5, 6, 7] },
  { label: 'same distribution, large', a: sample(20_000, 5, (r) => r.normal()), b: sample(15_000, 6, (r) => r.normal()) },
  { label: 'small shift, large', a: sample(20_000, 7, (r) => r.normal()), b: sample(15_000, 8, (r) => r.normal() + 0.03) },
  {
    label: 'rounded redshifts',
    a: sample(3000, 9, (r) => Math.round(r.range(0, 3) * 100) / 100),
    b: sample(2500, 10, (r) => Math.round(r.range(0, 3.1) * 100) / 100),
  },
];

describe.skipIf(!hasScipy)('the two-sample KS test against scipy.stats (skipped without: apt-get install python3-scipy)', () => {
  const xs = [0.01, 0.2, 0.5, 0.8, 0.99, 1, 1.0000001, 1.18, 1.3580986393225507, 2, 3, 5, 8];
  const scipy = scipyKs(
    CASES.map((c) => [c.a, c.b]),
    xs,
  );

  it.each(CASES.map((c, i) => ({ ...c, i })))("$label: the statistic is ks_2samp's; the p-value kstwobign's", ({ a, b, i }) => {
    const ks = ksTwoSample(Float64Array.from(a), Float64Array.from(b));
    const s = scipy.pairs[i]!;
    expect(Math.abs(ks.statistic - s.d)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(ks.pValue - s.p_limit)).toBeLessThanOrEqual(1e-12 * Math.max(1, s.p_limit) + 1e-300);
    if (s.p_limit > 1e-12) expect(Math.abs(ks.pValue - s.p_limit) / s.p_limit).toBeLessThan(1e-10);
    // scipy's ks_2samp uses the finite-n distribution at round(en): the limit is within O(1/sqrt(en)) of it
    const en = (a.length * b.length) / (a.length + b.length);
    if (en > 100) expect(Math.abs(ks.pValue - s.p_asymp)).toBeLessThan(2 / Math.sqrt(en));
  });

  it('exact values where they are known: equal samples D = 0, p = 1; disjoint D = 1', () => {
    expect(ksTwoSample(Float64Array.of(5, 1, 3, 3, 2), Float64Array.of(3, 2, 5, 1, 3))).toMatchObject({ statistic: 0, pValue: 1 });
    expect(ksTwoSample(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6, 7)).statistic).toBe(1);
    expect(ksTwoSample(Float64Array.of(1, 2, 2, 3), Float64Array.of(2, 2, 3, 4)).statistic).toBe(0.25);
  });

  it('the Kolmogorov survival function is scipy.special.kolmogorov on both sides of its series switch', () => {
    xs.forEach((x, k) => {
      const want = scipy.kolmogorov[k]!;
      expect(Math.abs(kolmogorovSf(x) - want), `x = ${x}`).toBeLessThanOrEqual(1e-14 + 1e-12 * want);
    });
  });
});

describe('the two-sample KS test refuses what has no order', () => {
  it('empty samples and NaN', () => {
    expect(() => ksTwoSample(new Float64Array(0), Float64Array.of(1))).toThrow(/non-empty/);
    expect(() => ksTwoSample(Float64Array.of(NaN), Float64Array.of(1))).toThrow(/NaN/);
  });
});
