import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors/index.js';
import { byteSize } from '../../lib/cli/commands/run.js';

describe('skybook run --memory-limit SIZE', () => {
  it.each([
    ['300M', 300 * 2 ** 20],
    ['512m', 512 * 2 ** 20],
    ['2G', 2 * 2 ** 30],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['64kb', 64 * 1024],
    ['1T', 2 ** 40],
    ['1000000', 1e6],
    [' 2 G ', 2 * 2 ** 30],
  ])('%s is %d bytes', (text, bytes) => {
    expect(byteSize('memory-limit', text)).toBe(bytes);
  });

  it.each(['', '0', '0M', '-1G', 'lots', '2X', '1e9', 'G', '2 GB extra'])('%j is refused, naming the option', (text) => {
    expect(() => byteSize('memory-limit', text)).toThrow(UsageError);
    expect(() => byteSize('memory-limit', text)).toThrow(`invalid --memory-limit: ${text} (a size such as 512M or 2G)`);
  });

  it('is absent when not given', () => {
    expect(byteSize('memory-limit', undefined)).toBeUndefined();
  });
});
