import type { ImageArray } from '../image/fits-image.js';

/**
 * Running statistics over many typed-array chunks: count of values, NaN count, min/max over finite values, an exact sum
 * for integers (bigint once past 2^53) and a compensated (Neumaier) sum of finite floats, count of true logicals.
 * Each `add*` loop is monomorphic so it stays fast over 10^8 values.
 */
export class StatsAccumulator {
  count = 0;
  /** Null elements seen (TNULL, undefined logicals). */
  nullCount = 0;
  nanCount = 0;
  countTrue = 0;
  private kind: 'int' | 'float' | 'bool' | 'other' = 'other';
  private min = Infinity;
  private max = -Infinity;
  private intSum = 0n;
  private floatSum = 0;
  private floatComp = 0;
  private bigMin?: bigint;
  private bigMax?: bigint;

  /** Integers that fit in a double exactly (8/16/32-bit). */
  addInts(a: ArrayLike<number>, start: number, end: number, valid?: (i: number) => boolean): void {
    this.kind = 'int';
    let s = 0;
    let mn = this.min;
    let mx = this.max;
    let n = 0;
    for (let i = start; i < end; i++) {
      if (valid && !valid(i)) continue;
      const v = a[i]!;
      s += v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      n++;
      // 2^20 values of at most 2^32 keep s below 2^53
      if ((n & 0xfffff) === 0) {
        this.intSum += BigInt(s);
        s = 0;
      }
    }
    this.intSum += BigInt(s);
    this.min = mn;
    this.max = mx;
    this.count += n;
  }

