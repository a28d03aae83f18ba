import { CodecError } from './codec-error.js';
import { gzipDecompress } from './gzip.js';
import { hcompressDecompress } from './hcompress.js';
import type { CompressionParams } from './params.js';
import { plioDecompress } from './plio.js';
import { unquantize } from './quantize.js';
import { riceDecompress } from './rice.js';
import type { TileColumn, TileTable } from './table.js';
import type { PixelArray, TileBox } from './tiles.js';

/** The columns of the tile table that decoding uses (looked up once). */
export interface TileColumns {
  compressed: TileColumn;
  gzip?: TileColumn;
  uncompressed?: TileColumn;
  zscale?: TileColumn;
  zzero?: TileColumn;
  zblank?: TileColumn;
}

/** What a codec hands back: integers (the usual case) or values already of their final kind. */
type TileValues =
  | { kind: 'int'; values: Int32Array }
  | { kind: 'float'; values: Float32Array | Float64Array }
  | { kind: 'int64'; values: BigInt64Array };

/**
 * Decodes tile `row` (0-based), whose place in the image is `box`, into `out`, an array of the image's stored type (ZBITPIX),
 * applying ZSCALE/ZZERO and dithering for quantized floats (ZBLANK pixels NaN when `blankToNaN`). Codec failures surface as CodecError; the caller
 * names the file, HDU, column and row.
 *
 * @example
 * decodeTile(params, table, columns, 0, tileBox(grid, 0), tileBuffer);
 */
export function decodeTile(
  p: CompressionParams,
  table: TileTable,
  cols: TileColumns,
  row: number,
  box: TileBox,
  out: PixelArray,
  blankToNaN = true,
): void {
  const npix = box.pixels;
  const zscale = cols.zscale ? table.scalar(cols.zscale, row) : (p.zscale ?? 1);
  const zzero = cols.zzero ? table.scalar(cols.zzero, row) : (p.zzero ?? 0);
  const zblank = cols.zblank ? table.scalar(cols.zblank, row) : p.zblank;
  const tile = readTile(p, table, cols, row, box);
  if (tile.values.length < npix) throw new CodecError(`the tile holds ${tile.values.length} pixels, ${npix} expected`);

  if (out instanceof Float32Array || out instanceof Float64Array) {
    if (tile.kind === 'float') {
      for (let i = 0; i < npix; i++) out[i] = tile.values[i]!;
      return;
    }
    if (tile.kind === 'int64' || p.quantize === 'NONE')
      throw new CodecError(`${p.type} tile of integers in a float image without quantization (no ZSCALE)`);
    const ints = tile.values;
    const q = { method: p.quantize, scale: zscale, zero: zzero, dither0: p.dither0, tile: row + 1 };
    unquantize(ints, out, 0, npix, zblank === undefined || !blankToNaN ? q : { ...q, blank: zblank });
    return;
  }
  if (tile.kind === 'float') throw new CodecError('a tile of floats in an integer image');
  if (out instanceof BigInt64Array) {
    if (tile.kind === 'int64') out.set(tile.values.subarray(0, npix));
    else for (let i = 0; i < npix; i++) out[i] = BigInt(scaleInt(tile.values[i]!, zscale, zzero));
    return;
  }
  const [lo, hi] = out instanceof Uint8Array ? [0, 255] : out instanceof Int16Array ? [-32768, 32767] : [-2147483648, 2147483647];
  const ints = tile.kind === 'int64' ? int64ToNumbers(tile.values, npix) : tile.values;
  if (zscale !== 1 || zzero !== 0) {
    for (let i = 0; i < npix; i++) checkedStore(out, i, scaleInt(ints[i]!, zscale, zzero), lo, hi, p.zbitpix);
    return;
  }
  for (let i = 0; i < npix; i++) {
    const v = ints[i]!;
    if (v < lo || v > hi) outOfRange(i, v, p.zbitpix);
    out[i] = v;
  }
}

function checkedStore(out: Uint8Array | Int16Array | Int32Array, i: number, v: number, lo: number, hi: number, zbitpix: number): void {
  if (!(v >= lo && v <= hi)) outOfRange(i, v, zbitpix);
  out[i] = v;
}

function outOfRange(i: number, v: number, zbitpix: number): never {
  throw new CodecError(`pixel ${i + 1} of the tile (${v}) is out of range for BITPIX ${zbitpix}`);
}

function int64ToNumbers(values: BigInt64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(values[i]!);
  return out;
}

/** cfitsio's scaling of integer tiles: `v * ZSCALE + ZZERO`, rounded half away from zero. */
function scaleInt(v: number, scale: number, zero: number): number {
  if (scale === 1 && zero === 0) return v;
  const d = v * scale + zero;
  return d >= 0 ? Math.floor(d + 0.5) : Math.ceil(d - 0.5);
}

