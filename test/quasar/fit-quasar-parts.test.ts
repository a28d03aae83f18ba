import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { FlatLambdaCDM } from '../../lib/cosmo/index.js';
import {
  FeTemplate,
  fitQuasar,
  logLambdaLuminosity,
  powerLaw,
  QUASAR_LINE_COLUMNS,
  restFrame,
  type ObservedSpectrum,
} from '../../lib/quasar/index.js';

const C = 299792.458;
const Z = 1.2;
const N = 7781;
const WAVE = Float64Array.from({ length: N }, (_, i) => 3600 + 0.8 * i);

/** f_rest(lambda) of a noiseless quasar at z = 1.2: power law, a toy Fe II pattern, and MgII / CIII] lines. */
function restModel(lam: number, fe: (l: number) => number, civShift = 0): number {
  const g = (mu: number, sigma: number, amp: number) => amp * Math.exp(-0.5 * ((lam - mu) / sigma) ** 2);
  return 3 * (lam / 3000) ** -1.4 + 0.8 * fe(lam) + g(2800.32, 20, 4) + g(1908.73, 18, 3) + g(1549.48 + civShift, 16, 2);
}

/** A made-up Fe II-like template: a comb of bumps over 2200-3500 A (none of PyQSOFit's data). */
const toyFe = (l: number) => (l > 2200 && l < 3500 && Math.abs(l - 2800) > 150 ? 1 + Math.sin(l / 15) : 0);

function observed(fe: (l: number) => number, civShift = 0, z = Z): ObservedSpectrum {
  const flux = Float64Array.from(WAVE, (w) => restModel(w / (1 + z), fe, civShift) / (1 + z));
  return { wave: WAVE, flux, ivar: new Float64Array(N).fill(1e4) };
}

describe('restFrame', () => {
  it('divides wavelength by 1 + z, multiplies flux by it and ivar by its inverse square, and marks bad pixels', () => {
    const s = {
      wave: Float64Array.of(4000, 4001, 4002, 4003, 4004),
      flux: Float64Array.of(1, Number.NaN, 3, 4, 5),
      ivar: Float64Array.of(4, 4, 0, Number.POSITIVE_INFINITY, 4),
      mask: Uint32Array.of(0, 0, 0, 0, 8),
    };
    const r = restFrame(s, 1);
    expect(Array.from(r.wave)).toEqual([2000, 2000.5, 2001, 2001.5, 2002]);
    expect(Array.from(r.good)).toEqual([1, 0, 0, 0, 0]);
    expect(r.flux[0]).toBe(2);
    expect(r.ivar[0]).toBe(1);
    expect(r.ngood).toBe(1);
  });

  it('takes ln(wave) from the caller when given (one grid, many spectra) and checks its length', () => {
    const s = { wave: Float64Array.of(4000, 5000, 6000), flux: Float64Array.of(1, 2, 3), ivar: Float64Array.of(1, 1, 1) };
    const given = restFrame({ ...s, lnWave: s.wave.map(Math.log) }, 1.5);
    const own = restFrame(s, 1.5);
    for (let i = 0; i < 3; i++) expect(given.lnWave[i]).toBeCloseTo(own.lnWave[i]!, 14);
    expect(() => restFrame({ ...s, lnWave: [1, 2] }, 1)).toThrow(/lnWave has 2 pixels, wave 3/);
  });
});

