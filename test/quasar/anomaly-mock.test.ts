import { beforeAll, describe, expect, it } from 'vitest';
import { type AnomalyScores, anomalyScores } from '../../lib/quasar/index.js';
import { mockMatrix, type RowTruth } from './helpers/mock-matrix.js';

/**
 * Anomaly scores on the mock survey's quasars: 1200 ordinary ones (the preset's BAL fraction), 3 of each injected
 * anomaly kind (12, 1% of the sample, so that all could fit in the top 1%) and 10 faint ones with planted sky-line
 * residuals (helpers/mock-matrix.ts). The per-kind table (top 1% by each statistic and by RANK) and every injected
 * anomaly's r magnitude and rank are printed, so the numbers in docs and reports come from the run.
 *
 * Four statistics rank (anomaly-scores.ts): HIGH_PEAK (narrow excesses: spikes), ARM_STEP (a step where DESI's arms
 * meet: a dropped arm), DOUBLET_PEAK (a MgII 2796/2803 matched filter: an intervening absorber) and LYA_DEFICIT (a Lya
 * peak weaker than the population's at that redshift: MgII read as CIV), combined by their tail probabilities.
 * Measured on the larger mock of bench/quasar-anomaly (3000 ordinary, 25 per kind, 30 sky, seed 7; "found" = SCORE
 * above the 99th percentile of the ordinary spectra): SPIKES 25/25, WRONG_Z 24/25, ABSORBER 19/25 (r < 20: 9/10;
 * 20-21: 6/6; r > 21: 4/9), DROPOUT 24/25 (r > 21: 14/15), SKY 0/30: 92/100 injected. Before (ARM_STEP whole arm
 * against whole arm, no doublet search in the BAL window, no forest in LYA_DEFICIT) 85/100; before the targeted
 * statistics 42/100. Seeds 1, 2, 3, 4, 5, 7, 11: 87, 87, 84, 85, 84, 92, 89 (608/700; 533/700 before), sky 0/210.
 * What is still
 * missed is near the noise: faint absorbers (a 2-4 A doublet at r > 21 is 3-5 sigma, where noise alone reaches 4-5
 * over a spectrum's thousands of trial positions) and faint dropped arms; and a WRONG_Z below z ~ 1.95 reported,
 * whose spectrum does not reach Lya. PCA_CHI2 and DENSITY_NLL alone find almost none: their top 1% is bright
 * ordinary quasars whose lines differ smoothly from the basis.
 */
