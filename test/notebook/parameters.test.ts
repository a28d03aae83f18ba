import { describe, expect, it } from 'vitest';
import {
  checkParameters,
  coerceCliValue,
  injectParameters,
  newCell,
  parseParameterCell,
  redactInjectedSource,
  redactNotebook,
  type Notebook,
  type ParamType,
  type ParamValue,
} from '../../lib/notebook/index.js';
import { parseLiteral } from '../../lib/notebook/literal.js';
import { NotebookError } from '../../lib/errors/index.js';
import { Redactor } from '../../lib/core/index.js';

describe('parseLiteral', () => {
  it.each<[string, ParamValue]>([
    ['1.5', 1.5],
    ['-3', -3],
    ['1_000', 1000],
    ['2e-3', 0.002],
    ["'QSO'", 'QSO'],
    ['"a\\nb"', 'a\nb'],
    ["r'C:\\dir'", 'C:\\dir'],
    ['True', true],
    ['false', false],
    ['None', null],
    ['undefined', null],
    ["float('nan')", NaN],
    ['-Infinity', -Infinity],
    ["[1, 'a', (2, 3),]", [1, 'a', [2, 3]]],
    ["{'a': {'b': [None]}, c: 1}", { a: { b: [null] }, c: 1 }],
    ['["x"] as const', ['x']],
  ])('%s', (src, want) => expect(parseLiteral(src)).toEqual(want));

  it.each(['np.arange(3)', 'x + 1', "'open", '[1, 2', '1 2'])('refuses %s', (src) =>
    expect(() => parseLiteral(src)).toThrow(/not a literal/),
  );
});

describe('parseParameterCell', () => {
  it('reads Python defaults, annotations, comments and multi-line values', () => {
    const src = [
      '# comment line',
      'zmax = 1.5  # upper z',
      "spectype: str = 'QSO'",
      'bands = [',
      "  'b',  # blue",
      "  'r',",
      ']',
      'seed = np.random.randint(3)',
      'n: int = compute()',
      'x == 3',
    ].join('\n');
    const got = parseParameterCell(src, 'python').map((p) => [p.name, p.type, p.default]);
    expect(got).toEqual([
      ['zmax', 'number', 1.5],
      ['spectype', 'string', 'QSO'],
      ['bands', 'list', ['b', 'r']],
      ['seed', 'unknown', undefined],
      ['n', 'number', undefined],
    ]);
  });

  it('reads TypeScript declarations with their keywords and types', () => {
    const src = [
      'const zmax = 1.5;',
      'let spectype: string = "QSO"; // target class',
      'export const opts = { bins: 40 };',
      'const flag: boolean = compute();',
      'var ids: number[] = [];',
    ].join('\n');
    expect(parseParameterCell(src, 'typescript').map((p) => [p.name, p.type, p.keyword])).toEqual([
      ['zmax', 'number', 'const'],
      ['spectype', 'string', 'let'],
      ['opts', 'object', 'const'],
      ['flag', 'bool', 'const'],
      ['ids', 'list', 'var'],
    ]);
  });
});

describe('coerceCliValue', () => {
  it.each<[string, ParamType, ParamValue]>([
    ['2.5', 'number', 2.5],
    ['-1e3', 'number', -1000],
    ['nan', 'number', NaN],
    ['-inf', 'number', -Infinity],
    ['2.5', 'string', '2.5'],
    ['true', 'bool', true],
    ['False', 'bool', false],
    ['[1, "a"]', 'list', [1, 'a']],
    ['{"a": [1]}', 'object', { a: [1] }],
    ['True', 'unknown', true],
    ['None', 'unknown', null],
    ['7', 'unknown', 7],
    ['[1]', 'unknown', [1]],
    ['hello', 'unknown', 'hello'],
  ])('%s as %s', (raw, type, want) => expect(coerceCliValue('p', raw, type)).toEqual(want));

  it.each<[string, ParamType, RegExp]>([
    ['high', 'number', /parameter zmax: "high" is not a number/],
    ['', 'number', /is not a number/],
    ['maybe', 'bool', /is not a bool/],
    ['{"a": 1}', 'list', /is not a list/],
    ['[1', 'list', /is not a list/],
  ])('refuses %j as %s', (raw, type, msg) => {
    expect(() => coerceCliValue('zmax', raw, type, 'a.ipynb')).toThrow(msg);
  });
});

