import { describe, expect, it } from 'vitest';
import { fitQuasar, QUASAR_LINE_COLUMNS, type ObservedSpectrum } from '../../lib/quasar/index.js';

/** A clean synthetic quasar at z = 2 on a DESI-like grid: power law plus a CIV line, unit ivar. */
function spectrum(): ObservedSpectrum & { flux: Float64Array; ivar: Float64Array; mask: Uint32Array } {
  const n = 7781;
  const wave = Float64Array.from({ length: n }, (_, i) => 3600 + 0.8 * i);
  const flux = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rest = wave[i]! / 3;
    flux[i] = 2 * (rest / 3000) ** -1.5 + 3 * Math.exp(-0.5 * ((rest - 1549.48) / 15) ** 2);
  }
  return { wave, flux, ivar: new Float64Array(n).fill(100), mask: new Uint32Array(n) };
}

describe('fitQuasar on bad spectra: NaN values and a reason, never a throw', () => {
  const cases: [string, () => [ObservedSpectrum, number], RegExp][] = [
    [
      'every pixel masked',
      () => {
        const s = spectrum();
        s.mask.fill(1);
        return [s, 2];
      },
      /^no good pixels$/,
    ],
    [
      'ivar all zero',
      () => {
        const s = spectrum();
        s.ivar.fill(0);
        return [s, 2];
      },
      /^no good pixels$/,
    ],
    [
      'flux all NaN',
      () => {
        const s = spectrum();
        s.flux.fill(Number.NaN);
        return [s, 2];
      },
      /^no good pixels$/,
    ],
    ['a redshift that puts no line window on the spectrum', () => [spectrum(), 7.2], /^no emission line window covered at z=7\.200$/],
    ['a redshift that is not a number', () => [spectrum(), Number.NaN], /^invalid redshift NaN$/],
  ];
  it.each(cases)('%s', (_label, make, reason) => {
    const [s, z] = make();
    const fit = fitQuasar(s, z);
    expect(fit.reason).toMatch(reason);
    expect(Object.keys(fit.values)).toEqual(QUASAR_LINE_COLUMNS.map((c) => c.name));
    for (const v of Object.values(fit.values)) expect(v).toBeNaN();
    expect(fit.model(Float64Array.of(1500, 1550))[0]).toBeNaN();
  });

  it('measures the same spectrum when it is good, and ignores scattered NaN and masked pixels', () => {
    const s = spectrum();
    const clean = fitQuasar(s, 2);
    for (let i = 0; i < s.flux.length; i += 7) s.flux[i] = Number.NaN;
    for (let i = 3; i < s.flux.length; i += 11) s.mask[i] = 4;
    const holed = fitQuasar(s, 2);
    expect(clean.reason).toBeNull();
    expect(holed.reason).toBeNull();
    // sigma 15 A at 1549.48 A: FWHM 2.3548 * 15 / 1549.48 * c = 6834 km/s; EW = 3 * 15 * sqrt(2 pi) / continuum
    const cont = 2 * (1549.48 / 3000) ** -1.5;
    expect(Math.abs(holed.values.civ_br_fwhm! / clean.values.civ_br_fwhm! - 1)).toBeLessThan(0.002);
    expect(Math.abs(clean.values.civ_br_fwhm! / 6834.2 - 1)).toBeLessThan(0.01);
    expect(Math.abs(clean.values.civ_br_ew! / ((3 * 15 * Math.sqrt(2 * Math.PI)) / cont) - 1)).toBeLessThan(0.01);
  });

  it('throws only for arrays of different lengths (a programming error, not bad data)', () => {
    const s = spectrum();
    expect(() => fitQuasar({ ...s, ivar: s.ivar.subarray(1) }, 2)).toThrow(/ivar has 7780 pixels, wave 7781/);
  });
});
