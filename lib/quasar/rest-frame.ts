import { QuasarError } from '../errors/index.js';

/**
 * One observed spectrum: vacuum wavelength (Angstrom, increasing), f_lambda (1e-17 erg/s/cm2/A), inverse variance and
 * mask (0 = good), as a DESI coadd row or an SDSS spec file holds them.
 *
 * @example
 * const s: ObservedSpectrum = { wave: arm.wavelength, flux: arm.flux, ivar: arm.ivar, mask: arm.mask };
 */
export interface ObservedSpectrum {
  wave: ArrayLike<number>;
  flux: ArrayLike<number>;
  ivar: ArrayLike<number>;
  /** Absent: every pixel unmasked. */
  mask?: ArrayLike<number>;
  /**
   * ln(wave), when the caller has it: the spectra of one file share a grid, and a logarithm per pixel per spectrum
   * cost a tenth of the features' time.
   */
  lnWave?: ArrayLike<number>;
}

/**
 * A spectrum in its rest frame: rest wavelength (Angstrom), f_lambda * (1 + z) so that integrals over rest wavelength
 * are observed fluxes, ivar / (1 + z)^2, and `good` = 1 where the pixel can be used.
 *
 * @example
 * const { wave, flux, ivar, good }: RestSpectrum = restFrame(spectrum, 2.1);
 */
export interface RestSpectrum {
  wave: Float64Array;
  /** ln(wave), computed once: the line profiles and the power law are functions of it. */
  lnWave: Float64Array;
  flux: Float64Array;
  ivar: Float64Array;
  good: Uint8Array;
  /** Number of good pixels. */
  ngood: number;
}

/**
 * Moves an observed spectrum to the rest frame of redshift z. A pixel is bad when its mask is non-zero, its ivar is
 * not a positive finite number, or its flux is not finite; bad pixels keep their place with ivar 0 and flux 0, so
 * indices match the input. Mismatched array lengths are a programming error and throw; bad data never does.
 *
 * `into`, a RestSpectrum of the same length that the caller no longer needs, is overwritten and returned instead of
 * new arrays: measuring a million spectra, the garbage collector then has one spectrum's arrays less per spectrum.
 *
 * @example
 * const rest = restFrame({ wave, flux, ivar, mask }, 2.1);
 * rest.wave[0]; // wave[0] / 3.1
 */
export function restFrame(spectrum: ObservedSpectrum, z: number, into?: RestSpectrum): RestSpectrum {
  const { wave, flux, ivar, mask } = spectrum;
  const n = wave.length;
  for (const [name, a] of [
    ['flux', flux],
    ['ivar', ivar],
    ['mask', mask],
    ['lnWave', spectrum.lnWave],
  ] as const) {
    if (a && a.length !== n) throw new QuasarError(`${name} has ${a.length} pixels, wave ${n}`, { scope: 'restFrame' });
  }
  const s = 1 + z;
  const out: RestSpectrum =
    into && into.wave.length === n
      ? into
      : {
          wave: new Float64Array(n),
          lnWave: new Float64Array(n),
          flux: new Float64Array(n),
          ivar: new Float64Array(n),
          good: new Uint8Array(n),
          ngood: 0,
        };
  const s2 = s * s;
  const lnObserved = spectrum.lnWave;
  const lnS = Math.log(s);
  const { wave: restWave, lnWave, flux: restFlux, ivar: restIvar, good } = out;
  let ngood = 0;
  for (let i = 0; i < n; i++) {
    restWave[i] = wave[i]! / s;
    lnWave[i] = lnObserved ? lnObserved[i]! - lnS : Math.log(restWave[i]!);
    const f = flux[i]!;
    const w = ivar[i]!;
    if ((mask && mask[i] !== 0) || !(w > 0) || w === Infinity || !Number.isFinite(f)) {
      restFlux[i] = 0;
      restIvar[i] = 0;
      good[i] = 0;
      continue;
    }
    restFlux[i] = f * s;
    restIvar[i] = w / s2;
    good[i] = 1;
    ngood++;
  }
  out.ngood = ngood;
  return out;
}
