import { Float32, Float64, Int64, List, FixedSizeList, Field, Utf8 } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnFormat, formatCell } from '../../lib/viz/index.js';

/** Significant digits of a number's text: no sign, exponent, leading zeros, or trailing zeros of a whole number. */
const significant = (text: string) => {
  const m = text.replace(/^-/, '').split('e')[0]!;
  return (m.includes('.') ? m.replace('.', '') : m.replace(/0+$/, '')).replace(/^0+/, '').length;
};

describe('formatCell: exact by default, to a column precision when asked', () => {
  it.each([
    // value, options, text
    [0.20043752985109645, {}, '0.20043752985109645'],
    [0.20043752985109645, { digits: 8 }, '0.20043753'],
    [155.29553664045602, { digits: 8 }, '155.29554'],
    [-0.28031620739237284, { digits: 8 }, '-0.28031621'],
    [3476.097861489662, { digits: 8 }, '3476.0979'],
    [0.4, { digits: 8 }, '0.4'], // shorter than the digits: as it is
    [2.0431, { digits: 8 }, '2.0431'],
    [15060, { digits: 8 }, '15060'], // whole numbers stay whole
    [123456789.5, { digits: 8 }, '1.2345679e+8'],
    [1.2345678912345e20, { digits: 8 }, '1.2345679e+20'],
    [1.23456789e-7, { digits: 8 }, '1.2345679e-7'],
    [0.000012345, { digits: 8 }, '0.000012345'],
    [1e-7, { digits: 8 }, '1e-7'],
    [Number.NaN, { digits: 8 }, 'NaN'],
    [Number.NEGATIVE_INFINITY, { digits: 8 }, '-Infinity'],
    [-0, { digits: 8 }, '-0'],
    [Math.fround(0.1), {}, '0.10000000149011612'], // a float32 value read as float64
    [Math.fround(0.1), { float32: true }, '0.1'], // ... and as the float32 it is
    [Math.fround(1 / 3), { float32: true }, '0.33333334'],
    [Math.fround(1 / 3), { float32: true, digits: 7 }, '0.3333333'],
    [0.1, { float32: true }, '0.1'], // not a float32 value: exact as float64
    [39627586454521344n, { digits: 8 }, '39627586454521344'], // int64 untouched
    [new Float64Array([0.123456789, 2]), { digits: 4 }, '[0.1235, 2]'],
    [new Float32Array([0.1, 1 / 3]), {}, '[0.1, 0.33333334]'], // Float32Array items are float32
    ['x'.repeat(100), { maxChars: 10 }, `${'x'.repeat(9)}…`],
    ['x'.repeat(100), { maxChars: Number.POSITIVE_INFINITY }, 'x'.repeat(100)],
  ] as const)('%s with %o -> %s', (value, opts, text) => {
    expect(formatCell(value, opts)).toBe(text);
  });

  it('float64 to 8 digits stays within half a unit of the 8th digit; the exact text reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatCell(x, { maxChars: Number.POSITIVE_INFINITY }))).toBe(x);
        const shown = formatCell(x, { digits: 8 });
        if (x === 0) return;
        expect(Math.abs(Number(shown) - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-8);
        expect(significant(shown)).toBeLessThanOrEqual(Number.isSafeInteger(x) ? 16 : 8);
      }),
    );
  });

  it('float32 exact text reads back as the same float32, in at most 9 significant digits', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const exact = formatCell(x, { float32: true });
        expect(Math.fround(Number(exact))).toBe(x);
        expect(significant(exact)).toBeLessThanOrEqual(9);
      }),
    );
  });
});

describe('columnFormat: the digits a table shows per Arrow type', () => {
  it.each([
    [new Float64(), { digits: 8 }],
    [new Float32(), { digits: 7, float32: true }],
    [new FixedSizeList(3, new Field('x', new Float32())), { digits: 7, float32: true }],
    [new List(new Field('x', new Float64())), { digits: 8 }],
    [new Int64(), {}],
    [new Utf8(), {}],
  ])('%s -> %o', (type, fmt) => {
    expect(columnFormat(type)).toEqual(fmt);
  });
});
