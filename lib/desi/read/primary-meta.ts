import type { FitsFile } from '../../fits/index.js';
import { parseDr1FileName } from '../layout.js';

/**
 * SURVEY, PROGRAM and HEALPix pixel of a DESI file.
 *
 * @example
 * const { survey, program, healpix }: PrimaryMeta = primaryMeta(fits);
 */
export interface PrimaryMeta {
  survey?: string;
  program?: string;
  healpix?: number;
}

/**
 * SURVEY / PROGRAM / HPXPIXEL from the primary header (SPGRPVAL when SPGRP = 'healpix'), then from the header of
 * `mainHdu` (zpix files keep SURVEY and PROGRAM in the ZCATALOG header), then from the DR1 file name
 * (`coadd-SURVEY-PROGRAM-PIXNUM.fits`, `zpix-SURVEY-PROGRAM.fits`) for whatever the headers lack.
 *
 * @example
 * primaryMeta(f); // { survey: 'special', program: 'dark', healpix: 27247 }
 */
export function primaryMeta(f: FitsFile, mainHdu?: string): PrimaryMeta {
  const headers = [f.hdus[0]!.header];
  const main = mainHdu === undefined ? undefined : f.hdus.find((x) => x.name.toUpperCase() === mainHdu.toUpperCase());
  if (main && main.index !== 0) headers.push(main.header);
  const get = (k: string): unknown => headers.map((h) => h.get(k)).find((v) => v !== undefined);
  const str = (k: string): string | undefined => {
    const v = get(k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const num = (k: string): number | undefined => {
    const v = get(k);
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
  };
  const fromName = parseDr1FileName(f.name);
  const out: PrimaryMeta = {};
  const survey = str('SURVEY') ?? fromName?.survey;
  const program = str('PROGRAM') ?? fromName?.program;
  const healpix = num('HPXPIXEL') ?? (str('SPGRP') === 'healpix' ? num('SPGRPVAL') : undefined) ?? fromName?.healpix;
  if (survey !== undefined) out.survey = survey;
  if (program !== undefined) out.program = program;
  if (healpix !== undefined) out.healpix = healpix;
  return out;
}
