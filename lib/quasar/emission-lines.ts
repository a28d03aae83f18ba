import { QuasarError } from '../errors/index.js';

/**
 * One quasar emission line: a unique name (upper-case ion, with the rounded wavelength where the list has several
 * lines of the ion), the label astronomers write, the vacuum rest wavelength in Angstrom, and whether it is a narrow
 * forbidden line (bracketed: no broad component in a quasar). CIII] is semi-forbidden and broad in quasars, so not
 * `forbidden`.
 *
 * @example
 * const civ: EmissionLine = emissionLine('CIV'); // { name: 'CIV', label: 'CIV', rest: 1549.48, forbidden: false }
 */
export interface EmissionLine {
  readonly name: string;
  readonly label: string;
  readonly rest: number;
  readonly forbidden: boolean;
}

/**
 * The emission lines of the SDSS line list (the SPZLINE HDU of SDSS spec files; vacuum rest wavelengths in Angstrom),
 * in order of wavelength, plus the SiIV+OIV] blend at ~1398 A that BAL indices measure SiIV troughs against.
 *
 * @example
 * EMISSION_LINES.filter((l) => l.forbidden).map((l) => l.name); // ['OII_3727', 'OII_3730', 'NEIII', ...]
 */
export const EMISSION_LINES = [
  { name: 'LYA', label: 'Lya', rest: 1215.67, forbidden: false },
  { name: 'NV', label: 'NV', rest: 1240.81, forbidden: false },
  { name: 'SIIV', label: 'SiIV+OIV]', rest: 1398.0, forbidden: false },
  { name: 'CIV', label: 'CIV', rest: 1549.48, forbidden: false },
  { name: 'HEII_1640', label: 'HeII', rest: 1640.42, forbidden: false },
  { name: 'CIII', label: 'CIII]', rest: 1908.73, forbidden: false },
  { name: 'MGII', label: 'MgII', rest: 2800.32, forbidden: false },
  { name: 'OII_3727', label: '[OII]', rest: 3727.09, forbidden: true },
  { name: 'OII_3730', label: '[OII]', rest: 3729.88, forbidden: true },
  { name: 'NEIII', label: '[NeIII]', rest: 3869.86, forbidden: true },
  { name: 'HD', label: 'Hdelta', rest: 4102.89, forbidden: false },
  { name: 'HG', label: 'Hgamma', rest: 4341.68, forbidden: false },
  { name: 'OIII_4364', label: '[OIII]', rest: 4364.44, forbidden: true },
  { name: 'HEII_4687', label: 'HeII', rest: 4686.99, forbidden: false },
  { name: 'HB', label: 'Hbeta', rest: 4862.68, forbidden: false },
  { name: 'OIII_4960', label: '[OIII]', rest: 4960.29, forbidden: true },
  { name: 'OIII_5008', label: '[OIII]', rest: 5008.24, forbidden: true },
  { name: 'OI', label: '[OI]', rest: 6302.05, forbidden: true },
  { name: 'NII_6550', label: '[NII]', rest: 6549.86, forbidden: true },
  { name: 'HA', label: 'Halpha', rest: 6564.61, forbidden: false },
  { name: 'NII_6585', label: '[NII]', rest: 6585.27, forbidden: true },
  { name: 'SII_6718', label: '[SII]', rest: 6718.29, forbidden: true },
  { name: 'SII_6733', label: '[SII]', rest: 6732.68, forbidden: true },
] as const satisfies readonly EmissionLine[];

/**
 * The name of one of {@link EMISSION_LINES}.
 *
 * @example
 * const name: EmissionLineName = 'MGII';
 */
export type EmissionLineName = (typeof EMISSION_LINES)[number]['name'];

const BY_NAME = new Map<string, EmissionLine>(EMISSION_LINES.map((l) => [l.name, l]));

/**
 * The line called `name`; an unknown name throws, listing the known ones.
 *
 * @example
 * emissionLine('HB').rest; // 4862.68
 */
export function emissionLine(name: EmissionLineName): EmissionLine {
  const line = BY_NAME.get(name);
  if (!line)
    throw new QuasarError(`invalid emission line: ${String(name)} (one of ${[...BY_NAME.keys()].join(', ')})`, { scope: 'emissionLine' });
  return line;
}
