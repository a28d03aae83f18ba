/** The three DESI spectrograph arms (cameras), blue to red. @example ARMS.includes('B') */
export const ARMS = ['B', 'R', 'Z'] as const;

/** A DESI camera letter. @example const arm: Arm = 'R'; */
export type Arm = (typeof ARMS)[number];

/**
 * Start, end (both inclusive) and step of one arm's linear wavelength grid, in Angstrom.
 *
 * @example
 * const { wmin, wmax, nwave } = DR1_WAVELENGTH.B; // 3600, 5800, 2751
 */
export interface WavelengthGrid {
  wmin: number;
  wmax: number;
  step: number;
  nwave: number;
}

/**
 * The DR1 (iron) coadd wavelength grids: B 3600.0-5800.0, R 5760.0-7620.0, Z 7520.0-9824.0 A, step 0.8 A, both ends
 * included, hence 2751 / 2326 / 2881 pixels (desispec's coadd grid; checked against the real coadd fixture).
 *
 * @example
 * DR1_WAVELENGTH.R.nwave; // 2326
 */
export const DR1_WAVELENGTH: Readonly<Record<Arm, WavelengthGrid>> = {
  B: { wmin: 3600.0, wmax: 5800.0, step: 0.8, nwave: 2751 },
  R: { wmin: 5760.0, wmax: 7620.0, step: 0.8, nwave: 2326 },
  Z: { wmin: 7520.0, wmax: 9824.0, step: 0.8, nwave: 2881 },
};

/**
 * The wavelengths of one DR1 arm as a Float64Array, bit for bit as in the real coadd files. desispec builds the grid
 * with numpy's `arange(wmin, wmax + step/2, step)`, which fills value i as wmin + i * delta with
 * delta = (wmin + step) - wmin (0.8000000000001819 for B), so the last B value is 5800.0000000005, not 5800.
 *
 * @example
 * const w = dr1Wavelength('B'); // w[0] === 3600, w[2] === 3601.6000000000004, w.length === 2751
 */
export function dr1Wavelength(arm: Arm): Float64Array {
  const g = DR1_WAVELENGTH[arm];
  const delta = g.wmin + g.step - g.wmin;
  const out = new Float64Array(g.nwave);
  for (let i = 0; i < g.nwave; i++) out[i] = g.wmin + i * delta;
  return out;
}
