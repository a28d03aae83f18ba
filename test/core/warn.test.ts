import { describe, expect, it } from 'vitest';
import { collectWarnings, setWarningHost, warn } from '../../lib/core/index.js';

describe('warn', () => {
  it('goes to the host, synchronously, and the previous host comes back', () => {
    const seen: string[] = [];
    const before = setWarningHost((m) => void seen.push(m));
    try {
      warn('x.fits: HDU 0: one');
      expect(seen).toEqual(['x.fits: HDU 0: one']);
    } finally {
      expect(setWarningHost(before)).toBeTypeOf('function');
    }
  });

  it('without a host is a SkybookWarning from process.emitWarning', async () => {
    const got = new Promise<Error>((resolve) => process.once('warning', resolve));
    warn('x.fits: plain');
    const w = await got;
    expect(w.name).toBe('SkybookWarning');
    expect(w.message).toBe('x.fits: plain');
  });

  it('collectWarnings gathers what a piece of work raised', async () => {
    const { result, warnings } = await collectWarnings(async () => {
      warn('a');
      await new Promise((r) => setTimeout(r, 1));
      warn('b');
      return 7;
    });
    expect(result).toBe(7);
    expect(warnings).toEqual(['a', 'b']);
  });
});
