import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import {
  anomalyScores,
  anomalyTable,
  BAL_WINDOW,
  chi2OneQuantile,
  coverageRedshift,
  doubletPeak,
  emptyMlMatrix,
  type MlMatrix,
  fitGaussianMixture,
  logLambdaGrid,
  lymanAlphaDeficit,
  broadLineDeficit,
  MGII_DOUBLET,
  mgiiDoubletSearch,
  ML_GRID,
  ML_MASK,
  mixtureNegLogLikelihood,
  noiseFloor,
  percentileRanks,
  randomisedSvd,
  restWavelength,
  runningMedian,
  tailProbabilities,
  topAnomalies,
  TRIMMED_MEAN_VARIANCE,
  trimmedSums,
} from '../../lib/quasar/index.js';

describe('residual-scale helpers', () => {
  it('trimmedSums leaves out the pixels farthest from the median in their own noise, with the variance TRIMMED_MEAN_VARIANCE says', () => {
    const n = 200;
    const rng = Rng.for(5, 'trimmed-mean');
    const ivar = Float64Array.from({ length: n }, (_, k) => 1 + (2 * ((k * 7) % 11)) / 10);
    const model = new Float64Array(n).fill(2);
    const work = new Float64Array(2 * n);
    // Untrimmed: the plain weighted sums.
    const resid = Float64Array.from(ivar, (w) => rng.normal() / Math.sqrt(w));
    const [w0, wr0, wm0] = trimmedSums(resid, ivar, model, n, 0, work);
    expect(w0).toBeCloseTo(
      ivar.reduce((a, b) => a + b, 0),
      10,
    );
    expect(wr0).toBeCloseTo(
      resid.reduce((a, r, k) => a + r * ivar[k]!, 0),
      10,
    );
    expect(wm0).toBeCloseTo(2 * w0, 10);
    // One pixel 50 sigma off moves the plain mean by ~50 / sqrt(n) sigma of the mean; the trimmed one (which then
    // trims one noise pixel fewer) by well under one (0.44 here).
    const spiked = Float64Array.from(resid);
    spiked[17] = spiked[17]! + 50 / Math.sqrt(ivar[17]!);
    const [w1, wr1] = trimmedSums(spiked, ivar, model, n, 0.1, work);
    const [w2, wr2] = trimmedSums(resid, ivar, model, n, 0.1, work);
    expect(Math.abs(wr1 / w1 - wr2 / w2) * Math.sqrt(w2)).toBeLessThan(1);
    const [wp, wrp] = trimmedSums(spiked, ivar, model, n, 0, work);
    expect(Math.abs(wrp / wp - wr0 / w0) * Math.sqrt(w0)).toBeGreaterThan(3);
    // Over many noise draws: the trimmed mean's variance over 1 / sum(ivar) of the kept pixels is the constant
    // (1.38), not the plain mean's 1 nor the running median's 1.57, and the mean stays unbiased.
    const factor = TRIMMED_MEAN_VARIANCE;
    const trials = 4000;
    let sum = 0;
    let sum2 = 0;
    let expected = 0;
    for (let t = 0; t < trials; t++) {
      for (let k = 0; k < n; k++) resid[k] = rng.normal() / Math.sqrt(ivar[k]!);
      const [w, wr] = trimmedSums(resid, ivar, model, n, 0.1, work);
      sum += wr / w;
      sum2 += (wr / w) ** 2;
      expected += 1 / w;
    }
    const mean = sum / trials;
    expect(Math.abs(mean) / Math.sqrt((factor * expected) / trials / trials)).toBeLessThan(4);
    const ratio = (sum2 / trials - mean * mean) / (expected / trials);
    // 4000 draws: the variance is known to ~2.2%.
    expect(Math.abs(ratio - factor)).toBeLessThan(0.08);
  });

  it('runningMedian equals the median of each centred window (truncated at the ends)', () => {
    const rng = Rng.for(3, 'running-median');
    const n = 500;
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const out = runningMedian(v, n, 15, new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const w = [...v.slice(Math.max(0, i - 7), Math.min(n, i + 8))].sort((a, b) => a - b);
      const h = w.length >> 1;
      expect(out[i]).toBe(w.length % 2 ? w[h]! : 0.5 * (w[h - 1]! + w[h]!));
    }
  });

  it('noiseFloor brings the chosen quantile of residual^2 / (noise + floor) to that of chi-square(1)', () => {
    expect(chi2OneQuantile(0.5)).toBeCloseTo(0.454936, 4);
    expect(chi2OneQuantile(0.99)).toBeCloseTo(6.634897, 3);
    // Residuals of noise 1 plus an extra scatter of variance 4: the median floor is ~4.
    const rng = Rng.for(4, 'noise-floor');
    const n = 20000;
    const r2 = Float64Array.from({ length: n }, () => (rng.normal() * Math.sqrt(5)) ** 2);
    expect(noiseFloor(r2, new Float64Array(n).fill(1), n)).toBeCloseTo(4, 0);
    expect(
      noiseFloor(
        Float64Array.from({ length: n }, () => rng.normal() ** 2),
        new Float64Array(n).fill(1),
        n,
      ),
    ).toBeLessThan(0.1);
  });
});

