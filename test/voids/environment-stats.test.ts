import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { compareEnvironments } from '../../lib/voids/environment-stats.js';
import { HAVE_SCIPY, NO_SCIPY_MESSAGE, runPython } from '../helpers/astropy.js';

if (!HAVE_SCIPY) console.warn(NO_SCIPY_MESSAGE);

/** A property (a colour, say) that is bluer in voids, with flags for 6000 galaxies, some NaN, some edge, some outside. */
function sample(): { values: Float64Array; vflag: Uint8Array } {
  const rng = Rng.for(5, 'environment');
  const n = 6000;
  const values = new Float64Array(n);
  const vflag = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    vflag[i] = u < 0.3 ? 1 : u < 0.85 ? 0 : u < 0.95 ? 2 : 9;
    values[i] = (vflag[i] === 1 ? 0.62 : 0.7) + 0.1 * rng.normal();
    if (i % 97 === 0) values[i] = Number.NaN;
  }
  return { values, vflag };
}

describe('compareEnvironments', () => {
  const { values, vflag } = sample();

  it('splits void (1) from wall (0), counts what it leaves out, and bins on shared edges as numpy.histogram', () => {
    const c = compareEnvironments(values, vflag, { bins: 15, bootstrap: 0 });
    let nan = 0;
    let edge = 0;
    let outside = 0;
    const v: number[] = [];
    const w: number[] = [];
    vflag.forEach((f, i) => {
      if (f === 2) edge++;
      else if (f === 9) outside++;
      else if (Number.isNaN(values[i]!)) nan++;
      else (f === 1 ? v : w).push(values[i]!);
    });
    expect(c.skipped).toEqual({ nan, edge, outside });
    expect(c.void.count).toBe(v.length);
    expect(c.wall.count).toBe(w.length);
    expect(c.edges.length).toBe(16);
    expect(c.void.fractionError.every(Number.isNaN)).toBe(true);
    if (!HAVE_SCIPY) return;
    const want = JSON.parse(
      runPython(
        `import sys, json, numpy as np
from scipy.stats import ks_2samp
v, w = (np.array(x) for x in json.loads(sys.argv[1]))
edges = np.histogram_bin_edges(np.concatenate([v, w]), bins=15)
out = {'edges': edges.tolist(), 'void': np.histogram(v, edges)[0].tolist(), 'wall': np.histogram(w, edges)[0].tolist(),
       'mean': [v.mean(), w.mean()], 'median': [float(np.median(v)), float(np.median(w))], 'std': [v.std(ddof=1), w.std(ddof=1)],
       'ks': [ks_2samp(v, w).statistic, ks_2samp(v, w).pvalue]}
print(json.dumps(out))`,
        [JSON.stringify([v, w])],
      ),
    ) as { edges: number[]; void: number[]; wall: number[]; mean: number[]; median: number[]; std: number[]; ks: number[] };
    want.edges.forEach((e, i) => expect(c.edges[i]).toBeCloseTo(e, 12));
    expect(Array.from(c.void.counts)).toEqual(want.void);
    expect(Array.from(c.wall.counts)).toEqual(want.wall);
    expect(c.void.mean).toBeCloseTo(want.mean[0]!, 12);
    expect(c.wall.median).toBe(want.median[1]);
    expect(c.void.median).toBe(want.median[0]);
    expect(c.wall.std).toBeCloseTo(want.std[1]!, 12);
    expect(c.ks.statistic).toBeCloseTo(want.ks[0]!, 14);
    expect(c.ks.pvalue / want.ks[1]!).toBeCloseTo(1, 8);
  });

  it('bootstrap errors: seeded (same seed, same numbers; another seed, others) and of the size sampling theory gives', () => {
    const a = compareEnvironments(values, vflag, { bootstrap: 300, seed: 11 });
    const b = compareEnvironments(values, vflag, { bootstrap: 300, seed: 11 });
    const c = compareEnvironments(values, vflag, { bootstrap: 300, seed: 12 });
    expect(b).toEqual(a);
    expect(c.void.meanError).not.toBe(a.void.meanError);
    for (const env of [a.void, a.wall]) {
      // the standard error of a mean is std / sqrt(n); of a median about 1.2533 times that for a normal sample
      const se = env.std / Math.sqrt(env.count);
      expect(env.meanError / se).toBeGreaterThan(0.85);
      expect(env.meanError / se).toBeLessThan(1.15);
      expect(env.medianError / (1.2533 * se)).toBeGreaterThan(0.75);
      expect(env.medianError / (1.2533 * se)).toBeLessThan(1.25);
      // a bin's fraction f of n galaxies has binomial error sqrt(f (1 - f) / n)
      const k = env.fraction.indexOf(Math.max(...env.fraction));
      const f = env.fraction[k]!;
      expect(env.fractionError[k]! / Math.sqrt((f * (1 - f)) / env.count)).toBeGreaterThan(0.8);
      expect(env.fractionError[k]! / Math.sqrt((f * (1 - f)) / env.count)).toBeLessThan(1.2);
    }
  });

  it('takes explicit edges, and refuses bad input naming it', () => {
    const c = compareEnvironments(values, vflag, { bins: [0.3, 0.5, 0.7, 0.9, 1.1], bootstrap: 0 });
    expect(Array.from(c.edges)).toEqual([0.3, 0.5, 0.7, 0.9, 1.1]);
    expect(() => compareEnvironments(values, vflag.subarray(1))).toThrow(/lengths differ/);
    expect(() => compareEnvironments([1, 2], [1, 7])).toThrow(/vflag 7 at row 1/);
    expect(() => compareEnvironments([1, 2], [1, 1])).toThrow(/1 void and 0 wall|2 void and 0 wall/);
    expect(() => compareEnvironments(values, vflag, { bins: [1, 1] })).toThrow(/edges must increase/);
  });
});
