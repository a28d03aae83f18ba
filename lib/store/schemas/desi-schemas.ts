import { z } from 'zod';

/**
 * zod schemas for the DESI products the store validates, one per product. Each names the columns it checks (FITS names,
 * upper case); other columns of the HDU pass through unchecked. The same schemas drive the DDL: a required column is
 * NOT NULL, a column's `.describe()` text becomes its COMMENT, and `sky` names the position columns that get a sky index.
 * Rules follow the DESI data model: positions in range, redshift errors and inverse variances non-negative, SPECTYPE
 * one of Redrock's classes (desihub/redrock, desidatamodel).
 */

/** Redrock's template classes. */
const SPECTYPE = z.enum(['GALAXY', 'QSO', 'STAR']).describe('Spectral type of the best-fit template: GALAXY, QSO or STAR');

const ra = z.number().gte(0).lt(360).describe('Right ascension, ICRS [deg]');
const dec = z.number().gte(-90).lte(90).describe('Declination, ICRS [deg]');
const ivar = (band: string) => z.number().gte(0).describe(`Inverse variance of the ${band} flux [nanomaggies^-2]`).optional();
const targetid = z.bigint().describe('Unique DESI target ID');

const redrockCore = {
  TARGETID: targetid,
  Z: z.number().describe('Redshift measured by Redrock'),
  ZERR: z.number().gte(0).describe('Redshift uncertainty from Redrock'),
  ZWARN: z.bigint().gte(0n).describe('Redrock redshift warning bitmask (0 = no warning)'),
  CHI2: z.number().describe('chi^2 of the best fit'),
  COEFF: z.array(z.number()).describe('Redrock template coefficients').optional(),
  SPECTYPE,
  SUBTYPE: z.string().describe('Spectral subtype of the best-fit template').optional(),
  NPIXELS: z.bigint().gte(0n).describe('Unmasked pixels used in the Redrock fit').optional(),
  DELTACHI2: z.number().gte(0).describe('chi^2 difference between the second-best and the best fit'),
};

/** A product schema: the zod row schema plus what the DDL needs beyond it. */
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
    hdu: 'ZCATALOG',
    sky: { ra: 'TARGET_RA', dec: 'TARGET_DEC' },
    row: z.object({
      ...redrockCore,
      TARGET_RA: ra,
      TARGET_DEC: dec,
      FLUX_IVAR_G: ivar('g'),
      FLUX_IVAR_R: ivar('r'),
      FLUX_IVAR_Z: ivar('z'),
      ZCAT_PRIMARY: z.boolean().describe('True for the best spectrum of a target').optional(),
    }),
  },
  redrock: { name: 'redrock', hdu: 'REDSHIFTS', row: z.object(redrockCore) },
  fibermap: {
    name: 'fibermap',
    hdu: 'FIBERMAP',
    sky: { ra: 'TARGET_RA', dec: 'TARGET_DEC' },
    row: z.object({
      TARGETID: targetid,
      TARGET_RA: ra,
      TARGET_DEC: dec,
      COADD_FIBERSTATUS: z.number().int().gte(0).describe('Bitwise AND of the input FIBERSTATUS values (0 = good)').optional(),
      FLUX_IVAR_G: ivar('g'),
      FLUX_IVAR_R: ivar('r'),
      FLUX_IVAR_Z: ivar('z'),
    }),
  },
};

/** The schema names the CLI accepts. */
export const SCHEMA_NAMES = Object.keys(PRODUCT_SCHEMAS) as ProductSchema['name'][];
