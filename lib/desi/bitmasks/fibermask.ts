import { Bitmask, defs } from './bitmask.js';

/**
 * desispec's `fibermask`: the bits of FIBERSTATUS (per exposure) and COADD_FIBERSTATUS (bitwise AND over the coadded
 * exposures), int32 columns; 0 = good. Bits 1 and 3 are informational only. Source: desispec/maskbits.py.
 *
 * @example
 * FIBERSTATUS.decode(1 << 9); // ['BADPOSITION']
 */
export const FIBERSTATUS = new Bitmask(
  'FIBERSTATUS',
  defs([
    ['UNASSIGNED', 0, 'fibre not assigned to a target or sky location'],
    ['STUCKPOSITIONER', 1, 'informational: stuck positioner'],
    ['BROKENFIBER', 2, 'broken fibre'],
    ['RESTRICTED', 3, 'informational: positioner with restricted reach'],
    ['MISSINGPOSITION', 8, 'fibre location information missing'],
    ['BADPOSITION', 9, 'fibre more than 100 microns from the target'],
    ['POORPOSITION', 10, 'fibre more than 30 microns from the target'],
    ['LOWEFFTIME', 15, 'effective time of this fibre too low'],
    ['BADFIBER', 16, 'unusable fibre'],
    ['BADTRACE', 17, 'bad trace solution'],
    ['BADFLAT', 18, 'bad fibre flat'],
    ['BADARC', 19, 'bad arc solution'],
    ['MANYBADCOL', 20, 'more than 10% of pixels on bad columns'],
    ['MANYREJECTED', 21, 'more than 10% of pixels rejected in extraction'],
    ['BADAMPB', 22, 'amplifier problems make camera B unusable'],
    ['BADAMPR', 23, 'amplifier problems make camera R unusable'],
    ['BADAMPZ', 24, 'amplifier problems make camera Z unusable'],
    ['BADPETALPOS', 25, 'too many badly positioned fibres on the petal'],
    ['BADPETALSKY', 26, 'bad sky model across the petal'],
    ['BADPETALSTDSTAR', 27, 'too few or inconsistent standard stars on the petal'],
    ['BADPETALFLUXCAL', 28, 'unphysical flux calibration of the petal'],
    ['BADPETALSNR', 29, 'TSNR of the petal too low compared with the others'],
    ['BADREADNOISE', 30, 'bad read noise in one of the three cameras'],
    ['RESERVED31', 31, 'sign bit, reserved'],
  ]),
  32,
);

/** Alias: COADD_FIBERSTATUS uses the same bits as FIBERSTATUS. @example COADD_FIBERSTATUS.encode(['BROKENFIBER']); // 4n */
export const COADD_FIBERSTATUS = FIBERSTATUS;
