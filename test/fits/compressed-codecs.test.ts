import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  ditherTable,
  gzipDecompress,
  hcompressDecompress,
  N_RANDOM,
  physicalDtype,
  placeTile,
  plioDecompress,
  riceDecompress,
  tileBox,
  tileGrid,
  unquantize,
  unshuffle,
  ZERO_VALUE,
} from '../../lib/fits/compressed/index.js';

// ---------------------------------------------------------------------------------------------------------------
// A small Rice encoder (written for this test from the format's description) to round-trip the decoder.

class BitWriter {
  private bytes: number[] = [];
  private cur = 0;
  private n = 0;
  bit(b: number): void {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.n === 8) {
      this.bytes.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
  bits(value: number, width: number): void {
    for (let k = width - 1; k >= 0; k--) this.bit(Math.floor(value / 2 ** k) % 2);
  }
  done(): Uint8Array {
    while (this.n !== 0) this.bit(0);
    return Uint8Array.from(this.bytes);
  }
}

const RICE = { 1: { fsbits: 3, fsmax: 6 }, 2: { fsbits: 4, fsmax: 14 }, 4: { fsbits: 5, fsmax: 25 } } as const;

/** Rice-encodes values (unsigned for bytepix 1, signed for 2 and 4); `fsFor` picks each block's FS. */
function riceEncode(values: number[], bytepix: 1 | 2 | 4, blocksize: number, fsFor?: (diffs: number[]) => number): Uint8Array {
  const { fsbits, fsmax } = RICE[bytepix];
  const bbits = 8 * bytepix;
  const mod = 2 ** bbits;
  const w = new BitWriter();
  const unsigned = (v: number): number => ((v % mod) + mod) % mod;
  let last = values.length ? unsigned(values[0]!) : 0;
  w.bits(last, bbits);
  for (let i = 0; i < values.length; i += blocksize) {
    const diffs = values.slice(i, i + blocksize).map((v) => {
      const u = unsigned(v);
      let d = unsigned(u - last);
      if (d >= mod / 2) d -= mod; // as a signed difference in the pixel width
      last = u;
      return d >= 0 ? 2 * d : -2 * d - 1;
    });
    const fs = fsFor ? fsFor(diffs) : Math.max(0, Math.floor(Math.log2(Math.max(1, diffs.reduce((a, b) => a + b, 0) / diffs.length))));
    if (diffs.every((d) => d === 0)) {
      w.bits(0, fsbits);
    } else if (fs >= fsmax) {
      w.bits(fsmax + 1, fsbits);
      for (const d of diffs) w.bits(d, bbits);
    } else {
      w.bits(fs + 1, fsbits);
      for (const d of diffs) {
        const top = Math.floor(d / 2 ** fs);
        for (let z = 0; z < top; z++) w.bit(0);
        w.bit(1);
        w.bits(d % 2 ** fs, fs);
      }
    }
  }
  return w.done();
}

describe('riceDecompress', () => {
  it('decodes hand-made streams: a constant block, and raw high-entropy differences', () => {
    // BYTEPIX 2, first value 5, then FS code 0 (all differences zero)
    expect(Array.from(riceDecompress(Uint8Array.of(0x00, 0x05, 0x00), 3, 2, 32))).toEqual([5, 5, 5]);
    // BYTEPIX 1, first value 10, FS code 7 (= fsmax + 1: raw 8-bit zigzag differences 2 -> +1, 3 -> -2)
    // bits: 111 00000010 00000011 (padded): 0xE0 0x40 0x60
    expect(Array.from(riceDecompress(Uint8Array.of(10, 0xe0, 0x40, 0x60), 2, 1, 32))).toEqual([11, 9]);
  });

  it('round-trips through an independent encoder for BYTEPIX 1, 2 and 4, every FS path', () => {
    const widths = { 1: [0, 255], 2: [-32768, 32767], 4: [-2147483648, 2147483647] } as const;
    for (const bytepix of [1, 2, 4] as const) {
      const [lo, hi] = widths[bytepix];
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.integer({ min: lo, max: hi }), fc.integer({ min: Math.max(lo, -3), max: 3 })), {
            minLength: 1,
            maxLength: 300,
          }),
          fc.constantFrom(1, 16, 32),
          fc.integer({ min: 0, max: RICE[bytepix].fsmax + 1 }),
          (values, blocksize, fixedFs) => {
            // a fixed FS, unless its unary prefixes would run past 2000 bits: then the block goes raw
            const pick = (diffs: number[]): number =>
              fixedFs <= RICE[bytepix].fsmax && Math.max(...diffs) / 2 ** fixedFs <= 2000 ? fixedFs : RICE[bytepix].fsmax;
            const bytes = riceEncode(values, bytepix, blocksize, pick);
            expect(Array.from(riceDecompress(bytes, values.length, bytepix, blocksize))).toEqual(values);
          },
        ),
        { numRuns: 150 },
      );
    }
  });

  it('fails with CodecError on truncated or garbage input, without hanging', () => {
    const good = riceEncode([1, 2, 3, 4, 1000, -1000, 7, 7, 7], 4, 32);
    for (let cut = 0; cut < good.length; cut++) expect(() => riceDecompress(good.subarray(0, cut), 9, 4, 32)).toThrow(CodecError);
    expect(() => riceDecompress(good, 9, 3, 32)).toThrow(/unsupported BYTEPIX 3/);
    expect(() => riceDecompress(good, 9, 4, 0)).toThrow(/invalid BLOCKSIZE/);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom(1, 2, 4),
        (bytes, npix, bytepix) => {
          try {
            expect(riceDecompress(bytes, npix, bytepix, 32)).toHaveLength(npix);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('gzipDecompress / unshuffle', () => {
  const be16 = (values: number[]): Uint8Array => {
    const b = new Uint8Array(values.length * 2);
    values.forEach((v, i) => new DataView(b.buffer).setInt16(2 * i, v));
    return b;
  };

  it('GZIP_1: inflates and infers the element size from the length', () => {
    const raw = be16([1, -2, 300, 32767]);
    const { bytes, size } = gzipDecompress(gzipSync(raw), 4, false);
    expect(size).toBe(2);
    expect(Array.from(bytes)).toEqual(Array.from(raw));
    expect(gzipDecompress(gzipSync(new Uint8Array(32)), 4, false).size).toBe(8);
  });

  it('GZIP_2: un-shuffles the bytes (all first bytes, then all second bytes)', () => {
    expect(Array.from(unshuffle(Uint8Array.of(0x01, 0x03, 0x02, 0x04), 2))).toEqual([0x01, 0x02, 0x03, 0x04]);
    const raw = be16([258, -1, 4096]);
    const shuffled = Uint8Array.from([...[0, 2, 4].map((i) => raw[i]!), ...[1, 3, 5].map((i) => raw[i]!)]);
    expect(Array.from(gzipDecompress(gzipSync(shuffled), 3, true).bytes)).toEqual(Array.from(raw));
  });

  it('rejects non-gzip data, a wrong inflated size, and a stream that inflates past the tile', () => {
    expect(() => gzipDecompress(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 2, false)).toThrow(
      /not a gzip stream/,
    );
    expect(() => gzipDecompress(gzipSync(new Uint8Array(6)), 4, false)).toThrow(/not 1, 2, 4 or 8 bytes/);
    const bomb = gzipSync(new Uint8Array(20_000_000));
    const t0 = performance.now();
    expect(() => gzipDecompress(bomb, 100, false)).toThrow(/inflates to more than 800 bytes/);
    expect(performance.now() - t0).toBeLessThan(1000);
    const good = gzipSync(be16([1, 2, 3]));
    expect(() => gzipDecompress(good.subarray(0, good.length - 6), 3, false)).toThrow(CodecError);
  });
});

describe('plioDecompress', () => {
  /** A line list with the new-style header (7 words) and the given instructions. */
  const list = (...ops: number[]): Int16Array => Int16Array.from([0, 7, -100, 7 + ops.length, 0, 0, 0, ...ops]);
  const op = (code: number, data: number): number => code * 4096 + data;

  it('decodes every instruction: zero runs, high runs, set/increment/decrement, store', () => {
    const words = list(
      op(0, 3), // 3 zeros
      op(1, 1000 & 4095),
      1000 >> 12, // high = 1000
      op(4, 2), // 2 pixels at 1000
      op(2, 5), // high 1005
      op(5, 3), // 2 zeros then 1005
      op(7, 10), // high 995, store
      op(6, 1), // high 996, store
      op(3, 6), // high 990
      op(4, 1), // 990
    );
    expect(Array.from(plioDecompress(words, 13))).toEqual([0, 0, 0, 1000, 1000, 0, 0, 1005, 995, 996, 990, 0, 0]);
  });

  it('starts with high value 1, reads the old header, cuts runs at the tile end', () => {
    expect(Array.from(plioDecompress(Int16Array.from([0, 0, 4, op(4, 5)]), 3))).toEqual([1, 1, 1]);
    expect(Array.from(plioDecompress(list(op(1, 5000 & 4095), 5000 >> 12, op(5, 4)), 2))).toEqual([0, 0]);
    expect(Array.from(plioDecompress(list(op(1, 70000 & 4095), 70000 >> 12, op(4, 2)), 2))).toEqual([70000, 70000]);
  });

  it('rejects malformed lists with CodecError and never runs past the words', () => {
    expect(() => plioDecompress(Int16Array.of(0, 7), 4)).toThrow(/too short/);
    expect(() => plioDecompress(Int16Array.from([0, 7, -100, 50, 0, 0, 0, op(4, 2)]), 4)).toThrow(/declares 50 words/);
    expect(() => plioDecompress(list(op(1, 5)), 4)).toThrow(/without its second word/);
    expect(() => plioDecompress(list(-5), 4)).toThrow(/invalid instruction/);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 100 }), fc.integer({ min: 0, max: 10000 }), (w, npix) => {
        try {
          expect(plioDecompress(Int16Array.from(w), npix)).toHaveLength(npix);
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('hcompressDecompress', () => {
  /** Header of an H-compressed stream: magic, nx, ny, scale, top coefficient, bit planes. */
  const header = (nx: number, ny: number, scale: number, sum: number, planes: [number, number, number]): number[] => {
    const b = new Uint8Array(25);
    const v = new DataView(b.buffer);
    b[0] = 0xdd;
    b[1] = 0x99;
    v.setInt32(2, nx);
    v.setInt32(6, ny);
    v.setInt32(10, scale);
    v.setBigInt64(14, BigInt(sum));
    b.set(planes, 22);
    return Array.from(b);
  };

  it('decodes a hand-made 2 x 2 tile: only the top coefficient (4 x the mean), no bit planes', () => {
    const t = hcompressDecompress(Uint8Array.from([...header(2, 2, 0, 400, [0, 0, 0]), 0x00]), false, 4);
    expect({ nx: t.nx, ny: t.ny, data: Array.from(t.data) }).toEqual({ nx: 2, ny: 2, data: [100, 100, 100, 100] });
  });

  it('rejects a bad magic number, a short header, a size mismatch, a missing end code, truncation', () => {
    expect(() => hcompressDecompress(Uint8Array.from([0xdd, 0x98, ...header(2, 2, 0, 0, [0, 0, 0]).slice(2), 0]), false)).toThrow(
      /bad magic/,
    );
    expect(() => hcompressDecompress(Uint8Array.of(0xdd, 0x99, 0, 0), false)).toThrow(/too short/);
    expect(() => hcompressDecompress(Uint8Array.from([...header(2, 2, 0, 0, [0, 0, 0]), 0]), false, 9)).toThrow(
      /holds 2 x 2 pixels, the tile 9/,
    );
    expect(() => hcompressDecompress(Uint8Array.from([...header(2, 2, 0, 0, [0, 0, 0]), 0x50]), false)).toThrow(/no end code/);
    expect(() => hcompressDecompress(Uint8Array.from(header(2, 2, 0, 0, [3, 3, 3])), false)).toThrow(/compressed data end/);
    expect(() => hcompressDecompress(Uint8Array.from(header(100000, 100000, 0, 0, [3, 3, 3])), false)).toThrow(/invalid tile size/);
  });

  it('fuzzed streams (valid header, random bit planes) end in values or CodecError, quickly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })),
        fc.uint8Array({ maxLength: 400 }),
        fc.boolean(),
        (nx, ny, scale, planes, body, smooth) => {
          try {
            expect(hcompressDecompress(Uint8Array.from([...header(nx, ny, scale, 1000, planes), ...body]), smooth).data).toHaveLength(
              nx * ny,
            );
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('dither table and unquantize', () => {
  const r = ditherTable();

  it("is the standard's Park–Miller sequence, rounded to float32", () => {
    expect(r).toHaveLength(N_RANDOM);
    expect(r[0]).toBe(Math.fround(16807 / 2147483647));
    expect(r[1]).toBe(Math.fround(((16807 * 16807) % 2147483647) / 2147483647));
    expect(r.every((x) => x > 0 && x < 1 && x === Math.fround(x))).toBe(true);
  });

  it("NO_DITHER is i * scale + zero; SUBTRACTIVE_DITHER_1 subtracts the tile's offsets", () => {
    const ints = Int32Array.of(0, 10, -7);
    const out = new Float64Array(3);
    unquantize(ints, out, 0, 3, { method: 'NO_DITHER', scale: 0.5, zero: 3, dither0: 1, tile: 1 });
    expect(Array.from(out)).toEqual([3, 8, -0.5]);
    // tile 3, ZDITHER0 5: seed index (3 - 1 + 5 - 1) % 10000 = 6, first offset index trunc(r[6] * 500)
    unquantize(ints, out, 0, 3, { method: 'SUBTRACTIVE_DITHER_1', scale: 0.5, zero: 3, dither0: 5, tile: 3 });
    const k = Math.trunc(r[6]! * 500);
    expect(Array.from(out)).toEqual([0, 10, -7].map((v, i) => (v - r[k + i]! + 0.5) * 0.5 + 3));
  });

  it('walks to the next seed after offset 9999, and wraps the seed index past 9999', () => {
    const iseed = (10000 - 1 + 10000 - 1) % N_RANDOM; // tile 10000, ZDITHER0 10000 -> 9998
    const k0 = Math.trunc(r[iseed]! * 500);
    const n = N_RANDOM - k0 + 2;
    const out = new Float64Array(n);
    unquantize(new Int32Array(n), out, 0, n, { method: 'SUBTRACTIVE_DITHER_1', scale: 1, zero: 0, dither0: 10000, tile: 10000 });
    expect(out[N_RANDOM - k0 - 1]).toBe(-r[N_RANDOM - 1]! + 0.5);
    const k1 = Math.trunc(r[iseed + 1]! * 500);
    expect(out[N_RANDOM - k0]).toBe(-r[k1]! + 0.5);
    expect(out[N_RANDOM - k0 + 1]).toBe(-r[k1 + 1]! + 0.5);
  });

  it('SUBTRACTIVE_DITHER_2 keeps zeros exactly 0.0; ZBLANK becomes NaN; float32 output rounds once', () => {
    const out = new Float32Array(3);
    unquantize(Int32Array.of(ZERO_VALUE, -2147483647, 5), out, 0, 3, {
      method: 'SUBTRACTIVE_DITHER_2',
      scale: 0.1,
      zero: 1,
      dither0: 42,
      tile: 1,
      blank: -2147483647,
    });
    const k = Math.trunc(r[41]! * 500);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Math.fround((5 - r[k + 2]! + 0.5) * 0.1 + 1));
  });
});

describe('tile grid', () => {
  it('covers the image axis 1 fastest, cutting the last tiles', () => {
    const g = tileGrid([11, 9, 5], [5, 4, 2]);
    expect(g.across).toEqual([3, 3, 3]);
    expect(g.count).toBe(27);
    expect(tileBox(g, 0)).toEqual({ start: [0, 0, 0], shape: [5, 4, 2], pixels: 40 });
    expect(tileBox(g, 26)).toEqual({ start: [10, 8, 4], shape: [1, 1, 1], pixels: 1 });
    expect(tileBox(g, 5)).toEqual({ start: [10, 4, 0], shape: [1, 4, 2], pixels: 8 });
  });

  it('placing every tile rebuilds the image', () => {
    const naxis = [11, 9, 5];
    const g = tileGrid(naxis, [5, 4, 2]);
    const image = Int32Array.from({ length: 11 * 9 * 5 }, (_, i) => i);
    const rebuilt = new Int32Array(image.length);
    for (let t = 0; t < g.count; t++) {
      const box = tileBox(g, t);
      const tile = new Int32Array(box.pixels);
      let k = 0;
      for (let z = 0; z < box.shape[2]!; z++)
        for (let y = 0; y < box.shape[1]!; y++)
          for (let x = 0; x < box.shape[0]!; x++)
            tile[k++] = image[(box.start[2]! + z) * 99 + (box.start[1]! + y) * 11 + box.start[0]! + x]!;
      placeTile(g, box, tile, rebuilt);
    }
    expect(Array.from(rebuilt)).toEqual(Array.from(image));
  });
});

describe('physicalDtype (astropy 5.2 CompImageHDU rules)', () => {
  it.each([
    [16, 'int16', 1, 0, false, 'int16'],
    [16, 'int16', 1, 32768, false, 'uint16'],
    [16, 'int16', 1, 32768, true, 'float64'],
    [32, 'int32', 1, 2147483648, false, 'uint32'],
    [64, 'int64', 1, 2 ** 63, false, 'uint64'],
    [8, 'uint8', 1, -128, false, 'float32'],
    [16, 'int16', 2, 0, false, 'float32'],
    [16, 'int16', 2, 0, true, 'float32'],
    [32, 'int32', 0.5, 0, false, 'float64'],
    [-32, 'float32', 2, 1, true, 'float32'],
    [-64, 'float64', 2, 1, false, 'float64'],
  ] as const)('ZBITPIX %d (%s) BSCALE %d BZERO %d blank %s -> %s', (zbitpix, stored, bscale, bzero, blank, want) => {
    expect(physicalDtype(zbitpix, stored, bscale, bzero, blank)).toBe(want);
  });
});
