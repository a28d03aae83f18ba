import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import type { FitsImage } from './fits-image.js';
import { decodePixels, pixelScaling } from './scaling.js';

/** Options for reading an image. */
export interface ReadImageOptions {
  /** Read only these rows [start, end) of the slowest axis (the last NAXISn): e.g. some spectra of a FLUX image. */
  rows?: { start?: number; end?: number };
  /**
   * Tile-compressed floats: turn ZBLANK pixels into NaN (the standard; default true). `false` reproduces astropy 5.2,
   * which dequantizes them like any other pixel.
   */
  blankToNaN?: boolean;
}

/** The axis lengths of an IMAGE HDU in FITS order. */
export function imageAxes(hdu: HduInfo): number[] {
  const naxis = hdu.header.int('NAXIS');
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) axes.push(hdu.header.int(`NAXIS${i}`));
  return axes;
}

/**
 * Reads an IMAGE (or primary) HDU into a typed array in physical units, as astropy's `hdu.data` (see `FitsImage`).
 * With `rows`, only those rows' bytes are read.
 *
 * @example
 * const flux = await readImage(src, hdu, { rows: { start: 10, end: 20 } }); // 10 spectra
 */
export async function readImage(src: ByteSource, hdu: HduInfo, opts: ReadImageOptions = {}): Promise<FitsImage> {
  const axes = imageAxes(hdu);
  const s = pixelScaling(hdu.header);
  const bytesPer = Math.abs(s.bitpix) / 8;
  if (axes.length === 0) return { naxis: [], dtype: s.dtype, data: decodePixels(new Uint8Array(0), 0, 0, s) };
  const nslow = axes[axes.length - 1]!;
  const perRow = axes.slice(0, -1).reduce((a, b) => a * b, 1);
  const start = opts.rows?.start ?? 0;
  const end = opts.rows?.end ?? nslow;
  if (start < 0 || end > nslow || start > end) {
    throw new FitsError(`rows [${start}, ${end}) are outside the image's ${nslow} rows`, { file: src.name, hdu: hdu.index });
  }
  const n = (end - start) * perRow;
  const bytes = await src.read(hdu.dataOffset + start * perRow * bytesPer, n * bytesPer);
  if (bytes.length < n * bytesPer) throw new FitsError('truncated image data', { file: src.name, hdu: hdu.index });
  const img: FitsImage = { naxis: [...axes.slice(0, -1), end - start], dtype: s.dtype, data: decodePixels(bytes, 0, n, s) };
  return img;
}