describe('checkParameters', () => {
  const decls = parseParameterCell("zmax = 1.5\nspectype = 'QSO'\nextra = None", 'python');
  it('refuses an unknown name, listing the known ones', () => {
    expect(() => checkParameters({ zmx: 1 }, decls, 'a.ipynb')).toThrow(
      "a.ipynb: parameter zmx: unknown parameter 'zmx'; known: zmax, spectype, extra",
    );
  });
  it('refuses a value of the wrong type', () => {
    const e = (() => {
      try {
        checkParameters({ zmax: '2' }, decls);
      } catch (err) {
        return err as NotebookError;
      }
    })();
    expect(e).toBeInstanceOf(NotebookError);
    expect(e!.exitCode).toBe(2);
    expect(e!.message).toBe('parameter zmax: "2" is a string, expected number');
  });
  it('quotes no secret: a secret-named value is [redacted], a URL loses its password', () => {
    const d = parseParameterCell("db_password = ''\nport = 5432", 'python');
    expect(() => checkParameters({ db_password: 12345678 }, d)).toThrow('parameter db_password: [redacted] is a number, expected string');
    expect(() => coerceCliValue('port', 'postgres://u:pa/ss@h/db', 'number')).toThrow(
      'parameter port: "postgres://u:***@h/db" is not a number',
    );
    expect(() => coerceCliValue('api_key', 'hunter22', 'number')).toThrow('parameter api_key: [redacted] is not a number');
  });
  it('accepts any type where the default is None', () => {
    expect(checkParameters({ extra: [1], zmax: 3 }, decls)).toEqual({ extra: [1], zmax: 3 });
  });
});

describe('injectParameters', () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      newCell('markdown', '# t'),
      newCell('code', 'zmax = 1.5', ['parameters']),
      newCell('code', 'zmax = 9', ['injected-parameters']),
      newCell('code', 'print(zmax)'),
    ],
  };
  it('puts the injected cell right after the parameters cell, replacing an old one', () => {
    const out = injectParameters(nb, { zmax: 2 }, 'python');
    expect(out.cells.map((c) => c.source)).toEqual(['# t', 'zmax = 1.5', '# Parameters\nzmax = 2', 'print(zmax)']);
    expect(out.cells[2]!.metadata.tags).toEqual(['injected-parameters']);
    expect(nb.cells[2]!.source).toBe('zmax = 9');
  });
  it('refuses a language without a translator', () => {
    expect(() => injectParameters(nb, { zmax: 2 }, 'cobol')).toThrow(/no parameter translator for kernel language 'cobol'/);
  });
});

describe('redacting a notebook to save or show it', () => {
  it.each<[string, string, string]>([
    [
      'python',
      "# Parameters\ndb_password = 'hunter22'\nurl = 'postgres://u:pa/ss@h/db'\nzmax = 2",
      "# Parameters\ndb_password = '[redacted]'\nurl = 'postgres://u:***@h/db'\nzmax = 2",
    ],
    ['python', "token: str = 'abc'  # note\ncreds = {\n 'a': 1,\n}\nz = 1", "token: str = '[redacted]'\ncreds = '[redacted]'\nz = 1"],
    [
      'typescript',
      '// Parameters\nconst apiKey = "k-123";\nlet url = "https://u:p@h/x";\nconst n = 1;',
      '// Parameters\nconst apiKey = "[redacted]";\nlet url = "https://u:***@h/x";\nconst n = 1;',
    ],
  ])('%s injected cell: %j', (language, source, want) => expect(redactInjectedSource(source, language)).toBe(want));

  it('redacts sources and outputs by the one rule, and keeps a notebook without secrets as it was', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python' } },
      cells: [
        newCell('code', "db_password = ''", ['parameters']),
        newCell('code', "db_password = 'hunter22'", ['injected-parameters']),
        {
          ...newCell('code', "connect('postgres://u:pw@h/db')"),
          outputs: [{ output_type: 'stream', name: 'stderr', text: 'bad hunter22' }],
        },
      ],
    };
    const r = redactNotebook(nb, { redactor: new Redactor({ values: { db_password: 'hunter22' }, env: {} }) });
    expect(r.cells.map((c) => c.source)).toEqual(["db_password = ''", "db_password = '[redacted]'", "connect('postgres://u:***@h/db')"]);
    expect(r.cells[2]!.outputs![0]!.text).toBe('bad [redacted]');
    expect(nb.cells[1]!.source).toBe("db_password = 'hunter22'"); // a copy: the kernel's notebook is untouched
    const plain: Notebook = { ...nb, cells: [newCell('code', 'zmax = 1', ['parameters']), newCell('code', 'print(zmax)')] };
    expect(redactNotebook(plain, { redactor: new Redactor({ env: {} }) })).toEqual(plain);
  });
});