describe('randomisedSvd', () => {
  it('recovers the singular values and right singular space of an exactly rank-3 matrix', () => {
    const n = 120;
    const p = 80;
    const rng = Rng.for(1, 'svd-test');
    // A = sum_c s_c u_c v_c^T with orthonormal v (sines) and random u.
    const s = [50, 20, 5];
    const v = s.map((_, c) => {
      const row = Float64Array.from({ length: p }, (_, j) => Math.sin(((c + 1) * Math.PI * (j + 0.5)) / p));
      const norm = Math.hypot(...row);
      return row.map((x) => x / norm);
    });
    const u = s.map(() => {
      const col = Float64Array.from({ length: n }, () => rng.normal());
      const norm = Math.hypot(...col);
      return col.map((x) => x / norm);
    });
    // Make u orthonormal (Gram-Schmidt) so s are the exact singular values.
    for (let c = 1; c < 3; c++)
      for (let k = 0; k < c; k++) {
        const dot = u[c]!.reduce((a, x, i) => a + x * u[k]![i]!, 0);
        u[c] = u[c]!.map((x, i) => x - dot * u[k]![i]!);
        const norm = Math.hypot(...u[c]!);
        u[c] = u[c]!.map((x) => x / norm);
      }
    const a = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) for (let c = 0; c < 3; c++) a[i * p + j]! += s[c]! * u[c]![i]! * v[c]![j]!;
    const svd = randomisedSvd(a, n, p, 3, { seed: 4 });
    for (let c = 0; c < 3; c++) {
      expect(svd.values[c]! / s[c]!).toBeCloseTo(1, 10);
      const dot = v[c]!.reduce((acc, x, j) => acc + x * svd.vectors[c * p + j]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
    }
    // Seeded: the same seed gives the same numbers.
    expect(randomisedSvd(a, n, p, 3, { seed: 4 }).vectors).toEqual(svd.vectors);
  });
});

describe('fitGaussianMixture', () => {
  const rng = Rng.for(2, 'gmm-test');
  const n = 600;
  const x = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const second = i % 3 === 0;
    x[2 * i] = (second ? 8 : 0) + rng.normal();
    x[2 * i + 1] = (second ? -4 : 0) + 0.5 * rng.normal();
  }
  const gmm = fitGaussianMixture(x, n, 2, { components: 2, seed: 3 });

  it('finds two separated clusters with their weights and means', () => {
    const order = gmm.means[0]! < gmm.means[2]! ? [0, 1] : [1, 0];
    expect(gmm.weights[order[0]!]!).toBeCloseTo(2 / 3, 1);
    expect(gmm.means[order[1]! * 2]!).toBeCloseTo(8, 0);
    expect(gmm.means[order[1]! * 2 + 1]!).toBeCloseTo(-4, 0);
  });

  it('gives a far point a much larger -log p than a typical one, and is deterministic', () => {
    const nll = mixtureNegLogLikelihood(gmm, Float64Array.of(0, 0, 4, 10), 2);
    expect(nll[1]! - nll[0]!).toBeGreaterThan(50);
    expect(fitGaussianMixture(x, n, 2, { components: 2, seed: 3 })).toEqual(gmm);
  });
});

