import { checkMemory, formatByteSize } from '../../core/index.js';
import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import type { ByteSource } from '../source/byte-source.js';
import { CodecError } from './codec-error.js';
import { decodeTile, type TileColumns } from './decode-tile.js';
import { compressionParams, type CompressionParams } from './params.js';
import { TileTable, type TileColumn } from './table.js';
import { tileGrid, type PixelArray, type TileBox, type TileGrid } from './tiles.js';

/** deflate's largest expansion: one bit pair per 258-byte match, so 1032 output bytes per input byte at most. */
const DEFLATE_MAX_RATIO = 1032;
/** Rice's smallest block: an FS code of fsbits bits for BLOCKSIZE equal pixels, by bytes per pixel. */
const RICE_FSBITS: Record<number, number> = { 1: 3, 2: 4, 4: 5 };

/**
 * Bytes per pixel of each stored dtype.
 *
 * @example
 * const bytes = npix * STORED_BYTES[p.storedDtype]!;
 */
export const STORED_BYTES: Record<string, number> = { uint8: 1, int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 };

/**
 * The tile table of a compressed image, read and checked before any tile is decoded: its params, tile grid, table,
 * the columns decoding uses, and where it is (for errors).
 *
 * @example
 * const { p, grid, npix } = await openTileSet(src, hdu);
 */
export interface TileSet {
  p: CompressionParams;
  grid: TileGrid;
  /** Pixels in the image. */
  npix: number;
  /** Undefined for an image without pixels. */
  table?: TileTable;
  cols?: TileColumns;
  where: { file: string; hdu: number };
}

/**
 * Reads the tile table of a compressed image and checks it as a whole before anything is decoded or allocated for
 * pixels: the table and heap within the memory budget; one row per tile; every descriptor inside the heap; no two
 * tiles sharing heap bytes (a table that points every tile at the same bytes is a decompression bomb: the probe's
 * 377 KB file declared 46340 x 46340 float64 pixels, 16 GiB, from one 1 KB tile); each tile at least as large as its
 * codec can expand from (deflate 1032:1, Rice one FS code a block, raw bytes one a pixel); and one tile's decoding
 * buffers within the budget and Node's largest buffer. A problem is a FitsError naming the file, HDU, column and row.
 *
 * @example
 * const tiles = await openTileSet(src, hdu);
 */
export async function openTileSet(src: ByteSource, hdu: HduInfo): Promise<TileSet> {
  const p = compressionParams(hdu);
  const where = { file: src.name, hdu: hdu.index };
  const grid = tileGrid(p.naxis, p.tile);
  const npix = p.naxis.length === 0 ? 0 : p.naxis.reduce((a, b) => a * b, 1);
  if (npix === 0) return { p, grid, npix, where };
  const fail = (problem: string) => new FitsError(problem, where);
  checkMemory(hdu.dataSize, `the tile table and its heap (${hdu.header.int('NAXIS2')} tiles)`, fail);
  const maxTile = Math.min(
    p.tile.reduce((a, b) => a * b, 1),
    npix,
  );
  // one tile's buffers: the inflated bytes (up to 8 a pixel), the codec's values and the tile in the stored type
  checkMemory(
    maxTile * (16 + STORED_BYTES[p.storedDtype]!),
    `decoding one ${p.type} tile (${p.tile.join(' x ')} pixels)`,
    (problem) =>
      new FitsError(`${problem}; tiles this large cannot be decompressed here: compress the image in smaller tiles (ZTILEn)`, {
        ...where,
        keyword: 'ZTILE1',
      }),
    maxTile * 8,
  );
  const data = await src.read(hdu.dataOffset, hdu.dataSize);
  if (data.length < hdu.dataSize) throw new FitsError(`truncated data: ${data.length} of ${hdu.dataSize} bytes`, where);
  const table = new TileTable(data, hdu.header, where);
  if (table.nrows < grid.count) {
    throw new FitsError(`the image needs ${grid.count} tiles but the table has ${table.nrows} rows`, { ...where, keyword: 'NAXIS2' });
  }
  const column = (name: string) => table.column(name);
  const cols: TileColumns = { compressed: column('COMPRESSED_DATA')! };
  for (const [key, name] of [
    ['gzip', 'GZIP_COMPRESSED_DATA'],
    ['uncompressed', 'UNCOMPRESSED_DATA'],
    ['zscale', 'ZSCALE'],
    ['zzero', 'ZZERO'],
    ['zblank', 'ZBLANK'],
  ] as const) {
    const c = column(name);
    if (c) cols[key] = c;
  }
  checkTiles(p, grid, table, cols, npix);
  return { p, grid, npix, table, cols, where };
}

