import { beforeAll, describe, expect, it } from 'vitest';
import { BI_BINS, completeness, type MockBal, measureMockBals } from '../../bench/quasar/bal-completeness.js';
import { footprintPixels } from '../../lib/datasets/footprint.js';
import { armWave } from '../../lib/datasets/observe-quasar.js';
import { PRESETS } from '../../lib/datasets/presets.js';
import { evaluateQuasar } from '../../lib/datasets/quasar-model.js';
import { generateQuasars } from '../../lib/datasets/quasars.js';
import { BAL_IONS, balnicityIndex } from '../../lib/quasar/index.js';

// The mock's S/N per pixel runs from ~1 to ~20 (r 19-22.5); below SNR_CIV ~3 baltools' 0.5 sigma allowance lowers the
// trough threshold so far that BI is underestimated, so the 15% accuracy is asked of SNR_CIV >= 5, like the issue's
// S/N > 10 for line widths. Completeness and the false-BAL rate are over all S/N.
const MIN_SNR = 5;
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

describe('measureBal on mock quasars against their injected troughs (true unabsorbed model)', () => {
  let rows: MockBal[];
  beforeAll(() => {
    rows = measureMockBals({ seed: 2026, count: 240, balFraction: 0.5 });
  });

  it('the truth and the measurement agree on the noiseless transmission (same grid, same velocities)', () => {
    const qsos = generateQuasars(footprintPixels(150, 152, 0, 2)[0]!, 30, { ...PRESETS.small, balFraction: 1, anomalyFraction: 0 }, 5);
    const bals = qsos.filter((q) => q.biCiv > 0);
    expect(bals.length).toBeGreaterThanOrEqual(8);
    for (const q of bals) {
      const wave = Float64Array.from([...armWave('B'), ...armWave('R').filter((w) => w > armWave('B').at(-1)!)]);
      const absorbed = evaluateQuasar(q.model, wave);
      const clean = evaluateQuasar(q.model, wave, { bal: false });
      const rest = wave.map((w) => w / (1 + q.z));
      const { bi } = balnicityIndex(
        rest,
        Float64Array.from(absorbed, (f, i) => f / clean[i]!),
        BAL_IONS.CIV,
      );
      // The DR1 pixels are 40-60 km/s against the truth's 10 km/s grid.
      expect(Math.abs(bi - q.biCiv) / q.biCiv).toBeLessThan(0.03);
    }
  });

  it(`BI_CIV within 15% of the truth for >= 90% of troughs with truth BI > 500 km/s at SNR_CIV >= ${MIN_SNR}`, () => {
    const c = completeness(rows, MIN_SNR);
    const sorted = [...c.ratios].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
    console.log(
      `BI_CIV measured / truth, ${sorted.length} BALs (truth > 500 km/s, SNR_CIV >= ${MIN_SNR}): ` +
        `5/16/50/84/95% ${[0.05, 0.16, 0.5, 0.84, 0.95].map((p) => fmt(q(p))).join(' / ')}; within 15%: ${fmt(c.within15)}`,
    );
    for (const [lo, hi] of [
      [0, 2],
      [2, 3],
      [3, 5],
      [5, 10],
      [10, Number.POSITIVE_INFINITY],
    ] as const) {
      const band = rows.filter((r) => r.measured.SNR_CIV >= lo && r.measured.SNR_CIV < hi);
      const cb = completeness(band);
      console.log(
        `  SNR_CIV ${lo}-${hi}: ${cb.ratios.length} BALs, within 15%: ${fmt(cb.within15)}, median ratio ${fmt([...cb.ratios].sort((a, b) => a - b)[cb.ratios.length >> 1] ?? Number.NaN)}`,
      );
    }
    expect(sorted.length).toBeGreaterThanOrEqual(20);
    expect(c.within15).toBeGreaterThanOrEqual(0.9);
  });

  it('no false BAL (BI_CIV > 0) in >= 99% of the non-BAL spectra, at any S/N', () => {
    const { falseBal } = completeness(rows);
    console.log(`false BALs: ${falseBal.falseCount} of ${falseBal.n} measured non-BAL quasars`);
    expect(falseBal.n).toBeGreaterThanOrEqual(60);
    expect(falseBal.falseCount / falseBal.n).toBeLessThanOrEqual(0.01);
  });

  it('completeness per injected BI_CIV bin: printed, and >= 90% for truth BI > 1000 km/s at SNR_CIV >= 5', () => {
    for (const minSnr of [0, MIN_SNR]) {
      const c = completeness(rows, minSnr);
      console.log(
        `completeness (SNR_CIV >= ${minSnr}): ` +
          c.bins.map((b) => `${b.lo}-${b.hi}: ${b.detected}/${b.n}${b.unmeasured ? ` (${b.unmeasured} unmeasured)` : ''}`).join(', '),
      );
    }
    expect(completeness(rows).bins.map((b) => [b.lo, b.hi])).toEqual(BI_BINS.map((b) => [...b]));
    const strong = rows.filter((r) => r.truthBiCiv > 1000 && r.measured.SNR_CIV >= MIN_SNR);
    expect(strong.length).toBeGreaterThanOrEqual(20);
    expect(strong.filter((r) => r.measured.BI_CIV > 0).length / strong.length).toBeGreaterThanOrEqual(0.9);
  });
});
