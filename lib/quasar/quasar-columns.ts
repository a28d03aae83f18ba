/**
 * One output column of the quasar line fit: lower-case name, unit ('' when dimensionless) and description.
 *
 * @example
 * const col: QuasarColumn = { name: 'hb_br_fwhm', unit: 'km/s', description: 'Hbeta broad FWHM' };
 */
export interface QuasarColumn {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
}

const FLUX = '1e-17 erg/s/cm2';
const BROAD_LINES = [
  ['lya', 'Lya 1216'],
  ['civ', 'CIV 1549'],
  ['ciii', 'CIII] 1909'],
  ['mgii', 'MgII 2800'],
  ['hb', 'Hbeta 4863'],
  ['ha', 'Halpha 6565'],
] as const;

function broadColumns(name: string, label: string): QuasarColumn[] {
  const whole = `${label} broad line (sum of its broad Gaussians)`;
  return [
    { name: `${name}_br_fwhm`, unit: 'km/s', description: `FWHM of the ${whole}` },
    { name: `${name}_br_fwhm_err`, unit: 'km/s', description: `uncertainty of ${name}_br_fwhm (fit covariance, the continuum's included)` },
    { name: `${name}_br_ew`, unit: 'Angstrom', description: `rest equivalent width of the ${whole} against the power law` },
    {
      name: `${name}_br_ew_err`,
      unit: 'Angstrom',
      description: `uncertainty of ${name}_br_ew (line fit and continuum, the continuum's carried through the line fit)`,
    },
    { name: `${name}_br_flux`, unit: FLUX, description: `flux of the ${whole}` },
    { name: `${name}_br_flux_err`, unit: FLUX, description: `uncertainty of ${name}_br_flux` },
    { name: `${name}_br_centroid`, unit: 'Angstrom', description: `flux-weighted rest wavelength of the ${whole}` },
    { name: `${name}_br_snr`, unit: '', description: `${name}_br_flux / ${name}_br_flux_err` },
    { name: `${name}_br_ncomp`, unit: '', description: `Gaussians in the ${label} broad line (1 or 2)` },
  ];
}

/**
 * The columns of {@link fitQuasar}'s `values`, in table order: per broad line (lya, civ, ciii, mgii, hb, ha) FWHM,
 * EW, flux with uncertainties, centroid, S/N and component count; narrow Hb, [OIII] 5007, Ha, [NII] 6585 widths and
 * EWs; the CIV blueshift; the power law and Fe II scale; continuum luminosities. NaN in `values` is null.
 *
 * @example
 * QUASAR_LINE_COLUMNS.map((c) => c.name).includes('log_l5100'); // true
 */
export const QUASAR_LINE_COLUMNS: readonly QuasarColumn[] = [
  ...BROAD_LINES.flatMap(([name, label]) => broadColumns(name, label)),
  { name: 'hb_na_fwhm', unit: 'km/s', description: 'FWHM of narrow Hbeta (shared by the narrow lines of the Hbeta complex)' },
  { name: 'hb_na_ew', unit: 'Angstrom', description: 'rest equivalent width of narrow Hbeta' },
  { name: 'oiii5007_na_fwhm', unit: 'km/s', description: 'FWHM of [OIII] 5007 (tied to narrow Hbeta and [OIII] 4959)' },
  { name: 'oiii5007_na_ew', unit: 'Angstrom', description: 'rest equivalent width of [OIII] 5007' },
  { name: 'ha_na_fwhm', unit: 'km/s', description: 'FWHM of narrow Halpha (shared with [NII] and [SII])' },
  { name: 'ha_na_ew', unit: 'Angstrom', description: 'rest equivalent width of narrow Halpha' },
  { name: 'nii6585_na_ew', unit: 'Angstrom', description: 'rest equivalent width of [NII] 6585' },
  { name: 'civ_blueshift', unit: 'km/s', description: 'c (1549.48 - lambda_half) / 1549.48, lambda_half bisecting the broad CIV flux' },
  { name: 'pl_norm', unit: '1e-17 erg/s/cm2/Angstrom', description: 'power-law continuum at 3000 A rest (f_lambda (1+z))' },
  { name: 'pl_slope', unit: '', description: 'power-law index: f_lambda proportional to lambda^pl_slope' },
  { name: 'fe_scale', unit: '', description: 'scale of the caller-supplied Fe II template (NaN without one)' },
  { name: 'log_l1350', unit: 'log10(erg/s)', description: 'lambda L_lambda of the power law at 1350 A (H0 70, Om0 0.3)' },
  { name: 'log_l3000', unit: 'log10(erg/s)', description: 'lambda L_lambda of the power law at 3000 A' },
  { name: 'log_l5100', unit: 'log10(erg/s)', description: 'lambda L_lambda of the power law at 5100 A' },
];

/**
 * A fresh `values` record with every column of {@link QUASAR_LINE_COLUMNS} NaN (null).
 *
 * @example
 * const values = emptyQuasarValues(); values.hb_br_fwhm; // NaN
 */
export function emptyQuasarValues(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of QUASAR_LINE_COLUMNS) out[c.name] = Number.NaN;
  return out;
}
