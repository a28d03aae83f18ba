import { FitsError } from '../../errors/index.js';
import type { CardValue, Complex } from './card.js';

/**
 * A card to write. `value` undefined or null writes an undefined value (`KEY     =  / comment`); for COMMENT, HISTORY
 * and the blank keyword it is the free text. A JS number that is a safe integer is written as an integer unless
 * `isInteger` is false (then `2` is written `2.0`); bigints are always integers.
 *
 * @example
 * formatCard({ keyword: 'EXPTIME', value: 1200.5, comment: 'seconds' })
 */
export interface CardInput {
  keyword: string;
  value?: CardValue | undefined;
  comment?: string;
  isInteger?: boolean;
}

const CARD = 80;
const STANDARD_KEYWORD = /^[A-Z0-9_-]{0,8}$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);
/** Longest escaped string piece per CONTINUE card: 80 - 10 (`CONTINUE  `) - 3 (`'`, `&`, `'`). */
const PIECE = 67;
/** Longest comment piece per CONTINUE card, as astropy writes them. */
const COMMENT_PIECE = 64;

/** The card that announces CONTINUE long strings (OGIP 1.0 convention). */
export const LONGSTRN_CARD: CardInput = { keyword: 'LONGSTRN', value: 'OGIP 1.0', comment: 'The OGIP Long String Convention may be used.' };

/**
 * Formats a float so that it reads back as the same double and as a float: the shortest round-trip digits, fixed
 * notation for exponents -4..15 (as `%.16G` would choose), otherwise `E` with a two-digit exponent; a `.0` is added
 * when neither `.` nor `E` would appear. NaN and infinities cannot be written in a header.
 *
 * @example
 * formatFloat(0.1) // '0.1'
 * formatFloat(3)   // '3.0'
 * formatFloat(1e-7) // '1E-07'
 */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) throw new FitsError(`a header value cannot be ${x}`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/[-.]/g, '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function isComplex(v: unknown): v is Complex {
  return typeof v === 'object' && v !== null && typeof (v as Complex).re === 'number' && typeof (v as Complex).im === 'number';
}

/**
 * The value field as astropy writes it: strings quoted from column 11, at least 8 characters inside the quotes and
 * padded to 20; numbers, logicals and complex values right-justified to column 30; '' for an undefined value.
 *
 * @example
 * formatValue('M13') // "'M13     '          "
 * formatValue(2)     // '                   2'
 */
