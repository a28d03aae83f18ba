import type { ColumnSpec } from '../desi/index.js';

/**
 * How many troughs the DESI BAL catalogue keeps per index (baltools balconfig NBI, NAI): the VMIN/VMAX columns are
 * fixed-length vectors of these lengths, unused slots -1.
 *
 * @example
 * BAL_TROUGH_SLOTS.BI; // 5 (VMIN_CIV_2000 is '5E')
 */
export const BAL_TROUGH_SLOTS = { BI: 5, AI: 17 } as const;

/**
 * The ions of the BAL catalogue, as they appear in its column names.
 *
 * @example
 * const ion: BalIon = 'SIIV'; // BI_SIIV, NSIIV_2000, ...
 */
export type BalIon = 'CIV' | 'SIIV';

type IonScalars<I extends BalIon> = `BI_${I}` | `ERR_BI_${I}` | `N${I}_2000` | `AI_${I}` | `ERR_AI_${I}` | `N${I}_450`;
type IonVectors<I extends BalIon> = `VMIN_${I}_2000` | `VMAX_${I}_2000` | `VMIN_${I}_450` | `VMAX_${I}_450`;

/**
 * One row of BAL measurements with the DESI BAL catalogue's column names (baltools baltable.initbaltab_desi):
 * indices and errors in km/s, trough counts, and VMIN/VMAX vectors of {@link BAL_TROUGH_SLOTS} lengths.
 *
 * @example
 * const row: BalCatalogRow = measureBal(rest, flux, ivar, model, { z: 2.3 });
 * row.BI_CIV > 0 && row.VMAX_CIV_2000[0]! > row.VMIN_CIV_2000[0]!; // true for a BAL
 */
export type BalCatalogRow = { [K in IonScalars<'CIV'> | IonScalars<'SIIV'> | 'SNR_CIV']: number } & {
  [K in IonVectors<'CIV'> | IonVectors<'SIIV'>]: number[];
};

function ionColumns(ion: BalIon, lambda: string): ColumnSpec[] {
  const bi = BAL_TROUGH_SLOTS.BI;
  const ai = BAL_TROUGH_SLOTS.AI;
  return [
    {
      name: `BI_${ion}`,
      tform: 'E',
      unit: 'km/s',
      description: `Balnicity index of ${ion} (${lambda} A), -25000..-3000 km/s; NaN if not measured`,
    },
    {
      name: `ERR_BI_${ion}`,
      tform: 'E',
      unit: 'km/s',
      description: `1 sigma error of BI_${ion} from the flux errors; NaN if not measured`,
    },
    {
      name: `N${ion}_2000`,
      tform: 'J',
      description: `Number of ${ion} troughs wider than 2000 km/s counted in BI_${ion} (at most ${bi}); -1 if not measured`,
    },
    {
      name: `VMIN_${ion}_2000`,
      tform: `${bi}E`,
      unit: 'km/s',
      description: `Low-speed (red) edge of each BI trough as a positive outflow speed; unused slots -1`,
    },
    {
      name: `VMAX_${ion}_2000`,
      tform: `${bi}E`,
      unit: 'km/s',
      description: `High-speed (blue) edge of each BI trough as a positive outflow speed; unused slots -1`,
    },
    { name: `AI_${ion}`, tform: 'E', unit: 'km/s', description: `Absorption index of ${ion}, -25000..0 km/s; NaN if not measured` },
    {
      name: `ERR_AI_${ion}`,
      tform: 'E',
      unit: 'km/s',
      description: `1 sigma error of AI_${ion} from the flux errors; NaN if not measured`,
    },
    {
      name: `N${ion}_450`,
      tform: 'J',
      description: `Number of ${ion} troughs wider than 450 km/s counted in AI_${ion} (at most ${ai}); -1 if not measured`,
    },
    {
      name: `VMIN_${ion}_450`,
      tform: `${ai}E`,
      unit: 'km/s',
      description: `Low-speed (red) edge of each AI trough as a positive outflow speed; unused slots -1`,
    },
    {
      name: `VMAX_${ion}_450`,
      tform: `${ai}E`,
      unit: 'km/s',
      description: `High-speed (blue) edge of each AI trough as a positive outflow speed; unused slots -1`,
    },
  ];
}

/**
 * The BAL columns {@link measureBal} fills, in the DESI BAL catalogue's order (BALCAT HDU: CIV, then SiIV, then
 * SNR_CIV) with FITS TFORMs ('E' float32, 'J' int32, '5E' a 5-vector), so a FITS, Arrow or Parquet table can be built
 * from them. The catalogue's PCA, POSMIN, FMIN and BAL_PROB columns are not measured here.
 *
 * @example
 * BAL_COLUMNS.map((c) => c.name); // ['BI_CIV', 'ERR_BI_CIV', 'NCIV_2000', 'VMIN_CIV_2000', ...]
 */
export const BAL_COLUMNS: readonly ColumnSpec[] = [
  ...ionColumns('CIV', '1549.48'),
  ...ionColumns('SIIV', '1398'),
  { name: 'SNR_CIV', tform: 'E', description: 'Median flux / error of the good pixels in -25000..0 km/s of CIV; NaN if not measured' },
];
