import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { airToVacuum, feGroupProfile, fitFeOptical, type FeGroup, type RestSpectrum } from '../../lib/quasar/index.js';

/** Three made-up multiplet groups with lines in the 4435-4640 and 5100-5535 A continuum windows and between them. */
const GROUPS: FeGroup[] = [
  { name: 'blue', wave: Float64Array.of(4472, 4520, 4584, 4629), intensity: Float64Array.of(0.4, 0.7, 1, 0.5) },
  { name: 'red', wave: Float64Array.of(5169, 5198, 5276, 5317), intensity: Float64Array.of(1, 0.6, 0.9, 0.8) },
  { name: 'mixed', wave: Float64Array.of(4924, 5018, 5235, 5363, 5425), intensity: Float64Array.of(0.8, 1, 0.5, 0.7, 0.6) },
];

function spectrum(amps: readonly number[], fwhm: number, shift: number, seed: number): RestSpectrum {
  const rng = Rng.for(seed, 'fe');
  const n = 4000;
  const wave = Float64Array.from({ length: n }, (_, i) => 4000 * Math.exp(i * 1e-4 * Math.LN10));
  const fe = new Float64Array(n);
  GROUPS.forEach((g, k) => {
    const col = feGroupProfile(g, wave, fwhm, shift);
    for (let i = 0; i < n; i++) fe[i]! += amps[k]! * col[i]!;
  });
  const sigma = 0.2;
  const flux = wave.map((w, i) => 20 * (w / 3000) ** -1.5 + fe[i]! + sigma * rng.normal());
  return {
    wave,
    lnWave: wave.map(Math.log),
    flux,
    ivar: new Float64Array(n).fill(1 / sigma ** 2),
    good: new Uint8Array(n).fill(1),
    ngood: n,
  };
}

describe('fitFeOptical', () => {
  it('recovers injected group amplitudes, the shared width and the shift', () => {
    const truth = [3, 2, 1.5];
    const rest = spectrum(truth, 3000, 300, 11);
    const fit = fitFeOptical(rest, rest.good, GROUPS, { fwhms: [2000, 3000, 4500], shifts: [-300, 0, 300] })!;
    expect(fit.fwhm).toBe(3000);
    expect(fit.shift).toBe(300);
    expect(fit.groups.map((g) => g.name)).toEqual(['blue', 'red', 'mixed']);
    truth.forEach((a, k) => expect(Math.abs(fit.amplitudes[k]! / a - 1), GROUPS[k]!.name).toBeLessThan(0.1));
  });

  it('keeps absent groups at zero (amplitudes are non-negative) and evaluates the model anywhere', () => {
    const rest = spectrum([0, 2.5, 0], 4500, 0, 12);
    const fit = fitFeOptical(rest, rest.good, GROUPS, { fwhms: [4500], shifts: [0] })!;
    expect(fit.amplitudes[0]).toBeLessThan(0.1);
    expect(fit.amplitudes[2]).toBeLessThan(0.2);
    expect(Math.abs(fit.amplitudes[1]! / 2.5 - 1)).toBeLessThan(0.1);
    const peak = airToVacuum(5169);
    expect(fit.at(Float64Array.of(peak))[0]! / (2.5 * 1)).toBeGreaterThan(0.9);
    expect(fit.at(Float64Array.of(7000))[0]).toBe(0);
  });

  it('gives undefined without pixels in the continuum windows', () => {
    const rest = spectrum([1, 1, 1], 3000, 0, 13);
    const use = new Uint8Array(rest.wave.length);
    expect(fitFeOptical(rest, use, GROUPS)).toBeUndefined();
  });

  it('airToVacuum moves [O III] 5006.84 (air) to its vacuum 5008.24', () => {
    expect(airToVacuum(5006.843)).toBeCloseTo(5008.24, 1);
  });
});
