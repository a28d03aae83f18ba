import { beforeAll, describe, expect, it } from 'vitest';
import { type AnomalyScores, anomalyScores } from '../../lib/quasar/index.js';
import { mockMatrix, type RowTruth } from './helpers/mock-matrix.js';

/**
 * Anomaly scores on the mock survey's quasars: 1000 ordinary ones (the preset's BAL fraction), 2 of each injected
 * anomaly kind (8, 0.8% of the sample, so that all could fit in the top 1%: the preset's 4% could not) and 10 faint
 * ones with planted sky-line residuals (planted in the test, see helpers/mock-matrix.ts).
 * The per-kind table is printed so the numbers in docs and reports come from the run, not from memory.
 *
 * KNOWN (issue 15's acceptance, not met yet): ">= 90% of injected anomalies in the top 1%" fails on this mock. What
 * fills the top 1% instead (diagnosed on 2060 mock spectra): bright BAL quasars, and bright ordinary quasars whose
 * emission lines (MgII, CIV, CIII], Hb, Ha) are far stronger than the mean, leaving residuals of 100+ sigma^2 per pixel
 * over a line width; 24 components instead of 8 did not change that. Faint absorbers are below the noise, and the
 * MgII-for-CIV redshift errors score chi2 < 1 (the misread spectrum looks like a quasar at the wrong z, by design).
 * What is asserted here is what holds: the sky-residual spectra stay out of the top 1% by PCA_CHI2, and injected
 * anomalies rank well above ordinary spectra on average.
 */
describe('anomalyScores on mock DESI quasars', () => {
  let s: AnomalyScores;
  let truth: RowTruth[];
  beforeAll(() => {
    const mock = mockMatrix({ normal: 1000, perKind: 2, sky: 10, seed: 7, skySigma: 3, skyLines: 8 });
    truth = mock.truth;
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

  it('reports, per kind, how many land in the top 1% by each score', () => {
    const n = truth.length;
    const top = Math.floor(n / 100);
    expect(top).toBeGreaterThanOrEqual(10);
    const scores = {
      PCA_CHI2: ranksBy(s.pcaChi2),
      LOCAL_PEAK: ranksBy(s.detail.localPeak),
      DENSITY_NLL: ranksBy(s.densityNll),
      FLUX_RESIDUAL: ranksBy(s.detail.fluxResidual),
      RANK: s.rank,
    };
    const table = (['SPIKES', 'WRONG_Z', 'ABSORBER', 'DROPOUT', 'SKY'] as const).map((kind) => {
      const rows = rowsOf(kind);
      return {
        kind,
        n: rows.length,
        ...Object.fromEntries(Object.entries(scores).map(([k, r]) => [k, rows.filter((i) => r[i]! <= top).length])),
      };
    });
    console.table(table);
    expect(table.map((t) => t.n)).toEqual([2, 2, 2, 2, 10]);
  });

  it('keeps planted sky-line residuals (a few sigma where IVAR is low) out of the top 1% by PCA_CHI2', () => {
    const top = Math.floor(truth.length / 100);
    const r = ranksBy(s.pcaChi2);
    expect(rowsOf('SKY').filter((i) => r[i]! <= top)).toEqual([]);
  });

  it('ranks injected anomalies above ordinary spectra on average (mean RANK percentile < 0.3)', () => {
    const odd = truth.flatMap((t, i) => (t !== 'NONE' && t !== 'SKY' ? [i] : []));
    const meanPercentile = odd.reduce((a, i) => a + s.rank[i]! / truth.length, 0) / odd.length;
    console.log('mean RANK percentile of the injected anomalies:', meanPercentile.toFixed(3));
    expect(meanPercentile).toBeLessThan(0.3);
  });
});
