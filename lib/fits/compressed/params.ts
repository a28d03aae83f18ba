import { FitsError } from '../../errors/index.js';
import type { Header } from '../header/header.js';
import type { HduInfo } from '../hdu.js';
import type { ImageDtype } from '../image/fits-image.js';
import type { QuantizeMethod } from './quantize.js';

/** The compression algorithms of the tiled-image convention that skybook decodes. */
export type CompressionType = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'PLIO_1' | 'HCOMPRESS_1' | 'NOCOMPRESS';

/**
 * Everything the header of a tile-compressed image says about decoding it, read and checked once.
 *
 * @example
 * const p = compressionParams(hdu); // p.type 'RICE_1', p.naxis [300, 300], p.tile [300, 1]
 */
export interface CompressionParams {
  type: CompressionType;
  /** ZBITPIX: the stored image's BITPIX. */
  zbitpix: number;
  /** ZNAXISn, FITS order. */
  naxis: number[];
  /** ZTILEn, FITS order (default: one row of axis 1 per tile). */
  tile: number[];
  /** RICE_1 BLOCKSIZE and BYTEPIX. */
  blocksize: number;
  bytepix: number;
  /** HCOMPRESS_1 SMOOTH != 0. */
  smooth: boolean;
  /** How floats were quantized; 'NONE' for integer images and losslessly compressed floats. */
  quantize: QuantizeMethod;
  dither0: number;
  /** ZSCALE / ZZERO / ZBLANK keywords (their columns, when present, win per tile). */
  zscale?: number;
  zzero?: number;
  zblank?: number;
  /** The image's BSCALE / BZERO / BLANK, applied after decompression as astropy does. */
  bscale: number;
  bzero: number;
  blank?: number;
  /** dtype straight out of the tiles (by ZBITPIX) and after BSCALE/BZERO. */
  storedDtype: ImageDtype;
  dtype: ImageDtype;
  /** Whether a column of that name exists (affects defaults and the physical dtype). */
  columns: Set<string>;
}

const ALIASES: Record<string, CompressionType> = {
  RICE_1: 'RICE_1',
  RICE_ONE: 'RICE_1',
  GZIP_1: 'GZIP_1',
  GZIP_2: 'GZIP_2',
  PLIO_1: 'PLIO_1',
  HCOMPRESS_1: 'HCOMPRESS_1',
  NOCOMPRESS: 'NOCOMPRESS',
};

const STORED: Record<number, ImageDtype> = { 8: 'uint8', 16: 'int16', 32: 'int32', 64: 'int64', [-32]: 'float32', [-64]: 'float64' };

/** The image is at most this many pixels (2^31 - 1 is also the typed-array limit V8 allows for most kinds). */
const MAX_PIXELS = 2 ** 31 - 1;

/**
 * Names of the table's columns (TTYPEn), upper-cased and trimmed, in order.
 *
 * @example
 * columnNames(hdu.header) // ['COMPRESSED_DATA', 'ZSCALE', 'ZZERO']
 */
export function columnNames(header: Header): string[] {
  const n = header.int('TFIELDS');
  const names: string[] = [];
  for (let i = 1; i <= n; i++)
    names.push(
      String(header.get(`TTYPE${i}`) ?? '')
        .trim()
        .toUpperCase(),
    );
  return names;
}

/**
 * Reads and checks the compression keywords of a ZIMAGE = T table.
 *
 * @example
 * const p = compressionParams(hdu);
 */
