import { z } from 'zod';
import {
  FIBERMAP_COLUMNS,
  FIBERMAP_HDU,
  REDSHIFTS_COLUMNS,
  REDSHIFTS_HDU,
  SPECTYPES,
  ZCATALOG_COLUMNS,
  ZCATALOG_HDU,
  type ColumnSpec,
} from '../../desi/index.js';
import { InternalError } from '../../errors/index.js';

/**
 * zod schemas for the DESI products the store validates, one per product. Each names the columns it checks (FITS names,
 * upper case); other columns of the HDU pass through unchecked. The same schemas drive the DDL: a required column is
 * NOT NULL, a column's `.describe()` text becomes its COMMENT, and `sky` names the position columns that get a sky index.
 * Rules follow the DESI data model: positions in range, redshift errors and inverse variances non-negative, SPECTYPE
 * one of Redrock's classes (desihub/redrock, desidatamodel). Descriptions and units come from lib/desi's data model, so
 * the column comments in the database say what the FITS data model says.
 */

/** A column's data-model text, "description [unit]", for `.describe()`. */
function doc(columns: readonly ColumnSpec[], name: string): string {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new InternalError(`lib/desi's data model has no column ${name}`); // caught by the tests
  return c.unit ? `${c.description} [${c.unit}]` : c.description;
}

const rr = (name: string) => doc(REDSHIFTS_COLUMNS, name);
const ra = (cols: readonly ColumnSpec[]) => z.number().gte(0).lt(360).describe(doc(cols, 'TARGET_RA'));
const dec = (cols: readonly ColumnSpec[]) => z.number().gte(-90).lte(90).describe(doc(cols, 'TARGET_DEC'));
const ivar = (cols: readonly ColumnSpec[], band: string) =>
  z
    .number()
    .gte(0)
    .describe(doc(cols, `FLUX_IVAR_${band}`))
    .optional();

const redrockCore = {
  TARGETID: z.bigint().describe(rr('TARGETID')),
  Z: z.number().describe(rr('Z')),
  ZERR: z.number().gte(0).describe(rr('ZERR')),
  ZWARN: z.bigint().gte(0n).describe(rr('ZWARN')),
  CHI2: z.number().describe(rr('CHI2')),
  COEFF: z.array(z.number()).describe(rr('COEFF')).optional(),
  SPECTYPE: z.enum(SPECTYPES).describe(rr('SPECTYPE')),
  SUBTYPE: z.string().describe(rr('SUBTYPE')).optional(),
  NPIXELS: z.bigint().gte(0n).describe(rr('NPIXELS')).optional(),
  DELTACHI2: z.number().gte(0).describe(rr('DELTACHI2')),
};

/**
 * A product schema: the zod row schema plus what the DDL needs beyond it.
 *
 * @example
 * PRODUCT_SCHEMAS.zcatalog.sky // { ra: 'TARGET_RA', dec: 'TARGET_DEC' }
 */
export interface ProductSchema {
  name: 'zcatalog' | 'redrock' | 'fibermap';
  /** The HDU read by default. */
  hdu: string;
  row: z.ZodObject;
  /** Position columns (degrees) for the sky index and cone searches. */
  sky?: { ra: string; dec: string };
}

/**
 * The product schemas by name (`--schema zcatalog|redrock|fibermap`).
 *
 * @example
 * PRODUCT_SCHEMAS.redrock.row.safeParse({ TARGETID: 1n, Z: 0.5, ... }).success
 */
export const PRODUCT_SCHEMAS: Record<ProductSchema['name'], ProductSchema> = {
  zcatalog: {
    name: 'zcatalog',
    hdu: ZCATALOG_HDU,
    sky: { ra: 'TARGET_RA', dec: 'TARGET_DEC' },
    row: z.object({
      ...redrockCore,
      TARGET_RA: ra(ZCATALOG_COLUMNS),
      TARGET_DEC: dec(ZCATALOG_COLUMNS),
      FLUX_IVAR_G: ivar(ZCATALOG_COLUMNS, 'G'),
      FLUX_IVAR_R: ivar(ZCATALOG_COLUMNS, 'R'),
      FLUX_IVAR_Z: ivar(ZCATALOG_COLUMNS, 'Z'),
      ZCAT_PRIMARY: z.boolean().describe(doc(ZCATALOG_COLUMNS, 'ZCAT_PRIMARY')).optional(),
    }),
  },
  redrock: { name: 'redrock', hdu: REDSHIFTS_HDU, row: z.object(redrockCore) },
  fibermap: {
    name: 'fibermap',
    hdu: FIBERMAP_HDU,
    sky: { ra: 'TARGET_RA', dec: 'TARGET_DEC' },
    row: z.object({
      TARGETID: z.bigint().describe(doc(FIBERMAP_COLUMNS, 'TARGETID')),
      TARGET_RA: ra(FIBERMAP_COLUMNS),
      TARGET_DEC: dec(FIBERMAP_COLUMNS),
      COADD_FIBERSTATUS: z.number().int().gte(0).describe(doc(FIBERMAP_COLUMNS, 'COADD_FIBERSTATUS')).optional(),
      FLUX_IVAR_G: ivar(FIBERMAP_COLUMNS, 'G'),
      FLUX_IVAR_R: ivar(FIBERMAP_COLUMNS, 'R'),
      FLUX_IVAR_Z: ivar(FIBERMAP_COLUMNS, 'Z'),
    }),
  },
};

/**
 * The schema names the CLI accepts.
 *
 * @example
 * SCHEMA_NAMES // ['zcatalog', 'redrock', 'fibermap']
 */
export const SCHEMA_NAMES = Object.keys(PRODUCT_SCHEMAS) as ProductSchema['name'][];
