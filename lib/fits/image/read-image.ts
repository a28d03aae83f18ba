import { checkMemory } from '../../core/index.js';
import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import type { FitsImage } from './fits-image.js';
import { decodePixels, pixelScaling, type PixelScaling } from './scaling.js';

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

/** Bytes per pixel of each physical dtype. */
const DTYPE_BYTES: Record<string, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/**
 * Refuses, before anything is allocated, an image (or section) that would take more than the memory budget or one
 * buffer larger than Node can hold: the stored bytes, their native-order copy and the scaled values when scaled. The
 * message says what is too large and what to do instead.
 */
function checkImageMemory(file: string, hdu: HduInfo, shape: number[], n: number, s: PixelScaling): void {
  const stored = n * (Math.abs(s.bitpix) / 8);
  const physical = s.mode === 'scaled' ? n * DTYPE_BYTES[s.dtype]! : 0;
  checkMemory(
    2 * stored + physical,
    `the image (${shape.join(' x ')} ${s.dtype})`,
    (problem) =>
      new FitsError(
        `${problem}; read it in sections (readImage's \`rows\`), leave it out (\`skybook fits stats --hdu\` another HDU), ` +
          'or raise SKYBOOK_MAX_MEMORY',
        { file, hdu: hdu.index },
      ),
    Math.max(stored, physical),
  );
}

/**
 * Reads an IMAGE (or primary) HDU into a typed array in physical units, as astropy's `hdu.data` (see `FitsImage`).
 * With `rows`, only those rows' bytes are read. An image (or section) beyond the memory budget (`SKYBOOK_MAX_MEMORY`)
 * is a FitsError before anything is allocated.
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
  checkImageMemory(src.name, hdu, [...axes.slice(0, -1), end - start], n, s);
  const bytes = await src.read(hdu.dataOffset + start * perRow * bytesPer, n * bytesPer);
  if (bytes.length < n * bytesPer) throw new FitsError('truncated image data', { file: src.name, hdu: hdu.index });
  const img: FitsImage = { naxis: [...axes.slice(0, -1), end - start], dtype: s.dtype, data: decodePixels(bytes, 0, n, s) };
  return img;
}