describe('fitQuasar parts', () => {
  it('scales a caller-supplied Fe II template and keeps MgII clean of it', () => {
    const lam = Float64Array.from({ length: 3000 }, (_, i) => 2000 + i * 0.6);
    const template = new FeTemplate({ wave: lam, flux: lam.map(toyFe) });
    const withFe = fitQuasar(observed(toyFe), Z, { feTemplate: template });
    expect(withFe.values.fe_scale!).toBeCloseTo(0.8, 2);
    expect(withFe.values.pl_slope!).toBeCloseTo(-1.4, 2);
    // MgII: sigma 20 A at 2800.32 -> FWHM 2.3548 * 20 / 2800.32 c; EW = 4 * 20 sqrt(2 pi) / continuum
    expect(withFe.values.mgii_br_fwhm! / ((2.3548 * 20 * C) / 2800.32)).toBeCloseTo(1, 2);
    expect(withFe.values.mgii_br_ew! / ((4 * 20 * Math.sqrt(2 * Math.PI)) / (3 * (2800.32 / 3000) ** -1.4))).toBeCloseTo(1, 2);
    expect(withFe.values.fe_scale).not.toBeNaN();
    expect(
      fitQuasar(
        observed(() => 0),
        Z,
      ).values.fe_scale,
    ).toBeNaN();
  });

  it('measures the CIV blueshift from the flux-bisecting wavelength', () => {
    const shift = -5; // A: CIV centred at 1544.48
    const fit = fitQuasar(
      observed(() => 0, shift, 2.2),
      2.2,
    );
    expect(fit.values.civ_blueshift!).toBeCloseTo((-shift / 1549.48) * C, -1);
    expect(fit.values.civ_br_centroid!).toBeCloseTo(1549.48 + shift, 0);
  });

  it('returns a model equal to the noiseless input and luminosities of its power law where covered', () => {
    const fit = fitQuasar(
      observed(() => 0),
      Z,
    );
    const rest = Float64Array.from({ length: 200 }, (_, i) => 1700 + i * 10);
    const model = fit.model(rest);
    for (let i = 0; i < rest.length; i++) expect(Math.abs(model[i]! / restModel(rest[i]!, () => 0) - 1)).toBeLessThan(2e-3);
    // 3600 / 2.2 = 1636 A .. 9824 / 2.2 = 4465 A: 3000 A covered, 1350 and 5100 A not.
    expect(fit.values.log_l1350).toBeNaN();
    expect(fit.values.log_l5100).toBeNaN();
    const dl = new FlatLambdaCDM({ omegaM: 0.3, H0: 70 }).luminosityDistance(Z) * 3.085677581491367e24;
    expect(fit.values.log_l3000!).toBeCloseTo(Math.log10(4 * Math.PI * dl * dl * 3000 * 3 * 1e-17), 3);
    expect(logLambdaLuminosity(3000, 3, Z)).toBeCloseTo(fit.values.log_l3000!, 3);
  });

  it('evaluates the model within a range only, equal there to the whole model and 0 outside', () => {
    const fit = fitQuasar(
      observed(() => 0),
      Z,
    );
    // Lines straddle the range's edges (MgII at 2800, CIII] at 1909): their Gaussians must be found by bisection
    // inside the range, not over the zeros outside it.
    const rest = Float64Array.from({ length: 3000 }, (_, i) => 1650 + i * 0.9);
    const whole = fit.model(rest);
    for (const range of [
      [1900, 2805],
      [2790, 2810],
      [1000, 1700],
      [3000, 5000],
    ] as const) {
      const part = fit.model(rest, range);
      let inside = 0;
      for (let i = 0; i < rest.length; i++) {
        const lam = rest[i]!;
        if (lam >= range[0] && lam <= range[1]) {
          inside++;
          expect(part[i]).toBeCloseTo(whole[i]!, 12);
        } else expect(part[i]).toBe(0);
      }
      expect(inside).toBeGreaterThan(10);
    }
  });

  it('gives EW and FWHM errors that match the scatter of repeated noisy fits, the continuum error carried through', () => {
    const clean = observed(() => 0);
    const sigma = 0.3;
    const ivar = new Float64Array(N).fill(1 / sigma ** 2);
    const rng = Rng.for(11, 'ew-errors');
    const lines = { mgii: 2800.32, ciii: 1908.73 } as const;
    const seen = { mgii: [] as number[][], ciii: [] as number[][] };
    for (let r = 0; r < 300; r++) {
      const flux = Float64Array.from(clean.flux as Float64Array, (f) => f + sigma * rng.normal());
      const fit = fitQuasar({ wave: WAVE, flux, ivar }, Z);
      const v = fit.values;
      for (const [name, lam] of Object.entries(lines) as [keyof typeof lines, number][]) {
        // The error the continuum's and the line flux's would give taken as independent (added in quadrature).
        const c = fit.continuum!;
        const pl = powerLaw(c, lam);
        const g = [pl / c.norm, pl * Math.log(lam / 3000)];
        const contErr = Math.sqrt(g[0]! ** 2 * c.covariance[0]! + 2 * g[0]! * g[1]! * c.covariance[1]! + g[1]! ** 2 * c.covariance[4]!);
        const ew = v[`${name}_br_ew`]!;
        const quadrature = ew * Math.hypot(v[`${name}_br_flux_err`]! / v[`${name}_br_flux`]!, contErr / pl);
        seen[name].push([ew, v[`${name}_br_ew_err`]!, quadrature, v[`${name}_br_fwhm`]!, v[`${name}_br_fwhm_err`]!]);
      }
    }
    const scatter = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    for (const name of ['mgii', 'ciii'] as const) {
      const rows = seen[name];
      const col = (k: number) => rows.map((r) => r[k]!);
      const ew = scatter(col(0)) / median(col(1));
      const fwhm = scatter(col(3)) / median(col(4));
      const quadrature = scatter(col(0)) / median(col(2));
      console.log(`${name}: EW scatter / error ${ew.toFixed(3)} (in quadrature ${quadrature.toFixed(3)}), FWHM ${fwhm.toFixed(3)}`);
      // 300 fits measure a scatter to ~4%.
      expect(Math.abs(ew - 1)).toBeLessThan(0.1);
      expect(Math.abs(fwhm - 1)).toBeLessThan(0.15);
      // Taken as independent, the two understate the EW's error: a continuum set too high also lowers the fitted flux.
      expect(quadrature).toBeGreaterThan(1.1);
    }
  });

  it('names its columns uniquely, lower case, with a unit and description each, the brief prefixes first', () => {
    const names = QUASAR_LINE_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of QUASAR_LINE_COLUMNS) {
      expect(c.name).toMatch(/^[a-z0-9_]+$/);
      expect(c.description.length).toBeGreaterThan(5);
    }
    for (const line of ['lya', 'civ', 'ciii', 'mgii', 'hb', 'ha'])
      for (const suffix of ['fwhm', 'fwhm_err', 'ew', 'ew_err', 'flux', 'flux_err', 'centroid', 'snr'])
        expect(names).toContain(`${line}_br_${suffix}`);
    for (const n of [
      'civ_blueshift',
      'log_l1350',
      'log_l3000',
      'log_l5100',
      'oiii5007_na_ew',
      'oiii5007_na_fwhm',
      'ha_na_fwhm',
      'hb_na_fwhm',
    ])
      expect(names).toContain(n);
  });
});
