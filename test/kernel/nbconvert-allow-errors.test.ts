import { beforeAll, describe, expect, it } from 'vitest';
import { installedPrefix, nbconvert } from './nbconvert-helper.js';

let prefix: string;
beforeAll(() => {
  prefix = installedPrefix();
});

describe('jupyter nbconvert --execute --allow-errors with the skybook kernel', () => {
  const cells = ['const a = 1;\na', 'const z: number = "high";', 'a + 1'];
  const diag = "1:7 - error TS2322: Type 'string' is not assignable to type 'number'.";

  it('with --allow-errors the error is an output of its cell and the rest runs', () => {
    const go = nbconvert(prefix, cells, ['--allow-errors']);
    expect(go.code).toBe(0);
    expect(go.cells[1]!.outputs).toEqual([
      {
        output_type: 'error',
        ename: 'TypeScriptError',
        evalue: diag,
        traceback: [diag, '    const z: number = "high";', '          ~'],
      },
    ]);
    expect(go.cells[2]!.outputs![0]!.data).toEqual({ 'text/plain': '2' });
    expect(go.cells.map((c) => c.execution_count)).toEqual([1, 2, 3]);
  });
});
