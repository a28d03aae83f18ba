import { beforeAll, describe, expect, it } from 'vitest';
import { installedPrefix, nbconvert } from './nbconvert-helper.js';

let prefix: string;
beforeAll(() => {
  prefix = installedPrefix();
});

describe('jupyter nbconvert --execute with the skybook kernel: errors', () => {
  const cells = ['const a = 1;\na', 'const z: number = "high";', 'a + 1'];
  const diag = "1:7 - error TS2322: Type 'string' is not assignable to type 'number'.";

  it('a failing cell stops nbconvert with the TypeScript diagnostic', () => {
    const stop = nbconvert(prefix, cells);
    expect(stop.code).not.toBe(0);
    expect(stop.stderr).toContain('TypeScriptError');
    expect(stop.stderr).toContain(diag);
  });
});
