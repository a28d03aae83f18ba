import { describe, expect, it } from 'vitest';
import { diagnosticsError, runtimeError } from '../../kernel/cell-error.js';
import type { TsDiagnostic } from '../../kernel/tslab-engine.js';

const at = (line: number, character: number) => ({ offset: 0, line, character });
const diag = (line: number, c0: number, c1: number, code: number, messageText: string, fileName?: string): TsDiagnostic => ({
  start: at(line, c0),
  end: at(line, c1),
  code,
  messageText,
  category: 1,
  ...(fileName ? { fileName } : {}),
});

describe('cell errors', () => {
  it('diagnostics: 1-based cell-relative positions, source line and underline, a count when several', () => {
    const src = 'const a = 1;\nconst b: string = a;\nfoo();';
    const e = diagnosticsError(
      [diag(1, 6, 7, 2322, "Type 'number' is not assignable to type 'string'."), diag(2, 0, 3, 2304, "Cannot find name 'foo'.")],
      src,
    );
    expect(e.ename).toBe('TypeScriptError');
    expect(e.evalue).toBe("2:7 - error TS2322: Type 'number' is not assignable to type 'string'. (and 1 more)");
    expect(e.traceback).toEqual([
      "2:7 - error TS2322: Type 'number' is not assignable to type 'string'.",
      '    const b: string = a;',
      '          ~',
      "3:1 - error TS2304: Cannot find name 'foo'.",
      '    foo();',
      '    ~~~',
    ]);
  });

  it('a diagnostic in a local module names that module and shows no cell line', () => {
    const e = diagnosticsError([diag(4, 2, 5, 1005, "';' expected.", 'helpers.ts')], 'import { f } from "./helpers";');
    expect(e.traceback).toEqual(["helpers.ts 5:3 - error TS1005: ';' expected."]);
  });

  it('runtime errors: name, message, stack up to the kernel frames; thrown non-errors too', () => {
    const err = new TypeError('z is not a number');
    err.stack =
      'TypeError: z is not a number\n    at f (cell-3.js:2:9)\n    at cell-3.js:4:1\n    at Executor.execute (/opt/skybook/dist/kernel/executor.js:80:5)\n    at more';
    expect(runtimeError(err, '/opt/skybook/dist/kernel')).toEqual({
      ename: 'TypeError',
      evalue: 'z is not a number',
      traceback: ['TypeError: z is not a number', '    at f (cell-3.js:2:9)', '    at cell-3.js:4:1'],
    });
    expect(runtimeError('plain string', '/k')).toEqual({
      ename: 'Error',
      evalue: 'Uncaught "plain string"',
      traceback: ['Uncaught plain string'],
    });
    expect(runtimeError(42, '/k').evalue).toBe('Uncaught 42');
  });
});
