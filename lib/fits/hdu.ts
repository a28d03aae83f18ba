import { warn } from '../core/index.js';
import { FitsError } from '../errors/index.js';
import { Header, parseCards } from './header/header.js';
import type { ByteSource } from './source/byte-source.js';
import { readAt } from './source/read-range.js';

/** The kinds of HDU skybook reads; names as in `skybook fits stats --json`. */
export type HduType = 'IMAGE' | 'BINTABLE' | 'TABLE' | 'COMPRESSED_IMAGE' | 'RANDOM_GROUPS';

/**
 * Where one HDU sits in its file and what it is. Only the header has been read; data is read on demand.
 *
 * @example
 * for (const hdu of fits.hdus) console.log(hdu.index, hdu.name, hdu.type, hdu.dataOffset);
 */
export interface HduInfo {
  index: number;
  /** EXTNAME, or PRIMARY / COMPRESSED_IMAGE as astropy names them, or ''. */
  name: string;
  /** EXTVER, default 1. */
  ver: number;
  type: HduType;
  /** The XTENSION value as written ('' for the primary HDU). */
  xtension: string;
  header: Header;
  headerOffset: number;
  dataOffset: number;
  /** Data bytes the header declares, before padding to 2880. */
  dataSize: number;
  /** Data bytes including the padding, as astropy's `datSpan`. */
  dataSpan: number;
}

export const BLOCK = 2880;
const HEADER_CHUNK = BLOCK * 4;

/** Reads one header starting at `offset`; returns it and the offset of the first data byte. */
export async function readHeaderAt(src: ByteSource, offset: number, index: number): Promise<{ header: Header; dataOffset: number }> {
  const where = { file: src.name, hdu: index };
  let text = '';
  let pos = offset;
  for (;;) {
    const bytes = await readAt(src, pos, HEADER_CHUNK);
    const whole = bytes.length - (bytes.length % BLOCK);
    if (whole === 0) {
      throw new FitsError(
        pos === offset ? 'truncated: no header where one should start' : 'truncated header: no END card before the end of the file',
        where,
      );
    }
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, whole).toString('latin1');
    // END must start a card: look at card boundaries only
    for (let c = 0; c < chunk.length; c += 80) {
      if (chunk.startsWith('END', c) && chunk.slice(c + 3, c + 80).trim() === '') {
        text += chunk.slice(0, c);
        warnUnprintable(text, where);
        const headerBlocks = Math.ceil((text.length + 80) / BLOCK);
        return { header: new Header(parseCards(text), where), dataOffset: offset + headerBlocks * BLOCK };
      }
    }
    text += chunk;
    pos += whole;
    if (whole < HEADER_CHUNK) {
      throw new FitsError('truncated header: no END card before the end of the file', where);
    }
  }
}

const UNPRINTABLE = /[^\x20-\x7e]/;

/**
 * Warns (once per header) when cards hold bytes outside printable ASCII (32-126), which the standard forbids in a
 * header: usually binary data read as cards. astropy's verify reports the same ("Unprintable string"); the cards are
 * still parsed as they are.
 */
function warnUnprintable(text: string, where: { file: string; hdu: number }): void {
  if (!UNPRINTABLE.test(text)) return;
  let first = -1;
  let count = 0;
  for (let c = 0; c < text.length; c += 80) {
    if (!UNPRINTABLE.test(text.slice(c, c + 80))) continue;
    count++;
    if (first < 0) first = c;
  }
  const card = text.slice(first, first + 80);
  const col = card.search(UNPRINTABLE);
  const keyword = card
    .slice(0, 8)
    .trimEnd()
    .replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const byte = card.charCodeAt(col).toString(16).padStart(2, '0');
  warn(
    `${where.file}: HDU ${where.hdu}: ${count} header card${count === 1 ? '' : 's'} hold${count === 1 ? 's' : ''} bytes that are not printable ASCII ` +
      `(the first: card ${first / 80 + 1}${keyword ? ` '${keyword}'` : ''}, byte 0x${byte} at column ${col + 1}); ` +
      'a FITS header is ASCII 32-126 only, so this is likely binary data read as keywords',
  );
}

