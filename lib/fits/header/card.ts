/**
 * One header card (or one CONTINUE group) as astropy.io.fits sees it: the keyword, the parsed value, the comment,
 * and the raw 80-character image(s) it came from.
 */
export type CardValue = boolean | number | bigint | string | Complex | null;

/** A complex header value `(re, im)`. */
export interface Complex {
  re: number;
  im: number;
}

/**
 * A parsed card. `value` is `null` for an undefined value (`KEY =  / comment`), a `bigint` for an integer beyond
 * 2^53, and a string for COMMENT/HISTORY/blank cards. `invalid` holds the reason when the value field could not be
 * parsed; `value` then holds the raw value text.
 *
 * @example
 * parseCardImage("NAXIS   =                    2 / number of axes").value // 2
 */
export interface Card {
  keyword: string;
  value: CardValue;
  comment: string;
  /** The raw card image; 80 characters, or a multiple of 80 for a CONTINUE group. */
  image: string;
  /** True for an integer written as such (so `1` and `1.0` survive a round trip). */
  isInteger?: boolean;
  invalid?: string;
}

/** Keywords whose cards carry free text from column 9, never a value. */
export const COMMENTARY_KEYWORDS = new Set(['COMMENT', 'HISTORY', '', 'END']);

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

/** Parses an integer or float literal as FITS writes it (`D` exponents allowed); undefined when it is neither. */
export function parseNumber(text: string): { value: number | bigint; isInteger: boolean } | undefined {
  if (INT_RE.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return { value: n, isInteger: true };
    return { value: BigInt(text), isInteger: true };
  }
  if (FLOAT_RE.test(text)) return { value: Number(text.replace(/[Dd]/, 'E')), isInteger: false };
  return undefined;
}

/** Reads a quoted FITS string starting at `start` (the opening quote); returns the text and the index after it. */
export function readQuoted(s: string, start: number): { text: string; end: number } | undefined {
  let out = '';
  let i = start + 1;
  for (;;) {
    const q = s.indexOf("'", i);
    if (q < 0) return undefined;
    out += s.slice(i, q);
    if (s[q + 1] === "'") {
      out += "'";
      i = q + 2;
      continue;
    }
    return { text: out, end: q + 1 };
  }
}

function splitComment(rest: string): string | undefined {
  const t = rest.trimStart();
  if (t === '') return '';
  if (t[0] !== '/') return undefined;
  return t.slice(1).trim();
}

/** Parses the part of a card after the value indicator: value and comment. */
export function parseValueField(field: string): Omit<Card, 'keyword' | 'image'> {
  const t = field.trimStart();
  if (t.startsWith("'")) {
    const q = readQuoted(t, 0);
    if (q) {
      const comment = splitComment(t.slice(q.end));
      if (comment !== undefined) return { value: q.text.replace(/ +$/, ''), comment };
    }
    return invalid(field, 'unterminated or malformed string');
  }
  const slash = t.indexOf('/');
  const valueText = (slash < 0 ? t : t.slice(0, slash)).trim();
  const comment = slash < 0 ? '' : t.slice(slash + 1).trim();
  if (valueText === '') return { value: null, comment };
  if (valueText === 'T' || valueText === 'F') return { value: valueText === 'T', comment };
  const num = parseNumber(valueText);
  if (num) return { value: num.value, comment, isInteger: num.isInteger };
  const cm = /^\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(valueText);
  if (cm) {
    const re = parseNumber(cm[1]!);
    const im = parseNumber(cm[2]!);
    if (re && im) return { value: { re: Number(re.value), im: Number(im.value) }, comment };
  }
  return invalid(field, `invalid value ${JSON.stringify(valueText)}`);
}

function invalid(field: string, reason: string): Omit<Card, 'keyword' | 'image'> {
  return { value: field.trim(), comment: '', invalid: reason };
}

/**
 * Parses one 80-character card image. CONTINUE cards are joined by `parseCards`, not here.
 *
 * @example
 * parseCardImage("OBJECT  = 'M13     '           / target").value // 'M13'
 */
export function parseCardImage(image: string): Card {
  const key8 = image.slice(0, 8);
  if (key8.toUpperCase() === 'HIERARCH') {
    const eq = image.indexOf('=');
    if (eq > 8) {
      const keyword = image.slice(8, eq).trim();
      return { keyword, image, ...parseValueField(image.slice(eq + 1)) };
    }
  }
  const keyword = key8.trimEnd().toUpperCase();
  if (COMMENTARY_KEYWORDS.has(keyword) || image.slice(8, 10) !== '= ') {
    return { keyword, image, value: image.slice(8).trimEnd(), comment: '' };
  }
  return { keyword, image, ...parseValueField(image.slice(10)) };
}
