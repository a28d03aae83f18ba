import { Bitmask, defs } from './bitmask.js';

/**
 * desispec's `specmask`: the per-pixel bits of the X_MASK images of coadd and spectra files (uint32 stored as int32
 * with BZERO 2147483648; 0 = good). Source: desispec/maskbits.py.
 *
 * @example
 * SPECMASK.decode(0b10); // ['ALLBADPIX']
 */
export const SPECMASK = new Bitmask(
  'SPECMASK',
  defs([
    ['SOMEBADPIX', 0, 'some input pixels were masked or had ivar 0'],
    ['ALLBADPIX', 1, 'all input pixels were masked or had ivar 0'],
    ['COSMIC', 2, 'input pixels included a masked cosmic ray'],
    ['LOWFLAT', 3, 'fibre flat below 0.5'],
    ['BADFIBERFLAT', 4, 'bad fibre-flat solution'],
    ['BRIGHTSKY', 5, 'bright sky level'],
    ['BADSKY', 6, 'bad sky model'],
    ['BAD2DFIT', 7, 'bad 2-D extraction model fit'],
    ['NODATA', 8, 'no data'],
    ['BADFIBER', 9, 'fibermask has a non-zero bit'],
  ]),
  32,
);
