import { describe, expect, it } from 'vitest';
import { checkMemory, defaultMemoryBudget, formatByteSize, MAX_BUFFER_BYTES, memoryBudget, parseByteSize } from '../../lib/core/index.js';
import { ArgumentError, FitsError } from '../../lib/errors/index.js';

describe('parseByteSize', () => {
  it.each([
    ['0', 0],
    ['4096', 4096],
    ['100b', 100],
    ['1k', 1024],
    ['1K', 1024],
    ['1KB', 1024],
    ['1KiB', 1024],
    ['512M', 512 * 2 ** 20],
    ['512mb', 512 * 2 ** 20],
    ['2G', 2 * 2 ** 30],
    [' 2 GiB ', 2 * 2 ** 30],
    ['1.5G', 1.5 * 2 ** 30],
    ['.5g', 2 ** 29],
    ['4.', 4],
    ['1T', 2 ** 40],
    ['0.3k', 307],
  ])('%j -> %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'abc', '-1G', '2X', '2 G B', '1e9', 'G', '1GG', '9999999999T'])('%j is an ArgumentError naming what it was', (text) => {
    expect(() => parseByteSize(text, 'SKYBOOK_MAX_MEMORY')).toThrow(ArgumentError);
    expect(() => parseByteSize(text, 'SKYBOOK_MAX_MEMORY')).toThrow(
      `invalid SKYBOOK_MAX_MEMORY: '${text}' (a number of bytes with an optional unit K, M, G or T: 512M, 2G, 4GiB)`,
    );
  });
});

describe('formatByteSize', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [377 * 1024 + 300, '377 KiB'],
    [1.5 * 2 ** 20, '1.5 MiB'],
    [4 * 2 ** 30, '4 GiB'],
    [17179164800, '16 GiB'],
    [5 * 10 ** 9, '4.7 GiB'],
    [11.2 * 2 ** 30, '11 GiB'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });
});

describe('memoryBudget', () => {
  it('defaults to half the memory, at most 4 GiB', () => {
    const d = defaultMemoryBudget();
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThanOrEqual(4 * 2 ** 30);
    expect(memoryBudget({})).toEqual({ bytes: d, source: 'the default: half the memory, at most 4 GiB' });
    expect(memoryBudget({ SKYBOOK_MAX_MEMORY: ' ' }).bytes).toBe(d);
  });

  it('reads SKYBOOK_MAX_MEMORY', () => {
    expect(memoryBudget({ SKYBOOK_MAX_MEMORY: '512M' })).toEqual({ bytes: 2 ** 29, source: 'SKYBOOK_MAX_MEMORY=512M' });
    expect(memoryBudget({ SKYBOOK_MAX_MEMORY: '64G' }).bytes).toBe(64 * 2 ** 30);
  });

  it('refuses a value it cannot read, or zero', () => {
    expect(() => memoryBudget({ SKYBOOK_MAX_MEMORY: 'lots' })).toThrow(/^invalid SKYBOOK_MAX_MEMORY: 'lots'/);
    expect(() => memoryBudget({ SKYBOOK_MAX_MEMORY: '0' })).toThrow("invalid SKYBOOK_MAX_MEMORY: '0' (a budget must be at least 1 byte)");
  });
});

describe('checkMemory', () => {
  const fail = (p: string) => new FitsError(p, { file: 'x.fits', hdu: 1 });
  const env = { SKYBOOK_MAX_MEMORY: '1G' };

  it('passes what fits, up to the budget itself', () => {
    expect(() => checkMemory(2 ** 30, 'the image', fail, undefined, env)).not.toThrow();
  });

  it("throws the caller's error naming what, how much and the budget", () => {
    const e = (() => {
      try {
        checkMemory(17179164800, 'the image (46340 x 46340 float64)', fail, undefined, env);
      } catch (e) {
        return e;
      }
    })();
    expect(e).toBeInstanceOf(FitsError);
    expect((e as Error).message).toBe(
      'x.fits: HDU 1: the image (46340 x 46340 float64) needs 16 GiB, more than the memory budget of 1 GiB (SKYBOOK_MAX_MEMORY=1G)',
    );
  });

  it('refuses one buffer larger than Node can hold, even within the budget', () => {
    expect(() => checkMemory(MAX_BUFFER_BYTES + 1, 'the tile', fail, undefined, { SKYBOOK_MAX_MEMORY: '64G' })).toThrow(
      /the tile needs 4.0 GiB in one buffer, more than Node can hold in one \(4 GiB\)/,
    );
    expect(() => checkMemory(NaN, 'the image', fail, undefined, env)).toThrow(/more than the memory budget/);
  });
});
