import { beforeAll, describe, expect, it } from 'vitest';
import { type AnomalyScores, anomalyScores } from '../../lib/quasar/index.js';
import { mockMatrix, type RowTruth } from './helpers/mock-matrix.js';

/**
 * Anomaly scores on the mock survey's quasars: 1200 ordinary ones (the preset's BAL fraction), 3 of each injected
 * anomaly kind (12, 1% of the sample, so that all could fit in the top 1%) and 10 faint ones with planted sky-line
 * residuals (helpers/mock-matrix.ts). The per-kind table (top 1% by each statistic and by RANK) and every injected
 * anomaly's r magnitude and rank are printed, so the numbers in docs and reports come from the run.
 *
 * Issue 15's ">= 90% of injected anomalies in the top 1%" is met for SPIKES and, at r < 21, for DROPOUT; not for
 * ABSORBER or WRONG_Z. Measured on a larger mock (3000 ordinary, 25 per kind, 30 sky; "found" = above the 99th
 * percentile of the ordinary spectra), SCORE found SPIKES 25/25, DROPOUT 15/25 (r < 21: 14/14; r > 21: 1/11),
 * ABSORBER 8/25 (r < 20: 6/9; 20-21: 2/8; r > 21: 0/8; HIGH_PEAK alone 13/25), WRONG_Z 0/25, SKY 0/30; PCA_CHI2 alone
 * found 0, 0, 1, 0 and 0. A faint absorber's 2-4 A doublet is below the noise; the brighter ones compete with the
 * line cores of ordinary quasars, whose strength varies more than the basis follows. WRONG_Z is not a residual: a MgII
 * line read as CIV puts the spectrum at z ~ 4.4 where DESI sees 670-1820 A, and the basis reproduces "a quasar
 * without Lya" with a first coefficient of -43 where ordinary ones have +37, to within the noise.
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
      LOW_CHI2: ranksBy(s.residual.lowChi2),
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

  it('puts every spectrum with spikes in the top 1%', () => {
    expect(inTop('SPIKES')).toEqual(rowsOf('SPIKES'));
  });

  it('ranks the dropped arms and intervening absorbers of bright quasars (r < 21) in the top 5%', () => {
    // Not all in the top 1%: an absorber's 2-4 A doublet at r ~ 20 is 8-15 sigma, as high as the line cores of some
    // ordinary quasars (see the note above).
    for (const kind of ['DROPOUT', 'ABSORBER'] as const) {
      const bright = rowsOf(kind).filter((i) => magR[i]! < 21);
      expect(bright.length).toBeGreaterThan(0);
      expect(bright.filter((i) => s.rank[i]! > truth.length / 20)).toEqual([]);
    }
  });

  it('keeps planted sky-line residuals (a few sigma where IVAR is low) out of the top 1%', () => {
    expect(inTop('SKY')).toEqual([]);
  });

  it('fills at least half of the top 1% with injected anomalies', () => {
    const odd = truth.flatMap((t, i) => (t !== 'NONE' && t !== 'SKY' && s.rank[i]! <= top() ? [i] : []));
    console.log(`injected anomalies in the top 1%: ${odd.length} of ${top()}`);
    expect(odd.length).toBeGreaterThanOrEqual(top() / 2);
  });
});
