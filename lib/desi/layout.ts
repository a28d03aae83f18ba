import { DesiError } from '../errors/index.js';

/**
 * DR1 public roots: HTTPS under data.desi.lbl.gov, S3 in the public `desidata` bucket (us-west-2, no signing).
 *
 * @example
 * `${DR1_HTTPS_ROOT}/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits`
 */
export const DR1_HTTPS_ROOT = 'https://data.desi.lbl.gov/public/dr1';
/** The S3 prefix mirroring DR1. @example `${DR1_S3_ROOT}/spectro/redux/iron/...` */
export const DR1_S3_ROOT = 's3://desidata/dr1';

/** DESI sub-surveys that appear in DR1 file names. @example DR1_SURVEYS.includes('main') */
export const DR1_SURVEYS = ['cmx', 'main', 'sv1', 'sv2', 'sv3', 'special'] as const;
/** DESI programs that appear in DR1 file names. @example DR1_PROGRAMS.includes('dark') */
export const DR1_PROGRAMS = ['backup', 'bright', 'dark', 'other'] as const;

/**
 * The per-healpix products and the zcatalog.
 *
 * @example
 * const p: Dr1Product = 'redrock';
 */
export type Dr1Product = 'coadd' | 'redrock' | 'spectra' | 'zcatalog';

/**
 * What to locate; `healpix` is required for the per-healpix products and ignored for `zcatalog`.
 *
 * @example
 * const o: Dr1LocationOptions = { survey: 'main', program: 'bright', healpix: 10000, product: 'coadd' };
 */
export interface Dr1LocationOptions {
  /** Spectroscopic production; DR1 is 'iron'. */
  specprod?: string;
  survey: string;
  program: string;
  healpix?: number;
  product: Dr1Product;
  /** zcatalog version directory; DR1 ships 'v1'. */
  zcatver?: string;
}

/**
 * Where one DR1 file lives: its path relative to $DESI_ROOT, and the same file locally, over HTTPS and on S3.
 *
 * @example
 * const { local, https, s3 } = dr1Location({ survey: 'main', program: 'dark', healpix: 27247, product: 'coadd' }, '/data/desi');
 */
export interface Dr1Location {
  relpath: string;
  /** Set when a DESI root was given or $DESI_ROOT is set. */
  local?: string;
  https: string;
  s3: string;
}

/**
 * The relative path of a DR1 file: healpix products live in
 * `spectro/redux/SPECPROD/healpix/SURVEY/PROGRAM/PIXNUM//100/PIXNUM/PRODUCT-SURVEY-PROGRAM-PIXNUM.fits` (spectra
 * files are gzipped: `.fits.gz`); `zcatalog` is the per survey+program `zcatalog/v1/zpix-SURVEY-PROGRAM.fits`.
 *
 * @example
 * dr1Relpath({ survey: 'main', program: 'dark', healpix: 27247, product: 'coadd' });
 * // 'spectro/redux/iron/healpix/main/dark/272/27247/coadd-main-dark-27247.fits'
 */
export function dr1Relpath(opts: Dr1LocationOptions): string {
  const specprod = opts.specprod ?? 'iron';
  checkName('specprod', specprod);
  if (!(DR1_SURVEYS as readonly string[]).includes(opts.survey)) {
    throw new DesiError(`survey '${opts.survey}' is not one of ${DR1_SURVEYS.join(', ')}`, { scope: 'dr1Location' });
  }
  if (!(DR1_PROGRAMS as readonly string[]).includes(opts.program)) {
    throw new DesiError(`program '${opts.program}' is not one of ${DR1_PROGRAMS.join(', ')}`, { scope: 'dr1Location' });
  }
  const redux = `spectro/redux/${specprod}`;
  if (opts.product === 'zcatalog') {
    const ver = opts.zcatver ?? 'v1';
    checkName('zcatver', ver);
    return `${redux}/zcatalog/${ver}/zpix-${opts.survey}-${opts.program}.fits`;
  }
  if (!['coadd', 'redrock', 'spectra'].includes(opts.product)) {
    throw new DesiError(`product '${String(opts.product)}' is not coadd, redrock, spectra or zcatalog`, { scope: 'dr1Location' });
  }
  const hp = opts.healpix;
  if (hp === undefined || !Number.isInteger(hp) || hp < 0 || hp >= 12 * 64 * 64) {
    throw new DesiError(`healpix ${String(hp)} must be an nside-64 pixel number in [0, 49151]`, { scope: 'dr1Location' });
  }
  const ext = opts.product === 'spectra' ? 'fits.gz' : 'fits';
  const name = `${opts.product}-${opts.survey}-${opts.program}-${hp}.${ext}`;
  return `${redux}/healpix/${opts.survey}/${opts.program}/${Math.floor(hp / 100)}/${hp}/${name}`;
}