describe('anomalyScores on synthetic low-rank spectra', () => {
  // 400 spectra = mean + 3 shapes with random amplitudes + noise, each covering a random contiguous half of the grid
  // (as redshift does); row 7 gets 4 spikes of 25 sigma, row 11 a sky-like residual of 3 sigma on 3 pixels where ivar is 400 times lower (a bright sky line).
  const grid = logLambdaGrid({ start: 1300, end: 3000, dlog10: 1e-3 });
  const p = grid.npix;
  const n = 400;
  const m = emptyMlMatrix(n, grid);
  const rng = Rng.for(9, 'synthetic-spectra');
  for (let r = 0; r < n; r++) {
    m.targetid[r] = BigInt(r) + 1000n;
    const amps = [rng.normal(), rng.normal(), rng.normal()];
    const start = rng.int(p / 2);
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      if (j < start || j >= start + p / 2) {
        m.mask[o] = ML_MASK.NOT_COVERED;
        continue;
      }
      const t = j / p;
      const truth = 1 + 0.3 * amps[0]! * Math.sin(6 * t) + 0.2 * amps[1]! * Math.exp(-(((t - 0.4) / 0.03) ** 2)) + 0.1 * amps[2]! * t;
      const sky = j % 17 === 0;
      m.ivar[o] = sky ? 6.25 : 2500;
      m.flux[o] = truth + rng.normal() / Math.sqrt(m.ivar[o]!);
    }
  }
  const covered = (r: number) => [...Array(p).keys()].filter((j) => m.mask[r * p + j] === 0);
  for (const j of covered(7).slice(10, 14)) m.flux[7 * p + j]! += 25 / Math.sqrt(m.ivar[7 * p + j]!);
  for (const j of covered(11)
    .filter((j) => j % 17 === 0)
    .slice(0, 3))
    m.flux[11 * p + j]! += 3 / Math.sqrt(m.ivar[11 * p + j]!);
  const s = anomalyScores(m, { components: 3, seed: 5, restRange: [0, Number.POSITIVE_INFINITY] });

  it('fits ordinary spectra to chi2 per pixel ~ 1 and ranks the spiked one first', () => {
    const ordinary = [...s.pcaChi2].filter((_, r) => r !== 7 && r !== 11).sort((a, b) => a - b);
    expect(Math.abs(ordinary[ordinary.length >> 1]! - 1)).toBeLessThan(0.1);
    expect(s.rank[7]).toBe(1);
    expect(topAnomalies(s, 1)).toEqual(BigInt64Array.of(1007n));
  });

  it('does not flag the sky-like residual by chi2, though its flux residual is large', () => {
    const chi2Rank = [...s.pcaChi2].filter((c) => c >= s.pcaChi2[11]!).length;
    const fluxRank = [...s.detail.fluxResidual].filter((c) => c >= s.detail.fluxResidual[11]!).length;
    expect(chi2Rank).toBeGreaterThan(n / 100);
    console.log('sky-like residual: chi2 rank', chi2Rank, 'flux rank', fluxRank);
    expect(fluxRank).toBeLessThanOrEqual(n / 100);
  });

  it('writes the columns the catalogue needs, in rank order', () => {
    const t = anomalyTable(s);
    expect(t.schema.fields.map((f) => f.name)).toEqual([
      'TARGETID',
      'HIGH_PEAK',
      'STEP_PEAK',
      'ARM_STEP',
      'DOUBLET_PEAK',
      'LYA_DEFICIT',
      'LINE_DEFICIT',
      'PCA_CHI2',
      'DENSITY_NLL',
      'SCORE',
      'RANK',
    ]);
    expect(t.getChild('RANK')!.get(0)).toBe(1);
    expect(t.getChild('TARGETID')!.get(0)).toBe(1007n);
    expect(t.numRows).toBe(n);
  });

  it('percentile ranks share ties and keep NaN', () => {
    expect(Array.from(percentileRanks(Float64Array.of(3, 1, Number.NaN, 1)))).toEqual([1, 1 / 3, Number.NaN, 1 / 3]);
  });
});