export function formatValue(value: CardValue | undefined, isInteger?: boolean, keyword = ''): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    if (!PRINTABLE.test(value)) throw badText(keyword, 'string value', value);
    if (value === '') return "''";
    return `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  }
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'bigint') return value.toString().padStart(20);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FitsError(`a header value cannot be ${value}`, { keyword });
    if (isInteger !== false && Number.isSafeInteger(value)) return String(value).padStart(20);
    if (isInteger === true && Number.isInteger(value)) return BigInt(value).toString().padStart(20);
    return formatFloat(value).padStart(20);
  }
  if (isComplex(value)) return `(${formatFloat(value.re)}, ${formatFloat(value.im)})`.padStart(20);
  throw new FitsError(`cannot write a value of type ${typeof value} in a header`, { keyword });
}

function badText(keyword: string, what: string, text: string): FitsError {
  const i = [...text].findIndex((c) => !PRINTABLE.test(c));
  const ch = [...text][i] ?? '';
  const code = ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
  return new FitsError(
    `${what} ${JSON.stringify(text)} has a character FITS headers cannot hold (U+${code} at ${i}): only printable ASCII is allowed`,
    { keyword },
  );
}

/** Normalises a keyword: `{ key, hierarch }`, or throws naming the keyword and the rule it breaks. */
export function checkKeyword(keyword: string): { key: string; hierarch: boolean } {
  if (!PRINTABLE.test(keyword)) throw badText(keyword, 'keyword', keyword);
  if (/^HIERARCH /i.test(keyword)) {
    const key = keyword.slice(9).trim();
    if (key === '' || key.includes('='))
      throw new FitsError(`invalid HIERARCH keyword ${JSON.stringify(keyword)}: empty or contains '='`, { keyword });
    return { key, hierarch: true };
  }
  const upper = keyword.toUpperCase();
  if (STANDARD_KEYWORD.test(upper)) return { key: upper, hierarch: false };
  if (keyword.length > 8 && !keyword.includes('=') && keyword.trim() === keyword) return { key: keyword, hierarch: true };
  throw new FitsError(
    `invalid keyword ${JSON.stringify(keyword)}: a keyword is up to 8 characters of A-Z 0-9 _ - (longer ones become HIERARCH cards)`,
    { keyword },
  );
}

/** True when the card is a string too long for one card and will be written with CONTINUE cards. */
export function needsContinue(card: CardInput): boolean {
  if (typeof card.value !== 'string' || COMMENTARY.has(card.keyword.toUpperCase())) return false;
  return formatValue(card.value, undefined, card.keyword).length > CARD - 10;
}

/**
 * Formats one card as its 80-character image, or several (CONTINUE cards for a long string, repeated COMMENT/HISTORY
 * cards for long text). Comments that do not fit are cut, as astropy does.
 *
 * @example
 * formatCard({ keyword: 'NAXIS', value: 2, comment: 'number of axes' })
 * // 'NAXIS   =                    2 / number of axes' padded to 80
 */
export function formatCard(card: CardInput): string {
  const comment = card.comment ?? '';
  if (!PRINTABLE.test(comment)) throw badText(card.keyword, 'comment', comment);
  const { key, hierarch } = checkKeyword(card.keyword);
  if (COMMENTARY.has(key) && !hierarch) {
    const text = card.value === null || card.value === undefined ? '' : String(card.value);
    if (!PRINTABLE.test(text)) throw badText(key, `${key || 'blank'} text`, text);
    let out = '';
    for (let i = 0; i === 0 || i < text.length; i += CARD - 8) out += (key.padEnd(8) + text.slice(i, i + CARD - 8)).padEnd(CARD);
    return out;
  }
  if (key === 'END' || key === 'CONTINUE') throw new FitsError(`${key} is written by the writer, not as a card`, { keyword: key });
  let value = formatValue(card.value, card.isInteger, key);
  const tail = comment ? ` / ${comment}` : '';
  if (hierarch) {
    value = value.trim();
    let head = `HIERARCH ${key} = ${value}`;
    if (head.length === CARD + 1) head = `HIERARCH ${key}= ${value}`;
    if (head.length > CARD)
      throw new FitsError(`HIERARCH keyword ${JSON.stringify(key)} with its value does not fit in one 80-character card`, { keyword: key });
    return (head + tail).slice(0, CARD).padEnd(CARD);
  }
  const head = `${key.padEnd(8)}= ${value}`;
  if (head.length + tail.length <= CARD) return (head + tail).padEnd(CARD);
  if (head.length <= CARD) return (head + tail).slice(0, CARD); // the value fits: cut the comment
  return formatLongString(key, card.value as string, comment);
}

/** Splits an escaped string into pieces of at most `width` characters without splitting a `''` pair. */
function splitEscaped(escaped: string, width: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < escaped.length) {
    let end = Math.min(escaped.length, start + width);
    if (end < escaped.length) {
      let quotes = 0; // count the run of quotes ending at `end`: an odd count means a pair is cut
      for (let i = end - 1; i >= start && escaped[i] === "'"; i--) quotes++;
      if (quotes % 2 === 1) end--;
    }
    pieces.push(escaped.slice(start, end));
    start = end;
  }
  return pieces;
}

function formatLongString(key: string, value: string, comment: string): string {
  const pieces = splitEscaped(value.replace(/'/g, "''"), PIECE);
  let out = '';
  pieces.forEach((piece, i) => {
    const head = i === 0 ? `${key.padEnd(8)}= ` : 'CONTINUE  ';
    const last = i === pieces.length - 1 && !comment;
    out += `${head}'${piece}${last ? '' : '&'}'`.padEnd(CARD);
  });
  for (let i = 0; i < comment.length; i += COMMENT_PIECE) {
    const last = i + COMMENT_PIECE >= comment.length;
    out += `CONTINUE  '${last ? '' : '&'}' / ${comment.slice(i, i + COMMENT_PIECE)}`.padEnd(CARD);
  }
  return out;
}

/**
 * Formats a whole header: the cards in order, LONGSTRN announced before the first CONTINUE string when it is not
 * already there, END, and blank padding to a multiple of 2880 bytes.
 *
 * @example
 * const text = formatHeader([{ keyword: 'SIMPLE', value: true }, { keyword: 'BITPIX', value: 8 }, { keyword: 'NAXIS', value: 0 }]);
 * text.length % 2880 // 0
 */
export function formatHeader(cards: readonly CardInput[]): string {
  let out = '';
  let announced = cards.some((c) => c.keyword.toUpperCase() === 'LONGSTRN');
  for (const card of cards) {
    if (!announced && needsContinue(card)) {
      out += formatCard(LONGSTRN_CARD);
      announced = true;
    }
    out += formatCard(card);
  }
  out += 'END'.padEnd(CARD);
  return out.padEnd(Math.ceil(out.length / 2880) * 2880);
}
