import { QuasarError } from '../errors/index.js';

/**
 * A fixed rest-frame grid, uniform in log10(wavelength): pixel `j` is centred on 10^(log10Start + j * dlog10) Angstrom
 * and spans half a step either side, so every pixel has the same velocity width (c ln10 dlog10 km/s).
 *
 * @example
 * const g: LogLambdaGrid = logLambdaGrid({ start: 1000, end: 7000, dlog10: 2e-4 }); // g.npix === 4226
 */
export interface LogLambdaGrid {
  readonly log10Start: number;
  readonly dlog10: number;
  readonly npix: number;
}

/**
 * The ML matrix's default rest-frame grid: 1000-7000 A in steps of dlog10 = 2e-4 (138 km/s, 4226 pixels). DESI's
 * 3600-9824 A at z 0.4-4 reaches 720-7017 A rest; below 1000 A only z > 2.6 quasars contribute, through the Lya forest,
 * so the grid starts at Lyb-ish 1000 A. The step is 2-4 DESI pixels (0.8 A, 25-65 km/s), so each rest pixel averages
 * several observed ones and still resolves broad lines (FWHM > 1000 km/s) and narrow absorbers (~300 km/s) alike.
 *
 * @example
 * restWavelength(ML_GRID, 0); // 1000
 */
export const ML_GRID: LogLambdaGrid = logLambdaGrid({ start: 1000, end: 7000, dlog10: 2e-4 });

/**
 * A log-lambda grid from `start` to `end` Angstrom (both pixel centres; `end` rounded to the nearest step).
 *
 * @example
 * logLambdaGrid({ start: 1200, end: 3000, dlog10: 1e-4 }).npix; // 3980
 */
export function logLambdaGrid(spec: { start: number; end: number; dlog10: number }): LogLambdaGrid {
  const { start, end, dlog10 } = spec;
  if (!(start > 0 && end > start && dlog10 > 0 && Number.isFinite(end)))
    throw new QuasarError(`invalid grid: start ${start}, end ${end}, dlog10 ${dlog10} (want 0 < start < end, dlog10 > 0)`, {
      scope: 'logLambdaGrid',
    });
  const log10Start = Math.log10(start);
  return { log10Start, dlog10, npix: Math.round((Math.log10(end) - log10Start) / dlog10) + 1 };
}

/**
 * The rest wavelengths (Angstrom) of a grid's pixel centres.
 *
 * @example
 * restWavelengths(ML_GRID).length; // 4226
 */
export function restWavelengths(grid: LogLambdaGrid): Float64Array {
  const out = new Float64Array(grid.npix);
  for (let j = 0; j < grid.npix; j++) out[j] = restWavelength(grid, j);
  return out;
}

/**
 * The rest wavelength (Angstrom) of pixel `j`'s centre.
 *
 * @example
 * restWavelength(ML_GRID, 1); // 1000.46
 */
export function restWavelength(grid: LogLambdaGrid, j: number): number {
  return 10 ** (grid.log10Start + j * grid.dlog10);
}