describe('anomalyScores on mock DESI quasars', () => {
  let s: AnomalyScores;
  let truth: RowTruth[];
  let magR: number[];
  beforeAll(() => {
    const mock = mockMatrix({ normal: 1200, perKind: 3, sky: 10, seed: 7, skySigma: 3, skyLines: 8 });
    truth = mock.truth;
    magR = mock.quasars.map((q) => q.magR);
    s = anomalyScores(mock.matrix, { seed: 1 });
  }, 300_000);

  const ranksBy = (v: Float64Array) => {
    const order = [...v.keys()].sort((a, b) => (Number.isNaN(v[b]!) ? -1e300 : v[b]!) - (Number.isNaN(v[a]!) ? -1e300 : v[a]!) || a - b);
    const r = new Int32Array(v.length);
    order.forEach((i, k) => {
      r[i] = k + 1;
    });
    return r;
  };
  const rowsOf = (kind: RowTruth) => truth.flatMap((t, i) => (t === kind ? [i] : []));
  const top = () => Math.floor(truth.length / 100);
  const inTop = (kind: RowTruth) => rowsOf(kind).filter((i) => s.rank[i]! <= top());

  it('reports, per kind, how many land in the top 1% by each statistic', () => {
    expect(top()).toBeGreaterThanOrEqual(12);
    const scores = {
      HIGH_PEAK: ranksBy(s.highPeak),
      STEP_PEAK: ranksBy(s.stepPeak),
      ARM_STEP: ranksBy(s.armStep),
      DOUBLET_PEAK: ranksBy(s.doubletPeak),
      LYA_DEFICIT: ranksBy(s.lyaDeficit),
      PCA_CHI2: ranksBy(s.pcaChi2),
      DENSITY_NLL: ranksBy(s.densityNll),
      FLUX_RESIDUAL: ranksBy(s.detail.fluxResidual),
      RANK: s.rank,
    };
    const table = (['SPIKES', 'WRONG_Z', 'ABSORBER', 'DROPOUT', 'SKY'] as const).map((kind) => {
      const rows = rowsOf(kind);
      return {
        kind,
        n: rows.length,
        ...Object.fromEntries(Object.entries(scores).map(([k, r]) => [k, rows.filter((i) => r[i]! <= top()).length])),
      };
    });
    console.table(table);
    console.table(
      truth.flatMap((t, i) => (t === 'NONE' ? [] : [{ kind: t, r: +magR[i]!.toFixed(2), rank: s.rank[i]!, inTop1: s.rank[i]! <= top() }])),
    );
    expect(table.map((t) => t.n)).toEqual([3, 3, 3, 3, 10]);
  });

  it('puts every spectrum with spikes in the top 1% by HIGH_PEAK, and by RANK in the top 2%', () => {
    // 12 places for 12 anomalies again: an ordinary quasar's unusually strong narrow CIII] (HIGH_PEAK 15.2) takes
    // the 12th, and one spiked spectrum ranks 13th at 15.1 sigma: 30 sigma on one of the ~3.5 DESI pixels that a rest
    // pixel averages. Its spike that read higher when rest pixels weighted DESI pixels by overlap alone sat on a sky
    // line (ivar 0.22 beside 5.2), where weighting by ivar now counts that pixel for what its noise allows.
    const byPeak = ranksBy(s.highPeak);
    expect(rowsOf('SPIKES').filter((i) => byPeak[i]! > top())).toEqual([]);
    expect(rowsOf('SPIKES').filter((i) => s.rank[i]! > 2 * top())).toEqual([]);
  });

  it('finds the dropped arms and intervening absorbers of quasars brighter than r = 21: by their own statistic in its top 1%, by RANK in the top 2%', () => {
    // The combined top 1% has 12 places for the 12 anomalies, so one at r = 20.1 ranked 13th fails it; each
    // statistic alone puts them above its ordinary tail.
    const own = { DROPOUT: s.armStep, ABSORBER: s.doubletPeak } as const;
    for (const kind of ['DROPOUT', 'ABSORBER'] as const) {
      const bright = rowsOf(kind).filter((i) => magR[i]! < 21);
      expect(bright.length).toBeGreaterThan(0);
      const byOwn = ranksBy(own[kind]);
      expect(bright.filter((i) => byOwn[i]! > top())).toEqual([]);
      expect(bright.filter((i) => s.rank[i]! > 2 * top())).toEqual([]);
    }
  });

  it('finds each catastrophic redshift by its missing Lya line, and ranks it in the top 2%', () => {
    // LYA_DEFICIT alone puts every misread spectrum that reaches Lya above every ordinary one; in the combined rank
    // they sit at the edge of the top 1% (12 places for 12 anomalies), so the rank is checked at 2%.
    const ordinaryMax = Math.max(...truth.flatMap((t, i) => (t === 'NONE' && !Number.isNaN(s.lyaDeficit[i]!) ? [s.lyaDeficit[i]!] : [])));
    const wrong = rowsOf('WRONG_Z').filter((i) => !Number.isNaN(s.lyaDeficit[i]!));
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.filter((i) => !(s.lyaDeficit[i]! > ordinaryMax))).toEqual([]);
    expect(rowsOf('WRONG_Z').filter((i) => s.rank[i]! > 2 * top())).toEqual([]);
  });

  it('keeps planted sky-line residuals (a few sigma where IVAR is low) out of the top 1%', () => {
    expect(inTop('SKY')).toEqual([]);
  });

  it('fills at least 10 of the 12 places of the top 1% with injected anomalies', () => {
    const odd = truth.flatMap((t, i) => (t !== 'NONE' && t !== 'SKY' && s.rank[i]! <= top() ? [i] : []));
    console.log(`injected anomalies in the top 1%: ${odd.length} of ${top()}`);
    expect(odd.length).toBeGreaterThanOrEqual(10);
  });
});
