import { Field, Float64, Int16, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, Utf8, type DataType } from 'apache-arrow';
import { checkMemory } from '../../core/index.js';
import { FitsError } from '../../errors/index.js';
import { selectColumns } from '../bintable/read-table.js';
import { parseNumber } from '../header/card.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';

/** One ASCII TABLE column: TFORMn (Aw, Iw, Fw.d, Ew.d, Dw.d) at TBCOLn. */
export interface AsciiColumn {
  number: number;
  name: string;
  tform: string;
  code: 'A' | 'I' | 'F' | 'E' | 'D';
  width: number;
  /** 0-based byte where the field starts in a row. */
  start: number;
  scale: number;
  zero: number;
  /** TNULLn: the field text that marks a null. */
  tnull?: string;
  unit?: string;
}

/** Reads and checks the ASCII TABLE column keywords; fields must lie inside NAXIS1. */
export function describeAsciiColumns(hdu: HduInfo): AsciiColumn[] {
  const h = hdu.header;
  const tfields = h.int('TFIELDS');
  const naxis1 = h.int('NAXIS1');
  const cols: AsciiColumn[] = [];
  for (let n = 1; n <= tfields; n++) {
    const tform = h.string(`TFORM${n}`).trim();
    const m = /^([AIFED])(\d+)(?:\.(\d+))?$/i.exec(tform);
    if (!m) throw h.error(`TFORM${n}`, `'${tform}' is not an ASCII table format (Aw, Iw, Fw.d, Ew.d, Dw.d)`);
    const start = h.int(`TBCOL${n}`) - 1;
    const width = Number(m[2]);
    if (start < 0 || start + width > naxis1)
      throw h.error(`TBCOL${n}`, `field ${start + 1}..${start + width} lies outside the ${naxis1}-byte row`);
    const ttype = h.get(`TTYPE${n}`);
    const col: AsciiColumn = {
      number: n,
      name: typeof ttype === 'string' ? ttype.trim() : '',
      tform,
      code: m[1]!.toUpperCase() as AsciiColumn['code'],
      width,
      start,
      scale: h.number(`TSCAL${n}`, 1),
      zero: h.number(`TZERO${n}`, 0),
    };
    const tnull = h.get(`TNULL${n}`);
    if (typeof tnull === 'string') col.tnull = tnull;
    const unit = h.get(`TUNIT${n}`);
    if (typeof unit === 'string') col.unit = unit.trim();
    cols.push(col);
  }
  return cols;
}

/** astropy's dtypes: strings; I up to 4 digits int16, up to 9 int32, else int64; F/E/D float64 (and scaled ints). */
function arrowTypeOf(c: AsciiColumn): DataType {
  if (c.code === 'A') return new Utf8();
  if (c.code !== 'I' || c.scale !== 1 || c.zero !== 0) return new Float64();
  return c.width <= 4 ? new Int16() : c.width <= 9 ? new Int32() : new Int64();
}

/**
 * Reads an ASCII TABLE HDU into Arrow. Numbers are parsed from their text fields (Fortran `D` exponents included); a field
 * equal to TNULLn, or blank, is null; an unparsable field is an error naming the column and row.
 *
 * @example
 * const t = await readAsciiTable(src, hdu);
 */
