/**
 * The tile grid of a compressed image: tiles of ZTILEn pixels cover the image in FITS order (axis 1 fastest),
 * one table row per tile, the tiles at the far edge of each axis cut short. Placing a decoded tile copies its
 * rows (axis-1 runs) into the image.
 */

/** Typed arrays a tile or image is decoded into. */
export type PixelArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** The tile grid of an image (see `tileGrid`). */
export interface TileGrid {
  naxis: number[];
  tile: number[];
  /** Tiles along each axis. */
  across: number[];
  /** Tiles in all. */
  count: number;
}

/**
 * The tile grid of an image of `naxis` pixels cut into tiles of `tile` pixels (both FITS order).
 *
 * @example
 * const g = tileGrid([300, 300], [300, 1]); // g.count 300
 */
export function tileGrid(naxis: number[], tile: number[]): TileGrid {
  const across = naxis.map((n, i) => Math.ceil(n / tile[i]!));
  const count = naxis.length === 0 ? 0 : across.reduce((a, b) => a * b, 1);
  return { naxis, tile, across, count };
}

/** Where tile `t` (0-based) starts in the image and its (possibly cut) shape, FITS order. */
export interface TileBox {
  start: number[];
  shape: number[];
  pixels: number;
}

/**
 * The box of tile `t` (0-based, the table row).
 *
 * @example
 * tileBox(tileGrid([11, 9], [5, 4]), 2) // { start: [10, 0], shape: [1, 4], pixels: 4 }
 */
export function tileBox(g: TileGrid, t: number): TileBox {
  const start: number[] = [];
  const shape: number[] = [];
  let rest = t;
  let pixels = 1;
  for (let d = 0; d < g.naxis.length; d++) {
    const i = rest % g.across[d]!;
    rest = Math.floor(rest / g.across[d]!);
    const s = i * g.tile[d]!;
    const n = Math.min(g.tile[d]!, g.naxis[d]! - s);
    start.push(s);
    shape.push(n);
    pixels *= n;
  }
  return { start, shape, pixels };
}

/**
 * Copies a decoded tile (its pixels contiguous, axis 1 fastest) into the image at its box.
 * `tile` and `image` must be the same kind of typed array.
 *
 * @example
 * placeTile(grid, tileBox(grid, 7), tilePixels, image);
 */
export function placeTile(g: TileGrid, box: TileBox, tile: PixelArray, image: PixelArray): void {
  const nd = g.naxis.length;
  const width = box.shape[0]!;
  const rows = box.pixels / width;
  // strides of the image per axis
  const stride: number[] = [1];
  for (let d = 1; d < nd; d++) stride.push(stride[d - 1]! * g.naxis[d - 1]!);
  let base = 0;
  for (let d = 0; d < nd; d++) base += box.start[d]! * stride[d]!;
  if (isContiguous(g, box)) {
    (image as Float64Array).set(tile.subarray(0, box.pixels) as Float64Array, base);
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  for (let r = 0; r < rows; r++) {
    let off = base;
    for (let d = 1; d < nd; d++) off += idx[d]! * stride[d]!;
    (image as Float64Array).set(tile.subarray(r * width, (r + 1) * width) as Float64Array, off);
    for (let d = 1; d < nd; d++) {
      if (++idx[d]! < box.shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** Whether the box is one contiguous run of the image: every axis but the slowest it spans is whole. */
function isContiguous(g: TileGrid, box: TileBox): boolean {
  let d = 0;
  while (d < g.naxis.length && box.shape[d] === g.naxis[d]) d++;
  // axes after the first partial one must be 1 long
  for (let e = d + 1; e < g.naxis.length; e++) if (box.shape[e] !== 1) return false;
  return true;
}
