import { describe, expect, it } from 'vitest';
import { PythonTranslator, TypeScriptTranslator, translatorFor, translatorLanguages, type ParamValue } from '../../lib/notebook/index.js';
import { runPython } from '../helpers/astropy.js';

// value -> expected source, per language (papermill's translator tests are the model).
const PY: [ParamValue, string][] = [
  ['abc', "'abc'"],
  ["it's", `"it's"`],
  ['both \' and "', `'both \\' and "'`],
  ['line\nbreak\ttab\\', "'line\\nbreak\\ttab\\\\'"],
  ['ünïcode ✓', "'ünïcode ✓'"],
  ['line\u2028para\u2029end', "'line\\u2028para\\u2029end'"],
  ['nel\u0085del\u007f\u0000', "'nel\\x85del\\x7f\\x00'"],
  ['lone \ud800', "'lone \\ud800'"],
  ['emoji 🔭', "'emoji 🔭'"],
  [42, '42'],
  [-7, '-7'],
  [1.5, '1.5'],
  [1e-7, '1e-7'],
  [NaN, "float('nan')"],
  [Infinity, "float('inf')"],
  [-Infinity, "float('-inf')"],
  [true, 'True'],
  [false, 'False'],
  [null, 'None'],
  [[], '[]'],
  [[1, 'a', [true, null]], "[1, 'a', [True, None]]"],
  [{ a: 1, 'b c': ['x'] }, "{'a': 1, 'b c': ['x']}"],
  [{}, '{}'],
];

const TS: [ParamValue, string][] = [
  ['abc', '"abc"'],
  ["it's", `"it's"`],
  ['line\nbreak', '"line\\nbreak"'],
  ['line\u2028para\u2029end', '"line\\u2028para\\u2029end"'],
  ['back\\slash "quoted"', '"back\\\\slash \\"quoted\\""'],
  ['emoji 🔭', '"emoji 🔭"'],
  [42, '42'],
  [1.5, '1.5'],
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [-Infinity, '-Infinity'],
  [true, 'true'],
  [false, 'false'],
  [null, 'null'],
  [[1, 'a', [true, null]], '[1, "a", [true, null]]'],
  [{ a: 1, 'b c': ['x'] }, '{"a": 1, "b c": ["x"]}'],
];

describe('PythonTranslator', () => {
  const t = new PythonTranslator();
  it.each(PY)('%j -> %s', (v, want) => expect(t.translate(v)).toBe(want));

  it('writes literals Python reads back as the same values', () => {
    // Python itself is the oracle: eval each translation and print it as JSON.
    const values = PY.map(([v]) => v).filter((v) => typeof v !== 'number' || Number.isFinite(v));
    const src = `import json\nvals = [${values.map((v) => t.translate(v)).join(', ')}]\nprint(json.dumps(vals))`;
    expect(JSON.parse(runPython(src))).toEqual(values);
  });

  it('codifies a parameters cell', () => {
    expect(t.codify({ zmax: 2, spectype: 'QSO' })).toBe("# Parameters\nzmax = 2\nspectype = 'QSO'\n");
  });
});

describe('TypeScriptTranslator', () => {
  const t = new TypeScriptTranslator();
  it.each(TS)('%j -> %s', (v, want) => expect(t.translate(v)).toBe(want));

  it('writes literals JavaScript evaluates back to the same values', () => {
    for (const [v] of TS) expect(new Function(`return (${t.translate(v)});`)()).toEqual(v);
  });

  it('re-uses the declaration keyword of the parameters cell, let by default', () => {
    expect(t.codify({ zmax: 2, tag: 'x' }, { zmax: 'const' })).toBe('// Parameters\nconst zmax = 2;\nlet tag = "x";\n');
  });
});

describe('translator registry', () => {
  it('has Python, TypeScript and JavaScript, case-insensitively', () => {
    expect(translatorLanguages()).toEqual(['javascript', 'python', 'typescript']);
    expect(translatorFor('Python')).toBeInstanceOf(PythonTranslator);
    expect(translatorFor('JavaScript')).toBeInstanceOf(TypeScriptTranslator);
    expect(translatorFor('r')).toBeUndefined();
  });
});
