import type { FitsFile } from '../../fits/fits-file.js';
import { parseDr1FileName } from '../layout.js';

/** SURVEY, PROGRAM and HEALPix pixel of a DESI file. */
export interface PrimaryMeta {
  survey?: string;
  program?: string;
  healpix?: number;
}

/**
 * SURVEY / PROGRAM / HPXPIXEL from the primary header (SPGRPVAL when SPGRP = 'healpix'), falling back to the DR1
 * file name (`coadd-SURVEY-PROGRAM-PIXNUM.fits`) for whatever the header lacks.
 *
 * @example
 * primaryMeta(f); // { survey: 'special', program: 'dark', healpix: 27247 }
 */
export function primaryMeta(f: FitsFile): PrimaryMeta {
  const h = f.hdus[0]!.header;
  const str = (k: string): string | undefined => {
    const v = h.get(k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const num = (k: string): number | undefined => {
    const v = h.get(k);
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
