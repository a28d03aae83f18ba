import type { Header } from '../header/header.js';
import { parseTdim, parseTform, type Tform } from './tform.js';

/**
 * What a column's stored bytes become. `stored` is the on-disk element type; the physical type follows from TZERO/TSCAL:
 * the standard unsigned offsets give unsigned integers (and TZERO -128 on B gives int8); any other scaling gives float64.
 */
export type Physical =
  | 'bool'
  | 'bit'
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128'
  | 'string'
  | 'scaled';

/**
 * One BINTABLE column as its header cards describe it.
 *
 * @example
 * const cols = describeColumns(hdu.header); cols[0].name // 'TARGETID'
 */
export interface ColumnDesc {
  /** 1-based column number n of TTYPEn/TFORMn. */
  number: number;
  name: string;
  tformText: string;
  tform: Tform;
  /** Byte offset of the column within a row. */
  offset: number;
  physical: Physical;
  /** Elements per row (strings: substrings per row); 0 for a zero-width column. */
  count: number;
  /** For strings: bytes per string. */
  stringWidth: number;
  /** Shape of one cell in FITS order (TDIM without the string-width axis); [] for scalars. */
  dims: number[];
  scale: number;
  zero: number;
  tnull?: bigint;
  unit?: string;
  disp?: string;
  tdimText?: string;
  /** For variable-length arrays: the physical type of the heap elements. */
  vla?: { physical: Physical; elementBytes: number; stringWidth: number };
}

const UNSIGNED_ZERO: Record<string, { zero: bigint; physical: Physical }> = {
  B: { zero: -128n, physical: 'int8' },
  I: { zero: 32768n, physical: 'uint16' },
  J: { zero: 2147483648n, physical: 'uint32' },
  K: { zero: 9223372036854775808n, physical: 'uint64' },
};

const PLAIN: Record<string, Physical> = {
  L: 'bool',
  X: 'bit',
  B: 'uint8',
  I: 'int16',
  J: 'int32',
  K: 'int64',
  A: 'string',
  E: 'float32',
  D: 'float64',
  C: 'complex64',
  M: 'complex128',
};

const ELEMENT_BYTES: Record<string, number> = { L: 1, X: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };

function physicalOf(code: string, header: Header, n: number): { physical: Physical; scale: number; zero: number } {
  const scale = header.number(`TSCAL${n}`, 1);
  const zeroBig = header.bigint(`TZERO${n}`);
  const zero = header.number(`TZERO${n}`, 0);
  const plain = PLAIN[code]!;
  if (scale === 1 && (zeroBig ?? 0n) === 0n && zero === 0) return { physical: plain, scale, zero };
  const u = UNSIGNED_ZERO[code];
  if (u && scale === 1 && zeroBig === u.zero) return { physical: u.physical, scale, zero };
  if (code === 'L' || code === 'X' || code === 'A' || code === 'C' || code === 'M') return { physical: plain, scale: 1, zero: 0 };
  return { physical: 'scaled', scale, zero };
}

/**
 * Reads TFIELDS, TTYPEn, TFORMn, TDIMn, TSCALn, TZEROn, TNULLn, TUNITn, TDISPn and checks that the column widths add up
 * to NAXIS1. Errors name the file, HDU and keyword.
 */
export function describeColumns(header: Header): ColumnDesc[] {
  const tfields = header.int('TFIELDS');
  const naxis1 = header.int('NAXIS1');
  if (tfields < 0 || tfields > 999) throw header.error('TFIELDS', `invalid value ${tfields}`);
  const cols: ColumnDesc[] = [];
  let offset = 0;
  for (let n = 1; n <= tfields; n++) {
    const tformText = header.string(`TFORM${n}`);
    const tform = parseTform(tformText);
    if (typeof tform === 'string') throw header.error(`TFORM${n}`, `'${tformText}': ${tform}`);
    const ttype = header.get(`TTYPE${n}`);
    const name = typeof ttype === 'string' ? ttype.trim() : '';
    const col: ColumnDesc = {
      number: n,
      name,
      tformText,
      tform,
      offset,
      physical: 'bool',
      count: tform.repeat,
      stringWidth: 0,
      dims: [],
      scale: 1,
      zero: 0,
    };
    const unit = header.get(`TUNIT${n}`);
    if (typeof unit === 'string') col.unit = unit.trim();
    const disp = header.get(`TDISP${n}`);
    if (typeof disp === 'string') col.disp = disp.trim();
    const tnull = header.bigint(`TNULL${n}`);
    if (tnull !== undefined && 'BIJK'.includes(tform.elementCode ?? tform.code)) col.tnull = tnull;

    if (tform.code === 'P' || tform.code === 'Q') {
      const el = tform.elementCode!;
      const p = physicalOf(el, header, n);
      col.physical = 'string'; // placeholder, the column is a list; see vla
      col.vla = { physical: p.physical, elementBytes: ELEMENT_BYTES[el]!, stringWidth: el === 'A' ? 1 : 0 };
      col.scale = p.scale;
      col.zero = p.zero;
      col.count = tform.repeat;
    } else {
      const p = physicalOf(tform.code, header, n);
      Object.assign(col, p);
      if (tform.code === 'A') shapeStrings(col, header);
      else shapeCells(col, header);
    }
    cols.push(col);
    offset += tform.width;
  }
  if (offset !== naxis1) {
    throw header.error('NAXIS1', `is ${naxis1} but the columns' TFORMs add up to ${offset} bytes per row`);
  }
  return cols;
}

function tdimOf(col: ColumnDesc, header: Header): number[] | undefined {
  const t = header.get(`TDIM${col.number}`);
  if (typeof t !== 'string') return undefined;
  const dims = parseTdim(t);
  if (typeof dims === 'string') throw header.error(`TDIM${col.number}`, `'${t}': ${dims}`);
  col.tdimText = t.trim();
  return dims;
}

function shapeCells(col: ColumnDesc, header: Header): void {
  const dims = tdimOf(col, header);
  const rep = col.tform.repeat;
  col.count = rep;
  if (dims && dims.length > 0 && dims.reduce((a, b) => a * b, 1) === rep && !(dims.length === 1 && rep === 1)) {
    col.dims = dims.length === 1 ? [rep] : dims;
  } else col.dims = rep === 1 && col.tform.code !== 'X' ? [] : [rep];
  if (col.tform.code === 'X') col.dims = [rep];
}

function shapeStrings(col: ColumnDesc, header: Header): void {
  const rep = col.tform.repeat;
  const dims = tdimOf(col, header);
  if (dims && dims.length >= 1 && dims.reduce((a, b) => a * b, 1) === rep && dims[0]! > 0) {
    col.stringWidth = dims[0]!;
    col.dims = dims.length > 1 ? dims.slice(1) : [];
  } else if (
    col.tform.substringWidth &&
    col.tform.substringWidth > 0 &&
    rep % col.tform.substringWidth === 0 &&
    col.tform.substringWidth < rep
  ) {
    col.stringWidth = col.tform.substringWidth;
    col.dims = [rep / col.tform.substringWidth];
  } else {
    col.stringWidth = rep;
    col.dims = [];
  }
  col.count = col.stringWidth === 0 ? 0 : rep / col.stringWidth;
}