/** Classifies an HDU and checks its mandatory keywords; returns the data size it declares. */
export function describeHdu(header: Header, index: number): { type: HduType; xtension: string; dataSize: number } {
  const first = header.cards[0];
  let xtension = '';
  let type: HduType;
  if (index === 0) {
    if (first?.keyword !== 'SIMPLE') throw header.error('SIMPLE', 'not a FITS file: the first card is not SIMPLE');
    type = header.bool('GROUPS', false) && header.int('NAXIS', 0) >= 1 && header.int('NAXIS1', -1) === 0 ? 'RANDOM_GROUPS' : 'IMAGE';
  } else {
    if (first?.keyword !== 'XTENSION') throw header.error('XTENSION', 'extension header does not start with XTENSION');
    xtension = String(first.value ?? '').trim();
    if (xtension === 'IMAGE' || xtension === 'IUEIMAGE') type = 'IMAGE';
    else if (xtension === 'TABLE') type = 'TABLE';
    else if (xtension === 'BINTABLE' || xtension === 'A3DTABLE') type = header.bool('ZIMAGE', false) ? 'COMPRESSED_IMAGE' : 'BINTABLE';
    else type = 'IMAGE'; // unknown extensions: the generic layout lets us skip them correctly
  }
  const bitpix = header.int('BITPIX');
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) throw header.error('BITPIX', `invalid value ${bitpix}`);
  const naxis = header.int('NAXIS');
  if (naxis < 0 || naxis > 999) throw header.error('NAXIS', `invalid value ${naxis}`);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.int(`NAXIS${i}`);
    if (n < 0) throw header.error(`NAXIS${i}`, `negative axis length ${n}`);
    axes.push(n);
  }
  const pcount = index === 0 ? header.int('PCOUNT', 0) : header.int('PCOUNT');
  const gcount = index === 0 ? header.int('GCOUNT', 1) : header.int('GCOUNT');
  if (pcount < 0) throw header.error('PCOUNT', `negative value ${pcount}`);
  if (gcount < 0) throw header.error('GCOUNT', `negative value ${gcount}`);
  if (type === 'BINTABLE' || type === 'TABLE' || type === 'COMPRESSED_IMAGE') {
    if (naxis !== 2) throw header.error('NAXIS', `a table must have NAXIS = 2, found ${naxis}`);
    header.int('TFIELDS');
  }
  let dataSize: number;
  if (naxis === 0) dataSize = 0;
  else if (type === 'RANDOM_GROUPS') dataSize = (Math.abs(bitpix) / 8) * gcount * (pcount + axes.slice(1).reduce((a, b) => a * b, 1));
  else dataSize = (Math.abs(bitpix) / 8) * gcount * (pcount + axes.reduce((a, b) => a * b, 1));
  if (!Number.isSafeInteger(dataSize)) throw header.error('NAXIS', 'data size overflows');
  return { type, xtension, dataSize };
}

/** astropy's HDU name: EXTNAME as written (case kept) when present, else PRIMARY for HDU 0 and COMPRESSED_IMAGE for tile-compressed images. */
function hduName(header: Header, index: number, type: HduType): string {
  if (type === 'COMPRESSED_IMAGE') {
    // the table's own EXTNAME is often the default COMPRESSED_IMAGE; a later EXTNAME card names the image (astropy's choice)
    const names = header.cards.filter((c) => c.keyword === 'EXTNAME' && typeof c.value === 'string').map((c) => String(c.value).trim());
    return names.reverse().find((n) => n !== 'COMPRESSED_IMAGE') ?? 'COMPRESSED_IMAGE';
  }
  const ext = header.get('EXTNAME');
  if (typeof ext === 'string') return ext.trim();
  if (index === 0 && header.get('SIMPLE') === false) return '';
  return index === 0 ? 'PRIMARY' : '';
}

/**
 * Walks every HDU of a FITS byte source, reading headers only. Trailing bytes after the last HDU that do not start
 * an extension are ignored, as astropy does, with a warning (`core.warn`) saying how many; a truncated HDU is an
 * error naming it.
 *
 * @example
 * const hdus = await walkHdus(await FileSource.open('m13.fits'));
 */
export async function walkHdus(src: ByteSource): Promise<HduInfo[]> {
  if (src.size === 0) throw new FitsError('empty file (0 bytes)', { file: src.name });
  if (src.size < BLOCK) throw new FitsError(`truncated: ${src.size} bytes is less than one 2880-byte FITS block`, { file: src.name });
  const first = Buffer.from(await readAt(src, 0, 10)).toString('latin1');
  if (!/^SIMPLE {2}= ?$/.test(first.slice(0, 10)) && !first.startsWith('SIMPLE  =')) {
    throw new FitsError('not a FITS file: the first card is not SIMPLE', { file: src.name, hdu: 0, keyword: 'SIMPLE' });
  }
  const hdus: HduInfo[] = [];
  let offset = 0;
  while (offset < src.size) {
    const index = hdus.length;
    if (index > 0) {
      const peek = src.size - offset < BLOCK ? '' : Buffer.from(await readAt(src, offset, 8)).toString('latin1');
      if (peek !== 'XTENSION') {
        const n = src.size - offset;
        warn(
          `${src.name}: ${n} byte${n === 1 ? '' : 's'} after the last HDU (HDU ${index - 1}, ending at offset ${offset}) ` +
            'do not start an extension; ignored',
        );
        break;
      }
    }
    const { header, dataOffset } = await readHeaderAt(src, offset, index);
    const { type, xtension, dataSize } = describeHdu(header, index);
    const dataSpan = Math.ceil(dataSize / BLOCK) * BLOCK;
    if (dataOffset + dataSize > src.size) {
      throw new FitsError(
        `truncated data: the header declares ${dataSize} data bytes from offset ${dataOffset}, but the file ends at ${src.size}`,
        { file: src.name, hdu: index },
      );
    }
    hdus.push({
      index,
      name: hduName(header, index, type),
      ver: header.int('EXTVER', 1),
      type,
      xtension,
      header,
      headerOffset: offset,
      dataOffset,
      dataSize,
      dataSpan,
    });
    offset = dataOffset + dataSpan;
    // SIMPLE = F: not standard FITS, so what follows cannot be trusted as extensions (astropy stops here too)
    if (index === 0 && header.get('SIMPLE') === false) break;
  }
  return hdus;
}