export function compressionParams(hdu: HduInfo): CompressionParams {
  const h = hdu.header;
  if (hdu.type !== 'COMPRESSED_IMAGE') throw h.error('ZIMAGE', 'not a tile-compressed image (ZIMAGE = T binary table)');
  const zbitpix = h.int('ZBITPIX');
  const storedDtype = STORED[zbitpix];
  if (!storedDtype) throw h.error('ZBITPIX', `invalid value ${zbitpix}`);
  const rawType = h.string('ZCMPTYPE').trim().toUpperCase();
  const type = ALIASES[rawType];
  if (!type) throw h.error('ZCMPTYPE', `unknown compression type '${rawType}'`);
  const zn = h.int('ZNAXIS');
  if (zn < 0 || zn > 999) throw h.error('ZNAXIS', `invalid value ${zn}`);
  const naxis: number[] = [];
  const tile: number[] = [];
  let npix = zn === 0 ? 0 : 1;
  for (let i = 1; i <= zn; i++) {
    const n = h.int(`ZNAXIS${i}`);
    if (n < 0) throw h.error(`ZNAXIS${i}`, `negative axis length ${n}`);
    naxis.push(n);
    npix *= n;
    const t = h.int(`ZTILE${i}`, i === 1 ? n : 1);
    if (t < 1) throw h.error(`ZTILE${i}`, `invalid tile size ${t}`);
    tile.push(t);
  }
  if (npix > MAX_PIXELS) throw h.error('ZNAXIS', `an image of ${npix} pixels is too large to decode into memory`);

  const zval = new Map<string, number>();
  for (let i = 1; h.has(`ZNAME${i}`); i++) {
    const name = String(h.get(`ZNAME${i}`))
      .trim()
      .toUpperCase();
    const v = h.get(`ZVAL${i}`);
    if (typeof v === 'number') zval.set(name, v);
    else if (typeof v === 'boolean')
      zval.set(name, v ? 1 : 0); // astropy writes SMOOTH as T/F
    else if (typeof v === 'bigint') zval.set(name, Number(v));
  }
  const blocksize = zval.get('BLOCKSIZE') ?? 32;
  const bytepix = zval.get('BYTEPIX') ?? 4;
  if (type === 'RICE_1') {
    if (!Number.isInteger(blocksize) || blocksize < 1) throw h.error('ZVAL', `invalid RICE_1 BLOCKSIZE ${blocksize}`);
    if (![1, 2, 4, 8].includes(bytepix)) throw h.error('ZVAL', `invalid RICE_1 BYTEPIX ${bytepix}`);
  }

  const columns = new Set(columnNames(h));
  if (!columns.has('COMPRESSED_DATA'))
    throw new FitsError('a tile-compressed image needs a COMPRESSED_DATA column', { ...h.where, column: 'COMPRESSED_DATA' });
  const optNumber = (k: string): number | undefined => (h.has(k) && h.get(k) !== null ? h.number(k) : undefined);
  const zscale = optNumber('ZSCALE');
  const zzero = optNumber('ZZERO');
  const zblank =
    h.has('ZBLANK') && h.get('ZBLANK') !== null ? h.int('ZBLANK') : h.has('BLANK') && h.get('BLANK') !== null ? h.int('BLANK') : undefined;

  let quantize: QuantizeMethod = 'NONE';
  if (zbitpix < 0 && (columns.has('ZSCALE') || zscale !== undefined)) {
    const q = h.string('ZQUANTIZ', 'NO_DITHER').trim().toUpperCase();
    if (q === 'NO_DITHER' || q === 'SUBTRACTIVE_DITHER_1' || q === 'SUBTRACTIVE_DITHER_2') quantize = q;
    else if (q === 'NONE') quantize = 'NONE';
    else throw h.error('ZQUANTIZ', `unknown quantization method '${q}'`);
  }
  const dither0 = h.int('ZDITHER0', 1);

  const bscale = optNumber('BSCALE') ?? 1;
  const bzero = optNumber('BZERO') ?? 0;
  const blank = h.has('BLANK') && typeof h.get('BLANK') === 'number' ? h.int('BLANK') : undefined;
  const hasBlank = columns.has('ZBLANK') || h.has('ZBLANK') || h.has('BLANK');
  const dtype = physicalDtype(zbitpix, storedDtype, bscale, bzero, hasBlank);
  const p: CompressionParams = {
    type,
    zbitpix,
    naxis,
    tile,
    blocksize,
    bytepix,
    smooth: (zval.get('SMOOTH') ?? 0) !== 0,
    quantize,
    dither0,
    bscale,
    bzero,
    storedDtype,
    dtype,
    columns,
  };
  if (zscale !== undefined) p.zscale = zscale;
  if (zzero !== undefined) p.zzero = zzero;
  if (zblank !== undefined) p.zblank = zblank;
  if (blank !== undefined) p.blank = blank;
  return p;
}

/**
 * astropy 5.2's dtype for a compressed image: unchanged without BSCALE/BZERO; unsigned for BSCALE 1 and
 * BZERO 2^(bits-1); else float32 for 8/16-bit, float64 for 32/64-bit integers (floats keep theirs); and float64
 * once a ZBLANK/BLANK exists for scaled integers (astropy's `np.where(blanks, nan, data)` promotes).
 *
 * @example
 * physicalDtype(16, 'int16', 1, 32768, false) // 'uint16'
 */
export function physicalDtype(zbitpix: number, stored: ImageDtype, bscale: number, bzero: number, hasBlank: boolean): ImageDtype {
  if (bscale === 1 && bzero === 0) return stored;
  let d: ImageDtype;
  if (zbitpix < 0) d = stored;
  else if (bscale === 1 && zbitpix === 16 && bzero === 32768) d = 'uint16';
  else if (bscale === 1 && zbitpix === 32 && bzero === 2147483648) d = 'uint32';
  else if (bscale === 1 && zbitpix === 64 && bzero === 2 ** 63) d = 'uint64';
  else d = zbitpix > 16 ? 'float64' : 'float32';
  if (hasBlank && d !== 'float32') d = 'float64';
  return d;
}

/**
 * The shape and dtype of a compressed image, from its header alone (no tile is read).
 *
 * @example
 * compressedImageShape(hdu) // { naxis: [300, 300], dtype: 'int16' }
 */
export function compressedImageShape(hdu: HduInfo): { naxis: number[]; dtype: ImageDtype } {
  const p = compressionParams(hdu);
  return { naxis: p.naxis, dtype: p.dtype };
}
