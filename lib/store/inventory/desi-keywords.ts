import type { Header } from '../../fits/index.js';

/**
 * The DESI header keywords the inventory keeps, by the kind of value a column holds: text, or an integer (int64, as
 * TILEID, NIGHT and EXPID are ids). Column names are the keywords lower-cased.
 *
 * @example
 * INVENTORY_KEYWORDS.integer.includes('HPXPIXEL') // true
 */
export const INVENTORY_KEYWORDS = {
  text: ['SURVEY', 'PROGRAM', 'SPGRP', 'OBSTYPE', 'CAMERA', 'SPECPROD'],
  integer: ['HPXPIXEL', 'HPXNSIDE', 'SPGRPVAL', 'TILEID', 'NIGHT', 'EXPID', 'PETAL', 'SPECTROGRAPH'],
} as const;

/**
 * One HDU's DESI keywords: its own value, else the primary header's (DESI writes file-wide keywords such as SURVEY and
 * SPGRPVAL in the primary, and not always again in every extension); null where neither has it. An integer keyword
 * written as a digit string (`NIGHT = '20210514'`) is read as the integer; any other value that is not an integer is
 * null rather than a guess.
 *
 * @example
 * desiKeywords(hdu.header, primary.header) // { survey: 'main', program: 'dark', hpxpixel: 27247n, tileid: null, ... }
 */
export function desiKeywords(own: Header, primary: Header): Record<string, string | bigint | null> {
  const out: Record<string, string | bigint | null> = {};
  const value = (k: string) => {
    const v = own.get(k);
    return v === undefined || v === null ? primary.get(k) : v;
  };
  for (const k of INVENTORY_KEYWORDS.text) {
    const v = value(k);
    out[k.toLowerCase()] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
  }
  for (const k of INVENTORY_KEYWORDS.integer) {
    const v = value(k);
    out[k.toLowerCase()] =
      typeof v === 'bigint'
        ? v
        : typeof v === 'number' && Number.isInteger(v)
          ? BigInt(v)
          : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)
            ? BigInt(v.trim())
            : null;
  }
  return out;
}
