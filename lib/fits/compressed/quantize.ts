/**
 * Turning quantized integers back into floats (the FITS standard's tiled-image convention, section 10.2):
 * `value = (i - r + 0.5) * ZSCALE + ZZERO` with subtractive dithering, `i * ZSCALE + ZZERO` without.
 * The dither offsets r come from the standard's fixed table of 10,000 pseudo-random numbers, so the
 * result is bit-for-bit what cfitsio (and astropy, which calls it) produce.
 */

import { InternalError } from '../../errors/index.js';

/** How a float tile was quantized: ZQUANTIZ, with `NONE` meaning not quantized at all (lossless). */
export type QuantizeMethod = 'NONE' | 'NO_DITHER' | 'SUBTRACTIVE_DITHER_1' | 'SUBTRACTIVE_DITHER_2';

/** Size of the standard's random-number table. */
export const N_RANDOM = 10000;

/** The integer that SUBTRACTIVE_DITHER_2 writes for an exact 0.0 pixel. */
export const ZERO_VALUE = -2147483646;

let table: Float64Array | undefined;

/**
 * The 10,000 dither offsets of the standard: the Park–Miller generator (a = 16807, m = 2^31 - 1, seed 1),
 * each `seed / m` rounded to single precision as cfitsio stores them. Computed once, on first use.
 *
 * @example
 * const r = ditherTable(); // r[0] === Math.fround(16807 / 2147483647)
 */
export function ditherTable(): Float64Array {
  if (table) return table;
  const t = new Float64Array(N_RANDOM);
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  for (let i = 0; i < N_RANDOM; i++) {
    // a * seed < 2^46: exact in a double, so this is the integer recurrence itself
    const temp = a * seed;
    seed = temp - m * Math.floor(temp / m);
    t[i] = Math.fround(seed / m);
  }
  // the standard's self-check: the 10,000th seed is 1043618065
  if (seed !== 1043618065) throw new InternalError('dither table: Park–Miller self-check failed');
  table = t;
  return t;
}

/** Per-tile parameters of the inverse quantization. */
export interface Unquantize {
  method: QuantizeMethod;
  scale: number;
  zero: number;
  /** ZDITHER0, the 1-based seed of the dither sequence (default 1). */
  dither0: number;
  /** 1-based tile number (the table row). */
  tile: number;
  /** The integer that marks an undefined pixel (becomes NaN), if any. */
  blank?: number;
}

/**
 * Restores `n` float pixels of one tile from their quantized integers into `out` starting at `outOffset`.
 * Arithmetic is in double precision; a Float32Array target rounds once, as cfitsio's `(float)` cast does.
 *
 * @example
 * unquantize(ints, img, 0, ints.length, { method: 'SUBTRACTIVE_DITHER_1', scale: 0.01, zero: 5, dither0: 1, tile: 1 });
 */
export function unquantize(ints: Int32Array, out: Float32Array | Float64Array, outOffset: number, n: number, p: Unquantize): void {
  const { scale, zero } = p;
  const blank = p.blank ?? null;
  if (p.method === 'NO_DITHER' || p.method === 'NONE') {
    for (let i = 0; i < n; i++) {
      const v = ints[i]!;
      out[outOffset + i] = blank !== null && v === blank ? NaN : v * scale + zero;
    }
    return;
  }
  const rand = ditherTable();
  const dither2 = p.method === 'SUBTRACTIVE_DITHER_2';
  let iseed = (((p.tile - 1 + p.dither0 - 1) % N_RANDOM) + N_RANDOM) % N_RANDOM;
  let next = Math.trunc(rand[iseed]! * 500);
  for (let i = 0; i < n; i++) {
    const v = ints[i]!;
    let f: number;
    if (blank !== null && v === blank) f = NaN;
    else if (dither2 && v === ZERO_VALUE) f = 0.0;
    else f = (v - rand[next]! + 0.5) * scale + zero;
    out[outOffset + i] = f;
    next++;
    if (next === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      next = Math.trunc(rand[iseed]! * 500);
    }
  }
}
