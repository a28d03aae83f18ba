/**
 * Redrock's SPECTYPE values (char[6] in REDSHIFTS / ZCATALOG): the class of the best-fit template.
 *
 * @example
 * SPECTYPES.includes('QSO'); // true
 */
export const SPECTYPES = ['GALAXY', 'QSO', 'STAR'] as const;

/** One SPECTYPE value. @example const t: Spectype = 'GALAXY'; */
export type Spectype = (typeof SPECTYPES)[number];
