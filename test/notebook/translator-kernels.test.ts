import { describe, expect, it } from 'vitest';
import { useBuiltinKernel } from '../../lib/cli/commands/kernel-spec.js';
import { skybookVersion } from '../../lib/core/index.js';
import { findKernelSpec, injectParameters, newCell, runNotebook, type Notebook } from '../../lib/notebook/index.js';

// Strings that have broken translators: line and paragraph separators (TypeScript's scanner ends a string literal at
// U+2028/U+2029: TS1002), C1 controls (U+0085 is a line break to str.splitlines), quotes, backslashes, emoji, NUL.
const VALUES: [string, string][] = [
  ['U+2028', 'line\u2028separator'],
  ['U+2029', 'para\u2029separator'],
  ['both separators', '\u2028\u2029'],
  ['U+0085 and C1', 'next\u0085line\u0080\u009f'],
  ['single quote', "it's"],
  ['double quote', 'say "hi"'],
  ['both quotes', `'both' and "both"`],
  ['backslashes', 'C:\\path\\to\\file \\n not a newline \\u2028'],
  ['escapes', 'tab\there\r\nnew line\u000b\u000c'],
  ['emoji', 'telescope 🔭 and family 👩‍👩‍👧'],
  ['NUL', 'a\u0000b'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder in a plain string is the case tested
  ['template and comment', '${x} `tick` */ // # -->'],
];

/** Code points of every value as the kernel sees them, printed as one JSON line. */
const PRINT: Record<string, string> = {
  python: `import json\nprint(json.dumps([[ord(c) for c in v] for v in [${VALUES.map((_, i) => `s${i}`).join(', ')}]]))`,
  typescript: `console.log(JSON.stringify([${VALUES.map((_, i) => `s${i}`).join(', ')}].map((v) => Array.from(v, (c) => c.codePointAt(0)))));`,
};

function notebook(language: 'python' | 'typescript'): Notebook {
  const decl = VALUES.map((_, i) => (language === 'python' ? `s${i} = ''` : `let s${i} = '';`)).join('\n');
  return {
    cells: [newCell('code', decl, ['parameters'], 'params'), newCell('code', PRINT[language]!, [], 'print')],
    metadata: { kernelspec: { name: language === 'python' ? 'python3' : 'skybook', display_name: language, language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

describe.each(['python', 'typescript'] as const)('parameters round-trip through the %s translator into a running kernel', (language) => {
  it('every value arrives code point for code point', async () => {
    useBuiltinKernel(skybookVersion());
    const params = Object.fromEntries(VALUES.map(([, v], i) => [`s${i}`, v]));
    const nb = injectParameters(notebook(language), params, language);
    const r = await runNotebook(nb, {
      kernel: findKernelSpec(language === 'python' ? 'python3' : 'skybook'),
      progress: false,
      timeout: 60,
    });
    expect(r.status, r.error?.message).toBe('completed');
    const out = r.notebook.cells
      .at(-1)!
      .outputs!.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
      .join('');
    const got = JSON.parse(out) as number[][];
    VALUES.forEach(([name, v], i) => expect(got[i], name).toEqual(Array.from(v, (c) => c.codePointAt(0))));
  }, 90_000);
});
