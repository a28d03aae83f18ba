/** A database's own errors as StoreErrors: the exit code by kind, the message on one line, the LINE and caret lines apart. */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../lib/errors/index.js';
import { caretContext, databaseError } from '../../lib/store/database-error.js';

describe('caretContext: the line of the statement a position falls on, and a caret under it, as psql prints them', () => {
  const cols = (from: number) => Array.from({ length: 40 }, (_, i) => `c${from + i}`).join(', ');
  const long = `select ${cols(0)}, nope, ${cols(40)} from t`;
  it.each([
    ['the first character', 'selec 1', 1, 'LINE 1: selec 1\n        ^'],
    ['a later line', 'select *\n  from nope', 17, 'LINE 2:   from nope\n               ^'],
    ['a tab counts as one column', 'select 1,\n\tnope', 12, 'LINE 2:  nope\n         ^'],
    ['characters, not UTF-16 units', "select 'é😀', nope", 15, "LINE 1: select 'é😀', nope\n                      ^"],
    ['the end of the statement', 'select 1 from', 14, 'LINE 1: select 1 from\n                     ^'],
    [
      'a long line is cut around the place',
      long,
      long.indexOf('nope') + 1,
      `LINE 1: ...${long.slice(long.indexOf('nope') - 50, long.indexOf('nope') + 50)}...\n${' '.repeat(8 + 3 + 50)}^`,
    ],
  ])('%s', (_what, statement, position, expected) => {
    expect(caretContext(statement, position)).toBe(expected);
  });
});

describe('databaseError', () => {
  it("keeps DuckDB's LINE and caret lines out of the message and in detail; a wrong statement is exit code 2", () => {
    const e = databaseError(
      'duckdb',
      new Error('Catalog Error: Table with name t does not exist!\nDid you mean "x"?\n\nLINE 1: select * from t\n                      ^'),
    );
    expect(e).toBeInstanceOf(StoreError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('duckdb: Catalog Error: Table with name t does not exist! Did you mean "x"?');
    expect(e.detail).toBe('LINE 1: select * from t\n                      ^');
  });

  it("builds PostgreSQL's from the error's position in the statement; a failed database is exit code 1", () => {
    const bad = Object.assign(new Error('syntax error at or near "selec"'), { code: '42601', position: '1' });
    const e = databaseError('postgres', bad, 'selec 1');
    expect([e.exitCode, e.message, e.detail]).toEqual([2, 'postgres: syntax error at or near "selec"', 'LINE 1: selec 1\n        ^']);
    const down = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect([databaseError('postgres', down, 'select 1').exitCode, databaseError('postgres', down).detail]).toEqual([1, undefined]);
  });
});