  /** 64-bit integers through their 32-bit halves (little-endian host): no BigInt per value. */
  addInt64(words: Int32Array, start: number, end: number, unsigned: boolean, valid?: (i: number) => boolean): void {
    this.kind = 'int';
    let hiSum = 0;
    let loSum = 0;
    let n = 0;
    let minHi = Infinity,
      minLo = Infinity,
      maxHi = -Infinity,
      maxLo = -Infinity;
    for (let i = start; i < end; i++) {
      if (valid && !valid(i)) continue;
      const lo = words[2 * i]! >>> 0;
      const hi = unsigned ? words[2 * i + 1]! >>> 0 : words[2 * i + 1]!;
      hiSum += hi;
      loSum += lo;
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
        maxHi = hi;
        maxLo = lo;
      }
      n++;
      if ((n & 0xfffff) === 0) {
        // 2^20 halves of < 2^32 keep both sums exact
        this.intSum += (BigInt(hiSum) << 32n) + BigInt(loSum);
        hiSum = loSum = 0;
      }
    }
    this.endInt64Run(hiSum, loSum, n, minHi, minLo, maxHi, maxLo);
  }

  /**
   * Floats: NaNs counted, infinities skipped, the finite ones summed with their exact rounding errors (Knuth's
   * branch-free TwoSum: the same error term as Neumaier's |s| >= |v| test, so the same sum to the last bit, without a
   * branch the CPU cannot predict), min and max.
   */
  addFloats(a: Float32Array | Float64Array, start: number, end: number, valid?: (i: number) => boolean): void {
    this.kind = 'float';
    if (!valid) this.addFloatRun(a, start, end);
    else for (let i = start; i < end; i++) if (valid(i)) this.addFloatRun(a, i, i + 1);
  }

  private addFloatRun(a: Float32Array | Float64Array, start: number, end: number): void {
    let sum = this.floatSum;
    let comp = this.floatComp;
    let mn = this.min;
    let mx = this.max;
    let nan = 0;
    for (let i = start; i < end; i++) {
      const v = a[i]!;
      if (v - v !== 0) {
        // NaN or an infinity: the one rare branch
        if (v !== v) nan++;
        continue;
      }
      const t = sum + v;
      const bp = t - sum;
      comp += sum - (t - bp) + (v - bp);
      sum = t;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    this.floatSum = sum;
    this.floatComp = comp;
    this.min = mn;
    this.max = mx;
    this.count += end - start;
    this.nanCount += nan;
  }

  /**
   * Big-endian float cells read straight from row bytes (`rows` rows of `stride` bytes, `count` values of `bytes` bytes
   * from `base`): the same values in the same order as decoding them and calling {@link addFloats}, so the same figures,
   * without the decoded copy. Its loop is addFloatRun's on purpose: one shared loop over DataViews for both (typed
   * arrays read little-endian) turned polymorphic and ran 3x slower (7-10 ns a value).
   */
  addFloatCells(dv: DataView, base: number, stride: number, rows: number, count: number, bytes: 4 | 8): void {
    this.kind = 'float';
    let sum = this.floatSum;
    let comp = this.floatComp;
    let mn = this.min;
    let mx = this.max;
    let nan = 0;
    for (let r = 0, p = base; r < rows; r++, p += stride) {
      for (let k = 0, q = p; k < count; k++, q += bytes) {
        const v = bytes === 4 ? dv.getFloat32(q) : dv.getFloat64(q);
        if (v - v !== 0) {
          if (v !== v) nan++;
          continue;
        }
        const t = sum + v;
        const bp = t - sum;
        comp += sum - (t - bp) + (v - bp);
        sum = t;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
    }
    this.floatSum = sum;
    this.floatComp = comp;
    this.min = mn;
    this.max = mx;
    this.count += rows * count;
    this.nanCount += nan;
  }

  /** Big-endian 64-bit integer cells read straight from row bytes (see {@link addFloatCells}); `unsigned`: TZERO 2^63. */
  addInt64Cells(dv: DataView, base: number, stride: number, rows: number, count: number, unsigned: boolean): void {
    this.kind = 'int';
    let hiSum = 0;
    let loSum = 0;
    let n = 0;
    let minHi = Infinity,
      minLo = Infinity,
      maxHi = -Infinity,
      maxLo = -Infinity;
    for (let r = 0, p = base; r < rows; r++, p += stride) {
      for (let k = 0, q = p; k < count; k++, q += 8) {
        const lo = dv.getUint32(q + 4);
        const hi = unsigned ? (dv.getInt32(q) ^ 0x80000000) >>> 0 : dv.getInt32(q);
        hiSum += hi;
        loSum += lo;
        if (hi < minHi || (hi === minHi && lo < minLo)) {
          minHi = hi;
          minLo = lo;
        }
        if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
          maxHi = hi;
          maxLo = lo;
        }
        n++;
        if ((n & 0xfffff) === 0) {
          // 2^20 halves of < 2^32 keep both sums exact
          this.intSum += (BigInt(hiSum) << 32n) + BigInt(loSum);
          hiSum = loSum = 0;
        }
      }
    }
    this.endInt64Run(hiSum, loSum, n, minHi, minLo, maxHi, maxLo);
  }

  /** The end of an int64 run: the sums of its halves into the exact sum, its extremes (as hi/lo halves) into min/max. */
  private endInt64Run(hiSum: number, loSum: number, n: number, minHi: number, minLo: number, maxHi: number, maxLo: number): void {
    this.intSum += (BigInt(hiSum) << 32n) + BigInt(loSum);
    this.count += n;
    if (n === 0) return;
    const mn = (BigInt(minHi) << 32n) + BigInt(minLo);
    const mx = (BigInt(maxHi) << 32n) + BigInt(maxLo);
    if (this.bigMin === undefined || mn < this.bigMin) this.bigMin = mn;
    if (this.bigMax === undefined || mx > this.bigMax) this.bigMax = mx;
  }

  /** Arrow boolean bitmaps (LSB first) from bit `start` to `end`. */
  addBools(bits: Uint8Array, start: number, end: number, valid?: (i: number) => boolean): void {
    this.kind = 'bool';
    for (let i = start; i < end; i++) {
      if (valid && !valid(i)) continue;
      this.count++;
      if ((bits[i >> 3]! >> (i & 7)) & 1) this.countTrue++;
    }
  }

  /** Values with no numeric summary (strings): counted only. */
  addOther(n: number): void {
    this.count += n;
  }

  /** The summary as JSON-safe values: integers exact (a number below 2^53, else a decimal string). */
  summary(): {
    count: number;
    nullCount: number;
    nanCount: number;
    min: number | string | null;
    max: number | string | null;
    sum: number | string | null;
    countTrue: number | null;
  } {
    const exact = (v: bigint) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
    const base = {
      count: this.count,
      nullCount: this.nullCount,
      nanCount: this.nanCount,
      countTrue: this.kind === 'bool' ? this.countTrue : null,
    };
    if (this.kind === 'int') {
      if (this.bigMin !== undefined || this.bigMax !== undefined) {
        return {
          ...base,
          min: this.bigMin === undefined ? null : exact(this.bigMin),
          max: this.bigMax === undefined ? null : exact(this.bigMax),
          sum: exact(this.intSum),
        };
      }
      return { ...base, min: this.count ? this.min : null, max: this.count ? this.max : null, sum: exact(this.intSum) };
    }
    if (this.kind === 'float') {
      const finite = this.min <= this.max;
      return { ...base, min: finite ? this.min : null, max: finite ? this.max : null, sum: this.floatSum + this.floatComp };
    }
    return { ...base, min: null, max: null, sum: null };
  }
}

/** An Arrow-style validity bitmap (LSB first) as a predicate. */
export function bitmapValidity(bitmap: Uint8Array): (i: number) => boolean {
  return (i: number) => ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;
}

/**
 * Adds elements [start, end) of a native numeric array (image pixels, decoded column values) to `acc`, picking the
 * accumulator loop by element type; `valid` skips null elements.
 *
 * @example
 * addTyped(acc, img.data);
 */
export function addTyped(acc: StatsAccumulator, a: ImageArray, start = 0, end = a.length, valid?: (i: number) => boolean): void {
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    acc.addInt64(new Int32Array(a.buffer, a.byteOffset, a.length * 2), start, end, a instanceof BigUint64Array, valid);
  } else if (a instanceof Float32Array || a instanceof Float64Array) acc.addFloats(a, start, end, valid);
  else acc.addInts(a, start, end, valid);
}