/** Coefficients of a decoded HCOMPRESS tile as 32-bit integers, as cfitsio stores them. */
function toInt32(values: Float64Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v >= -2147483648 && v <= 2147483647)) throw new CodecError(`decoded value ${v} at pixel ${i + 1} is out of the 32-bit range`);
    out[i] = v;
  }
  return out;
}

function readTile(p: CompressionParams, table: TileTable, cols: TileColumns, row: number, box: TileBox): TileValues {
  const npix = box.pixels;
  const bytes = table.heapBytes(cols.compressed, row);
  if (bytes.length > 0) return decompress(p, cols.compressed, bytes, box);
  // tiles that could not be quantized are stored losslessly in these columns instead
  if (cols.gzip) {
    const gz = table.heapBytes(cols.gzip, row);
    if (gz.length > 0) {
      // raw big-endian pixels, never shuffled (not even under GZIP_2)
      const { bytes: raw, size } = gzipDecompress(gz, npix, false);
      return bigEndianValues(raw, size, p.zbitpix < 0, npix);
    }
  }
  if (cols.uncompressed) {
    const raw = table.heapBytes(cols.uncompressed, row);
    if (raw.length > 0) {
      const code = cols.uncompressed.tform.elementCode;
      return bigEndianValues(raw, cols.uncompressed.elementBytes, code === 'E' || code === 'D', npix);
    }
  }
  throw new CodecError('the tile has no data (empty COMPRESSED_DATA and no other data column)');
}

function decompress(p: CompressionParams, col: TileColumn, bytes: Uint8Array, box: TileBox): TileValues {
  const npix = box.pixels;
  switch (p.type) {
    case 'RICE_1':
      if (p.bytepix === 8) throw new CodecError('RICE_1 with BYTEPIX 8 is not defined');
      return { kind: 'int', values: riceDecompress(bytes, npix, p.bytepix, p.blocksize) };
    case 'GZIP_1':
    case 'GZIP_2': {
      const { bytes: raw, size } = gzipDecompress(bytes, npix, p.type === 'GZIP_2');
      return bigEndianValues(raw, size, p.zbitpix < 0 && p.quantize === 'NONE', npix);
    }
    case 'PLIO_1': {
      if (col.elementBytes !== 2) throw new CodecError(`PLIO_1 expects 16-bit words (TFORM 1PI), found ${col.elementBytes}-byte elements`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const words = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < words.length; i++) words[i] = view.getInt16(2 * i);
      return { kind: 'int', values: plioDecompress(words, npix) };
    }
    case 'HCOMPRESS_1': {
      const t = hcompressDecompress(bytes, p.smooth, npix);
      // the stream's fast dimension must be the tile's axis 1, or the pixels would land transposed
      if (t.ny !== box.shape[0])
        throw new CodecError(`HCOMPRESS_1: the stream is ${t.nx} x ${t.ny} (slow x fast), the tile ${box.shape.join(' x ')} (FITS order)`);
      return { kind: 'int', values: toInt32(t.data, npix) };
    }
    case 'NOCOMPRESS': {
      const size = npix === 0 ? 1 : bytes.length / npix;
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8)
        throw new CodecError(`NOCOMPRESS tile of ${bytes.length} bytes for ${npix} pixels`);
      return bigEndianValues(bytes, size, p.zbitpix < 0 && p.quantize === 'NONE', npix);
    }
  }
}

/** Big-endian elements of `size` bytes as native values: floats, or integers (1-byte ones unsigned). */
function bigEndianValues(raw: Uint8Array, size: number, float: boolean, npix: number): TileValues {
  if (raw.length < size * npix) throw new CodecError(`the tile holds ${raw.length} bytes, ${size * npix} expected`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (float) {
    if (size === 4) {
      const v = new Float32Array(npix);
      for (let i = 0; i < npix; i++) v[i] = view.getFloat32(4 * i);
      return { kind: 'float', values: v };
    }
    if (size === 8) {
      const v = new Float64Array(npix);
      for (let i = 0; i < npix; i++) v[i] = view.getFloat64(8 * i);
      return { kind: 'float', values: v };
    }
    throw new CodecError(`a float tile with ${size}-byte elements`);
  }
  switch (size) {
    case 1:
      return { kind: 'int', values: Int32Array.from(raw.subarray(0, npix)) };
    case 2: {
      const v = new Int32Array(npix);
      for (let i = 0; i < npix; i++) v[i] = view.getInt16(2 * i);
      return { kind: 'int', values: v };
    }
    case 4: {
      const v = new Int32Array(npix);
      for (let i = 0; i < npix; i++) v[i] = view.getInt32(4 * i);
      return { kind: 'int', values: v };
    }
    default: {
      const v = new BigInt64Array(npix);
      for (let i = 0; i < npix; i++) v[i] = view.getBigInt64(8 * i);
      return { kind: 'int64', values: v };
    }
  }
}
