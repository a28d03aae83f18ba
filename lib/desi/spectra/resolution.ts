import { DesiError } from '../../errors/index.js';
import type { Spectra } from './spectra.js';

/**
 * The offset of diagonal d of a DESI resolution matrix with `ndiag` diagonals: ndiag//2 - d (d = 0 is the highest
 * superdiagonal), desispec's convention for scipy's dia_matrix.
 *
 * @example
 * diagonalOffset(11, 0); // 5
 */
export function diagonalOffset(ndiag: number, d: number): number {
  return Math.floor(ndiag / 2) - d;
}

/**
 * Applies one spectrum's resolution matrix to a model on the same wavelength grid: out = R m. R is stored as `ndiag`
 * rows of nwave values (desispec / scipy `dia_matrix((data, offsets))`): data[d][j] is R[j - off_d][j] with
 * off_d = ndiag//2 - d, so out[i] = sum_d data[d][i + off_d] * m[i + off_d] over indices inside the grid.
 *
 * @example
 * const { resolution, ndiag } = spectrumAt(spectra, 'B', 0);
 * const convolved = applyResolution(resolution!, ndiag, model);
 */
export function applyResolution(resolution: ArrayLike<number>, ndiag: number, model: ArrayLike<number>): Float64Array {
  const nwave = model.length;
  if (!Number.isInteger(ndiag) || ndiag < 1 || resolution.length !== ndiag * nwave) {
    throw new DesiError(`resolution has ${resolution.length} values, expected ndiag (${ndiag}) x nwave (${nwave})`, {
      scope: 'applyResolution',
    });
  }
  const out = new Float64Array(nwave);
  for (let d = 0; d < ndiag; d++) {
    const off = diagonalOffset(ndiag, d);
    const row = d * nwave;
    const lo = Math.max(0, -off);
    const hi = Math.min(nwave, nwave - off);
    for (let i = lo; i < hi; i++) {
      const j = i + off;
      out[i] += resolution[row + j]! * model[j]!;
    }
  }
  return out;
}

/**
 * {@link applyResolution} for spectrum `i` of arm `band` of a Spectra read with its resolution.
 *
 * @example
 * const m = convolveWithResolution(spectra, 'R', 0, modelOnRGrid);
 */
export function convolveWithResolution(spectra: Spectra, band: string, i: number, model: ArrayLike<number>): Float64Array {
  const arm = spectra.arms[band];
  if (!arm?.resolution)
    throw new DesiError('no resolution (read it with resolution: true)', { scope: 'convolveWithResolution', arm: band });
  if (i < 0 || i >= spectra.nspec)
    throw new DesiError(`spectrum ${i} is outside 0..${spectra.nspec - 1}`, { scope: 'convolveWithResolution' });
  const per = arm.ndiag * arm.nwave;
  return applyResolution(arm.resolution.subarray(i * per, (i + 1) * per), arm.ndiag, model);
}