/** The fewest bytes a tile of `pixels` pixels can be stored in by `codec` (0 where a codec has no such floor). */
function fewestBytes(codec: string, p: CompressionParams, pixels: number): number {
  switch (codec) {
    case 'GZIP_1':
    case 'GZIP_2':
      return Math.ceil(pixels / DEFLATE_MAX_RATIO);
    case 'RICE_1':
      return Math.floor((Math.ceil(pixels / p.blocksize) * (RICE_FSBITS[p.bytepix] ?? 3)) / 8);
    case 'NOCOMPRESS':
    case 'RAW':
      return pixels;
    default:
      return 0; // PLIO_1 and HCOMPRESS_1 code a constant tile in a few words whatever its size
  }
}

/** The descriptor checks of {@link openTileSet}, over every tile's data column before any tile is decoded. */
function checkTiles(p: CompressionParams, grid: TileGrid, table: TileTable, cols: TileColumns, npix: number): void {
  const n = grid.count;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // the column decoding will read: COMPRESSED_DATA, else the lossless fallbacks (decode-tile.ts readTile)
    let col: TileColumn = cols.compressed;
    let codec: string = p.type;
    let at = table.heapSpan(col, t);
    if (at.length === 0 && cols.gzip) [col, codec, at] = [cols.gzip, 'GZIP_1', table.heapSpan(cols.gzip, t)];
    if (at.length === 0 && cols.uncompressed) [col, codec, at] = [cols.uncompressed, 'RAW', table.heapSpan(cols.uncompressed, t)];
    starts[t] = at.start;
    ends[t] = at.start + at.length;
    const least = at.length === 0 ? 0 : fewestBytes(codec, p, edgePixels(grid, t));
    if (at.length < least)
      throw table.error(
        col,
        t,
        `${at.length} bytes cannot hold the tile's ${edgePixels(grid, t)} pixels under ${codec === 'RAW' ? 'no compression' : codec} ` +
          `(at least ${least}): the tile table declares more than its data can expand to`,
      );
  }
  // tiles sorted by where their data starts: one whose data starts before the furthest end so far shares bytes
  const order = Array.from({ length: n }, (_, t) => t).filter((t) => ends[t]! > starts[t]!);
  order.sort((a, b) => starts[a]! - starts[b]! || a - b);
  let shared = 0;
  let first: [number, number] | undefined;
  let reach = -1;
  let reacher = -1;
  let distinct = 0;
  for (const t of order) {
    distinct += Math.max(0, ends[t]! - Math.max(starts[t]!, reach));
    if (starts[t]! < reach) {
      shared++;
      first ??= [reacher, t];
    }
    if (ends[t]! > reach) {
      reach = ends[t]!;
      reacher = t;
    }
  }
  if (!first) return;
  const [a, b] = first;
  const declared = npix * STORED_BYTES[p.storedDtype]!;
  throw table.error(
    cols.compressed,
    b,
    `tiles ${Math.min(a, b) + 1} and ${Math.max(a, b) + 1} point at the same heap bytes (from heap offset ` +
      `${starts[b]! - table.heapOffset}), and ${shared} tiles in all share another's: the table declares ` +
      `${formatByteSize(declared)} of pixels (${p.naxis.join(' x ')} ${p.storedDtype}) from ${formatByteSize(distinct)} of tile data, ` +
      'a decompression bomb (cfitsio and astropy never share tile data)',
  );
}

/** Pixels of tile `t`, cut at the image's far edges (tileBox without the box). */
function edgePixels(grid: TileGrid, t: number): number {
  let rest = t;
  let pixels = 1;
  for (let d = 0; d < grid.naxis.length; d++) {
    const i = rest % grid.across[d]!;
    rest = Math.floor(rest / grid.across[d]!);
    pixels *= Math.min(grid.tile[d]!, grid.naxis[d]! - i * grid.tile[d]!);
  }
  return pixels;
}

/**
 * Decodes tile `t` of a checked tile set into `out` (see decodeTile); a codec failure becomes a FitsError naming
 * the file, HDU, column and row.
 *
 * @example
 * decodeTileAt(tiles, t, tileBox(tiles.grid, t), buffer, true);
 */
export function decodeTileAt(s: TileSet, t: number, box: TileBox, out: PixelArray, blankToNaN: boolean): void {
  try {
    decodeTile(s.p, s.table!, s.cols!, t, box, out, blankToNaN);
  } catch (e) {
    if (e instanceof CodecError)
      throw new FitsError(
        `${s.p.type} tile ${t + 1} of ${s.grid.count}: ${e.message}`,
        { ...s.where, column: 'COMPRESSED_DATA', row: t + 1 },
        { cause: e },
      );
    throw e;
  }
}

/**
 * A typed array of a stored dtype.
 *
 * @example
 * allocatePixels('int16', 300 * 300);
 */
export function allocatePixels(dtype: string, n: number): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'float32':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}
