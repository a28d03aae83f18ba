import { checkMemory } from '../../core/index.js';
import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { FitsImage, ImageArray, ImageDtype } from '../image/fits-image.js';
import type { ByteSource } from '../source/byte-source.js';
import { applyPhysical } from './physical.js';
import { allocatePixels, decodeTileAt, openTileSet, STORED_BYTES, type TileSet } from './tile-set.js';
import { placeTile, tileBox, tileGrid } from './tiles.js';

/** Options of `readCompressedImage`. */
export interface ReadCompressedOptions {
  /**
   * Whether quantized float pixels equal to ZBLANK become NaN, as the FITS standard says (default true).
   * `false` reproduces astropy 5.2 (and cfitsio read with a null value of 0), which dequantize them like any
   * other integer: that is what astropy 5.2.1 returns for `compressed_with_nan.fits`.
   */
  blankToNaN?: boolean;
}

/** Bytes of `n` pixels held at once: the stored values, and the physical ones when BSCALE/BZERO make new ones. */
function pixelBytes(s: TileSet, n: number): { total: number; largest: number } {
  const stored = n * STORED_BYTES[s.p.storedDtype]!;
  const physical = s.p.bscale === 1 && s.p.bzero === 0 ? 0 : n * 8;
  return { total: stored + physical, largest: Math.max(stored, physical) };
}

function budgetError(s: TileSet) {
  return (problem: string) =>
    new FitsError(`${problem}; leave it out (\`skybook fits stats --hdu\` another HDU) or raise SKYBOOK_MAX_MEMORY`, s.where);
}

/**
 * Decodes a tile-compressed image (a ZIMAGE = T binary table) into a FitsImage with astropy's values: every tile
 * decoded (RICE_1, GZIP_1, GZIP_2, PLIO_1, HCOMPRESS_1, NOCOMPRESS), quantized floats restored with the standard's
 * dithering, then BSCALE/BZERO applied. The tile table is checked first (see `openTileSet`), and an image beyond the
 * memory budget (`SKYBOOK_MAX_MEMORY`) is refused before it is allocated. A corrupt tile fails with a FitsError naming
 * the file, HDU, column and row.
 *
 * @example
 * const hdus = await walkHdus(src);
 * const img = await readCompressedImage(src, hdus[1]!); // img.naxis [300, 300], img.dtype 'int16'
 */
export async function readCompressedImage(src: ByteSource, hdu: HduInfo, options: ReadCompressedOptions = {}): Promise<FitsImage> {
  const blankToNaN = options.blankToNaN ?? true;
  const s = await openTileSet(src, hdu);
  const { p, grid, npix } = s;
  const need = pixelBytes(s, npix);
  checkMemory(need.total, `the image (${p.naxis.join(' x ')} ${p.dtype})`, budgetError(s), need.largest);
  const stored = allocatePixels(p.storedDtype, npix);
  if (npix > 0) {
    const tileBuf = allocatePixels(
      p.storedDtype,
      Math.min(
        p.tile.reduce((a, b) => a * b, 1),
        npix,
      ),
    );
    for (let t = 0; t < grid.count; t++) {
      const box = tileBox(grid, t);
      decodeTileAt(s, t, box, tileBuf, blankToNaN);
      placeTile(grid, box, tileBuf, stored);
    }
  }
  const { data, dtype } = applyPhysical(p, stored);
  const image: FitsImage = { naxis: p.naxis, dtype, data };
  if (p.zblank !== undefined && p.bscale === 1 && p.bzero === 0 && p.zbitpix > 0) image.blank = p.zblank;
  return image;
}

/**
 * The pixels of a tile-compressed image in storage order (axis 1 fastest), one band at a time: a band is every tile
 * of one step along the slowest axis, so memory holds one band (a row of tiles), never the image. Values are those of
 * {@link readCompressedImage} (BSCALE/BZERO applied), in the same order, so statistics over the bands equal those
 * over the whole image to the last bit. `fits stats` uses this; a band beyond the memory budget is refused.
 *
 * @example
 * for await (const band of compressedImageBands(src, hdu)) addTyped(acc, band.data);
 */
export async function* compressedImageBands(
  src: ByteSource,
  hdu: HduInfo,
  options: ReadCompressedOptions = {},
): AsyncGenerator<{ data: ImageArray; dtype: ImageDtype }> {
  const blankToNaN = options.blankToNaN ?? true;
  const s = await openTileSet(src, hdu);
  const { p, grid, npix } = s;
  if (npix === 0) {
    yield applyPhysical(p, allocatePixels(p.storedDtype, 0)); // as readCompressedImage's empty image
    return;
  }
  const last = p.naxis.length - 1;
  const depth = p.tile[last]!;
  const across = grid.across.slice(0, last).reduce((a, b) => a * b, 1);
  const plane = p.naxis.slice(0, last).reduce((a, b) => a * b, 1);
  const need = pixelBytes(s, plane * Math.min(depth, p.naxis[last]!));
  checkMemory(need.total, `one band of tiles (${[...p.naxis.slice(0, last), depth].join(' x ')} ${p.dtype})`, budgetError(s), need.largest);
  const tileBuf = allocatePixels(
    p.storedDtype,
    Math.min(
      p.tile.reduce((a, b) => a * b, 1),
      npix,
    ),
  );
  for (let k = 0; k < grid.across[last]!; k++) {
    const rows = Math.min(depth, p.naxis[last]! - k * depth);
    // the band as an image of its own: its tiles are the same boxes with the slow axis starting at 0
    const bandGrid = tileGrid([...p.naxis.slice(0, last), rows], p.tile);
    const band = allocatePixels(p.storedDtype, plane * rows);
    for (let j = 0; j < across; j++) {
      const t = k * across + j;
      const box = tileBox(bandGrid, j);
      decodeTileAt(s, t, box, tileBuf, blankToNaN);
      placeTile(bandGrid, box, tileBuf, band);
    }
    yield applyPhysical(p, band);
    // a turn of the event loop between bands, so a long decode can be interrupted and progress shown
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