/**
 * The relative path of the combined redshift catalogue of a production (`zall-pix-SPECPROD.fits`, ~2 GB for iron).
 *
 * @example
 * zallPixRelpath(); // 'spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits'
 */
export function zallPixRelpath(specprod = 'iron', zcatver = 'v1'): string {
  checkName('specprod', specprod);
  checkName('zcatver', zcatver);
  return `spectro/redux/${specprod}/zcatalog/${zcatver}/zall-pix-${specprod}.fits`;
}

/**
 * Resolves a DR1 file to its local path (under `desiRoot`, else $DESI_ROOT when set), HTTPS URL and S3 object.
 *
 * @example
 * const loc = dr1Location({ survey: 'main', program: 'dark', healpix: 27247, product: 'redrock' });
 * loc.https; // 'https://data.desi.lbl.gov/public/dr1/spectro/redux/iron/healpix/main/dark/272/27247/redrock-main-dark-27247.fits'
 * loc.s3;    // 's3://desidata/dr1/spectro/redux/iron/healpix/main/dark/272/27247/redrock-main-dark-27247.fits'
 */
export function dr1Location(opts: Dr1LocationOptions, desiRoot?: string): Dr1Location {
  return locateDr1(dr1Relpath(opts), desiRoot);
}

/**
 * Like {@link dr1Location} for a relative path you already have (e.g. {@link zallPixRelpath}).
 *
 * @example
 * locateDr1(zallPixRelpath()).s3; // 's3://desidata/dr1/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits'
 */
export function locateDr1(relpath: string, desiRoot?: string): Dr1Location {
  const root = desiRoot ?? process.env.DESI_ROOT;
  const loc: Dr1Location = { relpath, https: `${DR1_HTTPS_ROOT}/${relpath}`, s3: `${DR1_S3_ROOT}/${relpath}` };
  if (root) loc.local = `${root.replace(/\/+$/, '')}/${relpath}`;
  return loc;
}

/**
 * What a DR1-style file name says about itself.
 *
 * @example
 * const n: Dr1FileName | undefined = parseDr1FileName('zpix-main-dark.fits'); // { product: 'zpix', ... }
 */
export interface Dr1FileName {
  product: 'coadd' | 'redrock' | 'spectra' | 'zpix' | 'zall-pix';
  survey?: string;
  program?: string;
  healpix?: number;
  specprod?: string;
}

/**
 * Parses DR1 file names (`coadd-main-dark-27247.fits`, `spectra-...fits.gz`, `zpix-sv3-bright.fits`,
 * `zall-pix-iron.fits`); undefined for other names.
 *
 * @example
 * parseDr1FileName('redrock-special-dark-27247.fits'); // { product: 'redrock', survey: 'special', program: 'dark', healpix: 27247 }
 */
export function parseDr1FileName(name: string): Dr1FileName | undefined {
  const base = name.split('/').pop() ?? name;
  let m = /^(coadd|redrock|spectra)-([a-z0-9]+)-([a-z0-9]+)-(\d+)\.fits(\.gz)?$/.exec(base);
  if (m) return { product: m[1] as 'coadd', survey: m[2]!, program: m[3]!, healpix: Number(m[4]) };
  m = /^zpix-([a-z0-9]+)-([a-z0-9]+)\.fits(\.gz)?$/.exec(base);
  if (m) return { product: 'zpix', survey: m[1]!, program: m[2]! };
  m = /^zall-pix-([a-z0-9_-]+)\.fits(\.gz)?$/.exec(base);
  if (m) return { product: 'zall-pix', specprod: m[1]! };
  return undefined;
}

function checkName(what: string, v: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(v) || v.includes('..')) {
    throw new DesiError(`${what} '${v}' must be a plain name (letters, digits, _ . -)`, { scope: 'dr1Location' });
  }
}
