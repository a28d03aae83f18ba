import { FitsError, type FitsLocation } from '../../errors/index.js';
import { parseCardImage, readQuoted, type Card, type CardValue } from './card.js';

/**
 * An HDU header: its cards in file order (CONTINUE groups joined), with keyed look-ups and typed getters that throw
 * a `FitsError` naming the file, HDU and keyword when a mandatory keyword is missing or has the wrong type.
 *
 * @example
 * const naxis = header.int('NAXIS');
 * const name = header.string('EXTNAME', '');
 */
export class Header {
  readonly cards: readonly Card[];
  private readonly index = new Map<string, Card>();

  constructor(
    cards: Card[],
    /** Where this header sits, for error messages. */
    readonly where: FitsLocation = {},
  ) {
    this.cards = cards;
    for (const c of cards) {
      if (c.keyword === 'COMMENT' || c.keyword === 'HISTORY' || c.keyword === '' || c.keyword === 'CONTINUE') continue;
      if (!this.index.has(c.keyword)) this.index.set(c.keyword, c);
    }
  }

  has(keyword: string): boolean {
    return this.index.has(keyword);
  }

  card(keyword: string): Card | undefined {
    return this.index.get(keyword);
  }

  get(keyword: string): CardValue | undefined {
    return this.index.get(keyword)?.value;
  }

  /** A mandatory or defaulted integer keyword (a safe integer). */
  int(keyword: string, fallback?: number): number {
    const c = this.index.get(keyword);
    if (!c || c.value === null) {
      if (fallback !== undefined) return fallback;
      throw this.error(keyword, 'missing mandatory keyword');
    }
    const v = c.value;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') throw this.error(keyword, `value ${v} is too large`);
    throw this.error(keyword, `expected an integer, found ${JSON.stringify(c.image.slice(10, 30).trim())}`);
  }

  /** A numeric keyword (int or float); bigints are converted, since these are scale factors, not ids. */
  number(keyword: string, fallback?: number): number {
    const c = this.index.get(keyword);
    if (!c || c.value === null) {
      if (fallback !== undefined) return fallback;
      throw this.error(keyword, 'missing mandatory keyword');
    }
    if (typeof c.value === 'number') return c.value;
    if (typeof c.value === 'bigint') return Number(c.value);
    throw this.error(keyword, `expected a number, found ${JSON.stringify(String(c.value))}`);
  }

  /** An integer keyword that may exceed 2^53 (TZERO of a uint64 column, TNULL of an int64 column). */
  bigint(keyword: string): bigint | undefined {
    const v = this.index.get(keyword)?.value;
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
    return undefined;
  }

  string(keyword: string, fallback?: string): string {
    const c = this.index.get(keyword);
    if (!c || c.value === null) {
      if (fallback !== undefined) return fallback;
      throw this.error(keyword, 'missing mandatory keyword');
    }
    if (typeof c.value === 'string') return c.value;
    throw this.error(keyword, `expected a string, found ${String(c.value)}`);
  }

  bool(keyword: string, fallback: boolean): boolean {
    const v = this.index.get(keyword)?.value;
    return typeof v === 'boolean' ? v : fallback;
  }

  error(keyword: string, problem: string): FitsError {
    return new FitsError(problem, { ...this.where, keyword });
  }
}

/**
 * Splits header bytes into cards and joins CONTINUE long strings (the OGIP LONGSTRN convention) the way astropy does:
 * one card whose value is the concatenation without the `&` markers and whose image is the 80-character images joined.
 *
 * @example
 * const cards = parseCards(headerText);
 */
export function parseCards(text: string): Card[] {
  const cards: Card[] = [];
  for (let off = 0; off + 80 <= text.length; off += 80) {
    const card = parseCardImage(text.slice(off, off + 80));
    if (card.keyword === 'END') break;
    const prev = cards[cards.length - 1];
    if (
      card.keyword === 'CONTINUE' &&
      prev &&
      typeof prev.value === 'string' &&
      prev.value.endsWith('&') &&
      !prev.invalid &&
      prev.image.slice(8, 10) === '= '
    ) {
      const piece = parseContinue(card.image);
      if (piece) {
        prev.value = prev.value.slice(0, -1) + piece.text;
        if (!prev.value.endsWith('&')) prev.value = prev.value.replace(/ +$/, '');
        prev.image += card.image;
        if (piece.comment) prev.comment = prev.comment ? `${prev.comment} ${piece.comment}` : piece.comment;
        continue;
      }
    }
    cards.push(card);
  }
  return cards;
}

function parseContinue(image: string): { text: string; comment: string } | undefined {
  const body = image.slice(8);
  const start = body.indexOf("'");
  if (start < 0 || body.slice(0, start).trim() !== '') return undefined;
  const q = readQuoted(body, start);
  if (!q) return undefined;
  const rest = body.slice(q.end).trim();
  const comment = rest.startsWith('/') ? rest.slice(1).trim() : '';
  return { text: q.text.replace(/ +$/, ''), comment };
}
