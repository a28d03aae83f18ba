import { DesiError } from '../../errors/index.js';
import type { Spectra } from './spectra.js';

/**
 * Spectra of several arms combined on one wavelength grid; rows as in the input Spectra.
 *
 * @example
 * const { wavelength, flux }: StitchedSpectra = stitchArms(spectra);
 */
export interface StitchedSpectra {
  wavelength: Float64Array;
  nwave: number;
  nspec: number;
  flux: Float32Array;
  ivar: Float32Array;
  /** 0 where any good pixel contributed; else the OR of the contributing pixels' masks. */
  mask: Uint32Array;
}

/**
 * Options of {@link stitchArms}.
 *
 * @example
 * stitchArms(spectra, { bands: ['B', 'R'], tolerance: 0.01 } satisfies StitchOptions);
 */
export interface StitchOptions {
  /** Arms to combine (default all, in file order). */
  bands?: readonly string[];
  /** Wavelengths closer than this (Angstrom) are the same pixel (default 0.01: DR1 arms share the 0.8 A grid). */
  tolerance?: number;
}

/**
 * Puts B/R/Z (any arms) onto one wavelength grid: the union of the arm grids, pixels of different arms at the same
 * wavelength (within `tolerance`) merged. In the overlaps flux is the inverse-variance weighted mean and ivar the sum;
 * masked pixels (mask != 0) and pixels with ivar 0 are left out. Where nothing good contributes, flux and ivar are 0.
 * Arms are not resampled: DR1 grids align exactly in the overlaps (R starts at 5760 A, on B's 0.8 A grid).
 *
 * @example
 * const s = stitchArms(await readSpectra('coadd-main-dark-27247.fits')); // s.nwave === 7781 for DR1
 */
export function stitchArms(spectra: Spectra, opts: StitchOptions = {}): StitchedSpectra {
  const bands = opts.bands ?? spectra.bands;
  const tol = opts.tolerance ?? 0.01;
  for (const b of bands)
    if (!spectra.arms[b]) throw new DesiError(`no arm '${b}'; the spectra have ${spectra.bands.join(', ')}`, { scope: 'stitchArms' });
  const { wavelength, index } = unionGrid(
    bands.map((b) => spectra.arms[b]!.wavelength),
    tol,
  );
  const nwave = wavelength.length;
  const { nspec } = spectra;
  const flux = new Float32Array(nspec * nwave);
  const ivar = new Float32Array(nspec * nwave);
  const mask = new Uint32Array(nspec * nwave);
  const sumW = new Float64Array(nwave);
  const sumWF = new Float64Array(nwave);
  const badMask = new Uint32Array(nwave);
  for (let i = 0; i < nspec; i++) {
    sumW.fill(0);
    sumWF.fill(0);
    badMask.fill(0);
    for (let k = 0; k < bands.length; k++) {
      const arm = spectra.arms[bands[k]!]!;
      const map = index[k]!;
      const { nwave: armWave, ivar: armIvar, mask: armMask, flux: armFlux } = arm;
      const off = i * armWave;
      for (let j = 0; j < armWave; j++) {
        const o = map[j]!;
        const w = armIvar[off + j]!;
        const m = armMask[off + j]!;
        if (m === 0 && w > 0) {
          sumW[o] += w;
          sumWF[o] += w * armFlux[off + j]!;
        } else {
          badMask[o] |= m;
        }
      }
    }
    const out = i * nwave;
    for (let o = 0; o < nwave; o++) {
      if (sumW[o]! > 0) {
        ivar[out + o] = sumW[o]!;
        flux[out + o] = sumWF[o]! / sumW[o]!;
      } else {
        mask[out + o] = badMask[o]!;
      }
    }
  }
  return { wavelength, nwave, nspec, flux, ivar, mask };
}

/**
 * The sorted union of several wavelength grids, merging values within `tol`, and for each grid the output index of
 * each of its pixels.
 *
 * @example
 * unionGrid([Float64Array.of(1, 2, 3), Float64Array.of(3, 4)], 0.01).wavelength; // [1, 2, 3, 4]
 */
export function unionGrid(grids: readonly Float64Array[], tol: number): { wavelength: Float64Array; index: Int32Array[] } {
  const all: Array<{ w: number; g: number; j: number }> = [];
  grids.forEach((grid, g) => grid.forEach((w, j) => all.push({ w, g, j })));
  all.sort((a, b) => a.w - b.w || a.g - b.g);
  const index = grids.map((grid) => new Int32Array(grid.length));
  const out: number[] = [];
  for (const p of all) {
    if (out.length === 0 || p.w - out[out.length - 1]! > tol) out.push(p.w);
    index[p.g]![p.j] = out.length - 1;
  }
  // two pixels of one grid must not merge: that would mean the tolerance is coarser than the grid itself
  for (const [g, idx] of index.entries()) {
    for (let j = 1; j < idx.length; j++) {
      if (idx[j] === idx[j - 1])
        throw new DesiError(`tolerance ${tol} A merges neighbouring pixels ${j - 1} and ${j} of arm ${g}`, { scope: 'stitchArms' });
    }
  }
  return { wavelength: Float64Array.from(out), index };
}