describe('the targeted statistics', () => {
  it('mgiiDoubletSearch spaces the lines by their wavelength ratio and stops just redward of MgII', () => {
    const d = mgiiDoubletSearch(ML_GRID, 1260, [BAL_WINDOW]);
    expect(d.spacing).toBeCloseTo(Math.log10(MGII_DOUBLET[1] / MGII_DOUBLET[0]) / ML_GRID.dlog10, 10);
    expect(restWavelength(ML_GRID, d.first)).toBeCloseTo(1260, -1);
    expect(Math.abs(restWavelength(ML_GRID, d.last) / (MGII_DOUBLET[1] * 1.01) - 1)).toBeLessThan(ML_GRID.dlog10 * Math.LN10);
    expect(restWavelength(ML_GRID, d.skip[0]![0])).toBeCloseTo(BAL_WINDOW[0], -1);
    expect(restWavelength(ML_GRID, d.skip[0]![1])).toBeCloseTo(BAL_WINDOW[1], -1);
    expect(mgiiDoubletSearch(ML_GRID).skip).toEqual([]);
  });

  it('coverageRedshift reads 1 + z from where a DESI spectrum starts and ends in the rest frame', () => {
    const m = emptyMlMatrix(3, ML_GRID);
    for (const [r, z] of [0.8, 1.5, 3.2].entries())
      for (let j = 0; j < ML_GRID.npix; j++) {
        const w = restWavelength(ML_GRID, j);
        const covered = w >= 3600 / (1 + z) && w <= 9824 / (1 + z);
        m.mask[r * ML_GRID.npix + j] = covered ? 0 : ML_MASK.NOT_COVERED;
        m.ivar[r * ML_GRID.npix + j] = covered ? 1 : 0;
        m.flux[r * ML_GRID.npix + j] = 1;
      }
    // Within a pixel of the grid (2e-4 dex) at both edges (z 0.8, 1.5) and at the red edge alone (3.2: the blue edge is the grid's).
    [0.8, 1.5, 3.2].forEach((z, r) => expect(Math.abs(Math.log10(coverageRedshift(m, r) / (1 + z)))).toBeLessThan(ML_GRID.dlog10));
  });

  it('doubletPeak finds a planted doublet where noise alone stays low, and reads a masked pixel as weight 0', () => {
    const rng = Rng.for(4, 'doublet');
    const search = mgiiDoubletSearch(ML_GRID);
    const t = Float64Array.from({ length: ML_GRID.npix }, () => rng.normal());
    const u = new Float64Array(ML_GRID.npix).fill(2);
    const noise = doubletPeak(t, u, search);
    expect(noise.peak).toBeLessThan(5.5);
    const j = 2000;
    t[j] = t[j]! - 6;
    t[j + Math.ceil(search.spacing)] = t[j + Math.ceil(search.spacing)]! - 4.8;
    const found = doubletPeak(t, u, search);
    expect(found.at).toBe(j);
    expect(found.peak).toBeGreaterThan(noise.peak + 2);
    // A skipped range takes out every doublet with a line in it.
    const blue = restWavelength(ML_GRID, j);
    const skipping = mgiiDoubletSearch(ML_GRID, 1260, [[blue - 1, blue + 1]]);
    expect(doubletPeak(t, u, skipping).at).not.toBe(j);
    // A masked pixel counts for nothing: the doublet is read on its other line alone, 4.8 sigma less noise.
    t[j] = Number.NaN;
    const rest = t[j + Math.ceil(search.spacing)]!;
    const masked = doubletPeak(t, u, search);
    expect(masked.peak).toBeLessThan(found.peak - 2);
    expect(masked.peak).toBeGreaterThanOrEqual(-rest - 1e-12);
  });

  it('doubletPeak weights each pixel by the model S/N: a dip where there is no light to absorb counts for nothing', () => {
    const search = mgiiDoubletSearch(ML_GRID);
    const s = Math.ceil(search.spacing);
    const t = new Float64Array(ML_GRID.npix);
    const u = new Float64Array(ML_GRID.npix).fill(3);
    // Two doublet-shaped dips of the same depth in sigma: one on bright continuum, one where the model has no flux
    // (u 0: an arm edge, a sky line swamping the quasar).
    for (const [j, d] of [
      [1500, -5],
      [2500, -5],
    ] as const) {
      t[j] = d;
      t[j + s] = d;
    }
    for (let j = 2490; j < 2520; j++) u[j] = 0;
    const peak = doubletPeak(t, u, search);
    expect(peak.at).toBe(1500);
    // With equal weights both dips would be alike; with u the one without light is not searched at all.
    t[1500] = 0;
    t[1500 + s] = 0;
    expect(doubletPeak(t, u, search).at).not.toBe(2500);
    // Under unit weights a doublet of two -5 sigma lines reads (5 + 0.8 x 5) / sqrt(1 + 0.64), as the filter is normalised.
    t[1500] = -5;
    t[1500 + s] = -5;
    u.fill(1);
    expect(doubletPeak(t, u, search).peak).toBeCloseTo(9 / Math.sqrt(1.64), 10);
  });

  it('tailProbabilities: empirical up to the 90th percentile, an exponential tail through the 99th beyond, NaN as 1', () => {
    const v = Float64Array.from({ length: 102 }, (_, i) => (i < 100 ? i + 1 : Number.NaN));
    const scored = Uint8Array.from({ length: 102 }, (_, i) => (i === 101 ? 0 : 1));
    const p = tailProbabilities(v, scored);
    // 101 scored rows, the NaN one lowest; in descending order 90 is at index floor(0.1 x 101) and 99 at floor(0.01 x 101).
    expect(p[49]).toBeCloseTo(51 / 101, 12);
    expect(p[99]).toBeCloseTo(0.1 * 10 ** -((100 - 90) / (99 - 90)), 12);
    expect(p[98]).toBeCloseTo(0.01, 12);
    expect(p[100]).toBe(1);
    expect(p[101]).toBeNaN();
    for (let i = 1; i < 100; i++) expect(p[i]!).toBeLessThan(p[i - 1]!);
  });

  /**
   * Row r of a mock matrix for LYA_DEFICIT: unit continuum, `forest` times it below 1200 A, a Lya line of peak `amp`
   * (sigma 8 A), noise 1/20 (ivar 400), covered up to `end` A rest.
   */
  const lyaRow = (m: MlMatrix, r: number, end: number, amp: number, forest: number, rng: Rng) => {
    const p = ML_GRID.npix;
    for (let j = 0; j < p; j++) {
      const o = r * p + j;
      const w = restWavelength(ML_GRID, j);
      if (w > end) {
        m.mask[o] = ML_MASK.NOT_COVERED;
        continue;
      }
      m.ivar[o] = 400;
      m.flux[o] = (w < 1200 ? forest : 1) + amp * Math.exp(-0.5 * ((w - 1216) / 8) ** 2) + rng.normal() / 20;
    }
  };

  it('lymanAlphaDeficit singles out the spectrum without a Lya line among its redshift neighbours', () => {
    const n = 300;
    const m = emptyMlMatrix(n, ML_GRID);
    const rng = Rng.for(6, 'lya-deficit');
    const p = ML_GRID.npix;
    for (let r = 0; r < n; r++) {
      m.targetid[r] = BigInt(r);
      // Coverage ends between 2000 and 3000 A rest (z ~ 2.3-3.9 on DESI); Lya strength scatters by 0.15 dex.
      const end = 2000 + 1000 * rng.uniform();
      const amp = r === 17 ? 0 : 2 * 10 ** (0.15 * rng.normal());
      lyaRow(m, r, end, amp, 1, rng);
    }
    const u = lymanAlphaDeficit(m);
    const others = [...u].filter((_, r) => r !== 17);
    expect(u[17]!).toBeGreaterThan(3);
    expect(u[17]!).toBeGreaterThan(Math.max(...others) + 1);
    // A row that does not reach Lya has no statistic.
    for (let j = 0; j < p; j++) if (restWavelength(ML_GRID, j) < 1300) m.mask[5 * p + j] = ML_MASK.NOT_COVERED;
    expect(lymanAlphaDeficit(m)[5]).toBeNaN();
  });

  it('lymanAlphaDeficit also reads the forest: a spectrum without one, reported where 1270-1370 A is beyond its coverage', () => {
    const n = 300;
    const m = emptyMlMatrix(n, ML_GRID);
    const rng = Rng.for(7, 'lya-forest');
    for (let r = 0; r < n; r++) {
      m.targetid[r] = BigInt(r);
      // Coverage ends at 1280-1300 A rest (a reported z ~ 6.6): the 1270-1370 A continuum is less than half covered.
      const end = 1280 + 20 * rng.uniform();
      const misread = r === 42;
      const amp = misread ? 0 : 2 * 10 ** (0.15 * rng.normal());
      // The forest transmits 0.5-0.7 of the continuum; the misread spectrum's "forest" is continuum near 2000 A.
      const forest = misread ? 1 : 0.5 + 0.2 * rng.uniform();
      lyaRow(m, r, end, amp, forest, rng);
    }
    const u = lymanAlphaDeficit(m);
    expect(u.every((x) => Number.isFinite(x))).toBe(true);
    expect(u[42]!).toBeGreaterThan(Math.max(...[...u].filter((_, r) => r !== 42)) + 1);
    // Without the forest window these rows have no statistic at all.
    expect(lymanAlphaDeficit(m, { forest: [900, 950] })[42]).toBeNaN();
  });

  it('broadLineDeficit singles out the spectrum without CIII] and MgII among its redshift neighbours', () => {
    const n = 300;
    const m = emptyMlMatrix(n, ML_GRID);
    const rng = Rng.for(9, 'line-deficit');
    const p = ML_GRID.npix;
    for (let r = 0; r < n; r++) {
      m.targetid[r] = BigInt(r);
      // Coverage 1400-1500 A to 3800-4100 A rest (z ~ 1.4-1.6 on DESI); line strengths scatter by 0.15 dex.
      const start = 1400 + 100 * rng.uniform();
      const end = 3800 + 300 * rng.uniform();
      const misread = r === 23;
      const ciii = misread ? 0 : 0.6 * 10 ** (0.15 * rng.normal());
      const mgii = misread ? 0 : 0.8 * 10 ** (0.15 * rng.normal());
      for (let j = 0; j < p; j++) {
        const o = r * p + j;
        const w = restWavelength(ML_GRID, j);
        if (w < start || w > end) {
          m.mask[o] = ML_MASK.NOT_COVERED;
          continue;
        }
        m.ivar[o] = 400;
        m.flux[o] = 1 + ciii * Math.exp(-0.5 * ((w - 1909) / 15) ** 2) + mgii * Math.exp(-0.5 * ((w - 2800) / 20) ** 2) + rng.normal() / 20;
      }
    }
    const u = broadLineDeficit(m);
    expect(u.every((x) => Number.isFinite(x))).toBe(true);
    expect(u[23]!).toBeGreaterThan(3);
    expect(u[23]!).toBeGreaterThan(Math.max(...[...u].filter((_, r) => r !== 23)) + 1);
    // A row that covers neither line has no statistic; one that covers only MgII is measured by MgII alone.
    for (let j = 0; j < p; j++) if (restWavelength(ML_GRID, j) > 1800) m.mask[5 * p + j] = ML_MASK.NOT_COVERED;
    for (let j = 0; j < p; j++) if (restWavelength(ML_GRID, j) < 2400) m.mask[6 * p + j] = ML_MASK.NOT_COVERED;
    const v = broadLineDeficit(m);
    expect(v[5]).toBeNaN();
    expect(Number.isFinite(v[6]!)).toBe(true);
  });

  it('anomalyScores scores a row the basis cannot fit by the statistics it has: a misread redshift with no pixel past 1260 A', () => {
    const n = 300;
    const m = emptyMlMatrix(n, ML_GRID);
    const rng = Rng.for(8, 'short-rows');
    for (let r = 0; r < n; r++) {
      m.targetid[r] = BigInt(r);
      // Two thirds reach 2000-3000 A rest; the rest end at 1235-1255 A (a reported z ~ 6.8-6.9), short of the basis.
      const end = r % 3 ? 2000 + 1000 * rng.uniform() : 1235 + 20 * rng.uniform();
      const misread = r === 42;
      lyaRow(m, r, end, misread ? 0 : 2 * 10 ** (0.15 * rng.normal()), misread ? 1 : 0.5 + 0.2 * rng.uniform(), rng);
    }
    const s = anomalyScores(m, { components: 3, seed: 1 });
    expect(s.highPeak[42]).toBeNaN();
    expect(s.armStep[42]).toBeNaN();
    expect(Number.isFinite(s.lyaDeficit[42]!)).toBe(true);
    expect(Number.isFinite(s.score[42]!)).toBe(true);
    expect(s.rank[42]).toBe(1);
  });
});
