import type { Table } from 'apache-arrow';
import { FitsError } from '../../errors/index.js';
import type { FitsFile } from '../../fits/index.js';
import { findHdu, requireColumns, requireHdu, withFits, type DesiInput } from '../read/open.js';
import type { Spectra } from '../spectra/spectra.js';

/**
 * An SDSS/BOSS `spec-PLATE-MJD-FIBER.fits` spectrum as skybook's Spectra, with its SPECOBJ row and line fits.
 *
 * @example
 * const { spectra, z, spzline }: SdssSpec = await readSdssSpec('spec-0332-52367-0639.fits');
 */
export interface SdssSpec {
  /** One spectrum in one arm named 'SDSS' (wavelength = 10^loglam in vacuum Angstrom, flux in 1e-17 erg/s/cm2/A). */
  spectra: Spectra;
  /** The SPECOBJ HDU (one row: Z, CLASS, PLATE, MJD, FIBERID, ...); SPALL in BOSS (SDSS-III) files, which name it so. */
  specobj: Table;
  /** SPZLINE: the SDSS pipeline's emission-line fits (LINENAME, LINEWAVE, LINEZ, LINESIGMA, LINEAREA, LINEEW ...), when present. */
  spzline?: Table;
  /** SPECOBJ Z, when present. */
  z?: number;
  plate?: number;
  mjd?: number;
  fiber?: number;
}

const WHAT = 'an SDSS spec-PLATE-MJD-FIBER.fits file (COADD with loglam/flux/ivar/and_mask, SPECOBJ or SPALL)';

/**
 * Reads an SDSS spec file by HDU name: COADD (loglam, flux, ivar, and_mask), SPECOBJ (SPALL in BOSS files) and SPZLINE. The mask is
 * and_mask (bad in every exposure); there is no resolution matrix (ndiag 0). TARGETID is SPECOBJID when it parses
 * as an integer, else 0.
 *
 * @example
 * const { spectra, z, spzline } = await readSdssSpec('spec-0332-52367-0639.fits');
 * const sdss = spectra.arms.SDSS!; // wavelength, flux, ivar, mask
 */
export function readSdssSpec(input: DesiInput): Promise<SdssSpec> {
  return withFits(input, read);
}

async function read(f: FitsFile): Promise<SdssSpec> {
  const coadd = requireHdu(f, 'COADD', WHAT);
  requireColumns(f, coadd, ['loglam', 'flux', 'ivar', 'and_mask']);
  // SDSS-I/II and DR14+ files name the object row SPECOBJ; BOSS (SDSS-III) files of DR9-DR13 name it SPALL.
  const soName = findHdu(f, 'SPECOBJ') || !findHdu(f, 'SPALL') ? 'SPECOBJ' : 'SPALL';
  const soHdu = requireHdu(f, soName, WHAT);
  const c = await f.readTable(coadd.index, { columns: ['loglam', 'flux', 'ivar', 'and_mask'] });
  const loglam = c.getChild('loglam')!.toArray() as Float32Array | Float64Array;
  const wavelength = Float64Array.from(loglam, (x) => 10 ** x);
  const flux = Float32Array.from(c.getChild('flux')!.toArray() as Float32Array);
  const ivar = Float32Array.from(c.getChild('ivar')!.toArray() as Float32Array);
  const am = c.getChild('and_mask')!.toArray() as Int32Array;
  const mask = new Uint32Array(am.buffer.slice(am.byteOffset, am.byteOffset + am.byteLength));
  const specobj = await f.readTable(soHdu.index);
  if (specobj.numRows !== 1)
    throw new FitsError(`${soName} has ${specobj.numRows} rows; a spec file has exactly 1`, { file: f.name, hdu: soName });
  const cellOf = (name: string): unknown => specobj.getChild(name)?.get(0);
  const num = (name: string): number | undefined => {
    const v = cellOf(name);
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
  };
  const id = String(cellOf('SPECOBJID') ?? '').trim();
  const targetid = /^-?\d+$/.test(id) ? BigInt(id) : 0n;
  const spectra: Spectra = {
    product: 'sdss-spec',
    nspec: 1,
    targetids: BigInt64Array.of(targetid),
    bands: ['SDSS'],
    arms: { SDSS: { wavelength, nwave: wavelength.length, flux, ivar, mask, ndiag: 0 } },
    fibermap: specobj,
    source: f.name,
  };
  const survey = cellOf('SURVEY');
  if (typeof survey === 'string' && survey.trim()) spectra.survey = survey.trim();
  const out: SdssSpec = { spectra, specobj };
  const z = num('Z');
  if (z !== undefined) out.z = z;
  for (const [k, col] of [
    ['plate', 'PLATE'],
    ['mjd', 'MJD'],
    ['fiber', 'FIBERID'],
  ] as const) {
    const v = num(col);
    if (v !== undefined) out[k] = v;
  }
  if (findHdu(f, 'SPZLINE')) out.spzline = await f.readTable('SPZLINE');
  return out;
}