export async function readAsciiTable(src: ByteSource, hdu: HduInfo, opts: { columns?: readonly string[] } = {}): Promise<Table> {
  const cols = describeAsciiColumns(hdu);
  const picked = selectColumns(cols, opts.columns, { file: src.name, hdu: hdu.index });
  const rowBytes = hdu.header.int('NAXIS1');
  const nrows = hdu.header.int('NAXIS2');
  // the rows' bytes, their text, and the parsed columns (8 bytes a number, the field and an offset a string)
  const parsed = picked.reduce((a, c) => a + (c.code === 'A' ? c.width + 4 : 8), 0) * nrows;
  checkMemory(
    3 * rowBytes * nrows + parsed,
    `the ASCII table (${nrows} rows of ${rowBytes} bytes)`,
    (problem) => new FitsError(`${problem}; read fewer columns, or raise SKYBOOK_MAX_MEMORY`, { file: src.name, hdu: hdu.index }),
    rowBytes * nrows,
  );
  const bytes = await src.read(hdu.dataOffset, rowBytes * nrows);
  if (bytes.length < rowBytes * nrows) throw new FitsError('truncated table data', { file: src.name, hdu: hdu.index });
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const children = picked.map((c) => columnData(c, text, rowBytes, nrows, { file: src.name, hdu: hdu.index }));
  const fields = picked.map(
    (c) =>
      new Field(
        c.name,
        arrowTypeOf(c),
        true,
        new Map([['fits.TFORM', c.tform], ...(c.unit ? [['fits.TUNIT', c.unit] as [string, string]] : [])]),
      ),
  );
  const schema = new Schema(
    fields,
    new Map([['fits.HDU', String(hdu.index)], ...(hdu.name ? [['fits.EXTNAME', hdu.name] as [string, string]] : [])]),
  );
  const data = makeData({ type: new Struct(fields), length: nrows, nullCount: 0, children } as never);
  return new Table(schema, [new RecordBatch(schema, data as never)]);
}

function columnData(c: AsciiColumn, text: string, rowBytes: number, nrows: number, where: { file: string; hdu: number }) {
  const type = arrowTypeOf(c);
  const validity = new Uint8Array((nrows + 7) >> 3);
  let nulls = 0;
  const fieldAt = (r: number) => text.slice(r * rowBytes + c.start, r * rowBytes + c.start + c.width);
  if (type instanceof Utf8) {
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [];
    const offsets = new Int32Array(nrows + 1);
    for (let r = 0; r < nrows; r++) {
      const f = fieldAt(r);
      if (c.tnull !== undefined && f.trim() === c.tnull.trim()) nulls++;
      else validity[r >> 3]! |= 1 << (r & 7);
      const b = enc.encode(f.replace(/\0.*$/s, '').replace(/ +$/, ''));
      parts.push(b);
      offsets[r + 1] = offsets[r]! + b.length;
    }
    const data = new Uint8Array(offsets[nrows]!);
    parts.forEach((p, r) => data.set(p, offsets[r]!));
    return makeData({
      type,
      length: nrows,
      nullCount: nulls,
      valueOffsets: offsets,
      data,
      nullBitmap: nulls ? validity : undefined,
    } as never);
  }
  const values =
    type instanceof Float64
      ? new Float64Array(nrows)
      : type instanceof Int16
        ? new Int16Array(nrows)
        : type instanceof Int32
          ? new Int32Array(nrows)
          : new BigInt64Array(nrows);
  for (let r = 0; r < nrows; r++) {
    const f = fieldAt(r).trim();
    if (f === '' || (c.tnull !== undefined && f === c.tnull.trim())) {
      nulls++;
      continue;
    }
    validity[r >> 3]! |= 1 << (r & 7);
    const num =
      parseNumber(f) ??
      (/^[+-]?(\d+\.?\d*|\.\d+)[+-]\d+$/.test(f) ? { value: Number(f.replace(/(\d)([+-]\d+)$/, '$1E$2')), isInteger: false } : undefined);
    if (!num || (c.code === 'I' && !num.isInteger))
      throw new FitsError(`cannot parse '${f}' as ${c.tform}`, { ...where, column: c.name, row: r });
    if (values instanceof BigInt64Array) values[r] = BigInt(num.value);
    else if (values instanceof Float64Array) values[r] = Number(num.value) * c.scale + c.zero;
    else values[r] = Number(num.value);
  }
  return makeData({ type, length: nrows, nullCount: nulls, data: values, nullBitmap: nulls ? validity : undefined } as never);
}
