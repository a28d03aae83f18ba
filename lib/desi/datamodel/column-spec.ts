/**
 * One column of a DESI FITS table as the data model defines it: its name, its FITS TFORM (`K` int64, `J` int32,
 * `I` int16, `B` uint8, `L` logical, `E` float32, `D` float64, `nA` string, `10D` vector), its unit and a one-line
 * description. Readers check files against these; the mock-survey writer writes them.
 *
 * @example
 * const c: ColumnSpec = { name: 'Z', tform: 'D', description: 'Redshift measured by Redrock' };
 */
export interface ColumnSpec {
  name: string;
  tform: string;
  unit?: string;
  description: string;
  /** True when real files may lack the column (survey-specific target masks, columns added after DR1). */
  optional?: boolean;
}
