import { Bitmask, defs } from './bitmask.js';

/**
 * Redrock's ZWARN bits (int64 column; 0 = no warning). Bits 0-11 set by redrock, 16-19 by the DESI pipeline after
 * redrock (desitarget's targetmask.yaml `zwarn_mask`, inherited from redrock/zwarning.py).
 *
 * @example
 * ZWARN.decode(1n << 16n); // ['LOW_DEL_CHI2']
 */
export const ZWARN = new Bitmask(
  'ZWARN',
  defs([
    ['SKY', 0, 'sky fibre'],
    ['LITTLE_COVERAGE', 1, 'too little wavelength coverage'],
    ['SMALL_DELTA_CHI2', 2, 'best fit chi^2 too close to the second best'],
    ['NEGATIVE_MODEL', 3, 'synthetic spectrum is negative'],
    ['MANY_OUTLIERS', 4, 'too many pixels more than 5 sigma from the best model'],
    ['Z_FITLIMIT', 5, 'chi^2 minimum at the edge of the redshift range'],
    ['NEGATIVE_EMISSION', 6, 'a QSO emission line has negative area'],
    ['UNPLUGGED', 7, 'fibre unplugged or broken'],
    ['BAD_TARGET', 8, 'catastrophically bad targeting data'],
    ['NODATA', 9, 'no data for this fibre (ivar 0 everywhere)'],
    ['BAD_MINFIT', 10, 'bad parabola fit to the chi^2 minimum'],
    ['POORDATA', 11, 'poor input data, fitted anyway'],
    ['LOW_DEL_CHI2', 16, 'DELTACHI2 below 25 (SV3 rule)'],
    ['LOW_DEL_CHI2_BGS', 17, 'DELTACHI2 below 40 for a BGS target in bright time (SV3 rule)'],
    ['BAD_SPECQA', 18, 'rejected by spectrum-level QA'],
    ['BAD_PETALQA', 19, 'rejected by petal-level QA'],
  ]),
  64,
);
