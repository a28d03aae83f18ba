import type { Table } from 'apache-arrow';
import { DesiError } from '../../errors/index.js';

/**
 * The spectra of one camera (arm) for `nspec` objects on one wavelength grid. Row-major: spectrum i occupies
 * flux[i*nwave .. (i+1)*nwave); resolution holds for each spectrum `ndiag` diagonals of nwave values
 * ([nspec x ndiag x nwave], desispec's layout; diagonal d has offset ndiag//2 - d).
 *
 * @example
 * const b: ArmSpectra = spectra.arms.B!; const row0 = b.flux.subarray(0, b.nwave);
 */
export interface ArmSpectra {
  wavelength: Float64Array;
  nwave: number;
  /** 1e-17 erg/s/cm^2/A for DESI. */
  flux: Float32Array;
  ivar: Float32Array;
  /** desispec specmask bits (SDSS: and_mask); 0 = good. */
  mask: Uint32Array;
  /** Absent when not asked for or not in the file (SDSS). */
  resolution?: Float32Array;
  ndiag: number;
}

/**
 * What kind of file the spectra came from.
 *
 * @example
 * if (spectra.product === 'sdss-spec') console.log('one SDSS arm');
 */
export type SpectraProduct = 'coadd' | 'spectra' | 'sdss-spec' | 'mock';

/**
 * Spectra of several objects over any set of arms (DESI B, R, Z; SDSS one 'SDSS' arm), with their fibermap rows.
 * Row i of every arm and of `fibermap` is the same object (TARGETID targetids[i]).
 *
 * @example
 * const s = await readSpectra('coadd-main-dark-27247.fits', { targetids: [39627745623525818n] });
 * const b = s.arms.B!; const first = b.flux.subarray(0, b.nwave);
 */
export interface Spectra {
  product: SpectraProduct;
  nspec: number;
  targetids: BigInt64Array;
  /** Arm names in file order (B, R, Z for DESI). */
  bands: string[];
  arms: Record<string, ArmSpectra>;
  fibermap: Table;
  expFibermap?: Table;
  scores?: Table;
  survey?: string;
  program?: string;
  healpix?: number;
  /** Where the spectra were read from. */
  source: string;
}

/**
 * One object's spectrum in one arm, as views (no copies) into a Spectra.
 *
 * @example
 * const { wavelength, flux, ivar }: OneSpectrum = spectrumAt(spectra, 'Z', 3);
 */
export interface OneSpectrum {
  wavelength: Float64Array;
  flux: Float32Array;
  ivar: Float32Array;
  mask: Uint32Array;
  resolution?: Float32Array;
  ndiag: number;
}

/**
 * Views of spectrum `i` in arm `band`.
 *
 * @example
 * const { wavelength, flux } = spectrumAt(spectra, 'R', 0);
 */
export function spectrumAt(s: Spectra, band: string, i: number): OneSpectrum {
  const a = s.arms[band];
  if (!a) throw new DesiError(`no arm '${band}'; the spectra have ${s.bands.join(', ')}`, { scope: 'spectrumAt' });
  if (!Number.isInteger(i) || i < 0 || i >= s.nspec)
    throw new DesiError(`spectrum ${i} is outside 0..${s.nspec - 1}`, { scope: 'spectrumAt' });
  const n = a.nwave;
  const one: OneSpectrum = {
    wavelength: a.wavelength,
    flux: a.flux.subarray(i * n, (i + 1) * n),
    ivar: a.ivar.subarray(i * n, (i + 1) * n),
    mask: a.mask.subarray(i * n, (i + 1) * n),
    ndiag: a.ndiag,
  };
  if (a.resolution) one.resolution = a.resolution.subarray(i * a.ndiag * n, (i + 1) * a.ndiag * n);
  return one;
}
