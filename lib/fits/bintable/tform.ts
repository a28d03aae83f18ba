/** The BINTABLE column type codes of the FITS standard (table 18). */
export type TformCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

/** Bytes per element of each fixed-size code (X counts bits and is handled separately). */
export const CODE_BYTES: Record<Exclude<TformCode, 'P' | 'Q' | 'X'>, number> = {
  L: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
};

/**
 * A parsed TFORMn. For variable-length arrays (`P`/`Q`) `elementCode` is the type in the heap and `maxLength`
 * the declared maximum, if any; `repeat` is then 0 or 1 (one descriptor).
 *
 * @example
 * parseTform('1PE(12)') // { repeat: 1, code: 'P', elementCode: 'E', maxLength: 12, width: 8 }
 */
export interface Tform {
  repeat: number;
  code: TformCode;
  elementCode?: Exclude<TformCode, 'P' | 'Q'>;
  maxLength?: number;
  /** For `rAw`: the width of each substring. */
  substringWidth?: number;
  /** Bytes this column occupies in a row. */
  width: number;
}

const TFORM_RE = /^\s*(\d*)([LXBIJKAEDCMPQ])(.*)$/;
const VLA_RE = /^([LXBIJKAEDCM])(?:\((\d+)\))?\s*$/;

/** Parses a TFORMn value; returns a reason string instead when it is not a valid BINTABLE format. */
export function parseTform(text: string): Tform | string {
  const m = TFORM_RE.exec(text.toUpperCase());
  if (!m) return `not a BINTABLE format`;
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  const code = m[2] as TformCode;
  const rest = m[3]!.trim();
  if (!Number.isSafeInteger(repeat)) return 'repeat count too large';
  if (code === 'P' || code === 'Q') {
    const v = VLA_RE.exec(rest);
    if (!v) return `bad variable-length array element type '${rest}'`;
    if (repeat > 1) return 'a variable-length array column holds one descriptor (repeat 0 or 1)';
    const t: Tform = { repeat, code, elementCode: v[1] as Tform['elementCode'], width: repeat * (code === 'P' ? 8 : 16) };
    if (v[2] !== undefined) t.maxLength = Number(v[2]);
    return t;
  }
  if (code === 'X') return rest === '' ? { repeat, code, width: Math.ceil(repeat / 8) } : `unexpected '${rest}' after X`;
  if (code === 'A' && rest !== '') {
    // rAw: substrings of width w (an old convention astropy still reads)
    if (!/^\d+$/.test(rest)) return `unexpected '${rest}' after A`;
    return { repeat, code, substringWidth: Number(rest), width: repeat };
  }
  // Some writers leave trailing junk (e.g. '1E   '), stripped above; anything else is an error.
  if (rest !== '') return `unexpected '${rest}' after ${code}`;
  return { repeat, code, width: repeat * CODE_BYTES[code] };
}

/** Parses TDIMn `(a,b,c)` into FITS-order axis lengths, or a reason string. */
export function parseTdim(text: string): number[] | string {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!m) return `not a TDIM '(n1,n2,...)'`;
  const dims = m[1]!.split(',').map((s) => Number(s.trim()));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) return 'TDIM has a non-integer axis';
  return dims;
}
