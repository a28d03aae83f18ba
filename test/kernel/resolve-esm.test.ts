import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esmFile } from '../../kernel/resolve-esm.js';
import { ROOT } from '../helpers/cli.js';

const real = (p: string) => realpathSync(join(ROOT, p));

/** A folder with node_modules holding small hand-written packages. */
function fakeProject(pkgs: Record<string, { json: object; files: string[] }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'skybook-resolve-'));
  for (const [name, p] of Object.entries(pkgs)) {
    const pdir = join(dir, 'node_modules', name);
    mkdirSync(pdir, { recursive: true });
    writeFileSync(join(pdir, 'package.json'), JSON.stringify(p.json));
    for (const f of p.files) {
      mkdirSync(dirname(join(pdir, f)), { recursive: true });
      writeFileSync(join(pdir, f), 'export {};\n');
    }
  }
  return realpathSync(dir);
}

describe('esmFile: which file an ESM import loads, when it is an ES module', () => {
  it.each([
    ['@observablehq/plot', 'node_modules/@observablehq/plot/src/index.js'],
    ['d3', 'node_modules/d3/dist/d3.mjs'],
    ['apache-arrow', 'node_modules/apache-arrow/Arrow.node.mjs'],
  ])('%s resolves (from a folder outside the project, through the fallback root) to %s', (spec, file) => {
    expect(esmFile(spec, tmpdir(), [ROOT], {})).toBe(real(file));
  });

  it.each(['jsdom', 'zeromq', 'node:fs', 'fs', './local', '/abs/path', 'no-such-package-xyz'])(
    '%s is left to require (CommonJS, builtin, relative or missing)',
    (spec) => {
      expect(esmFile(spec, ROOT, [], {})).toBeUndefined();
    },
  );

  it('maps an alias (skybook itself) to its package folder', () => {
    expect(esmFile('skybook', tmpdir(), [], { skybook: ROOT })).toBe(real('dist/lib/index.js'));
  });

  it('follows exports subpaths, patterns, condition order and nested conditions', () => {
    const dir = fakeProject({
      pat: {
        json: { type: 'module', exports: { '.': './main.js', './feature/*': { import: './esm/*.js', require: './cjs/*.cjs' } } },
        files: ['main.js', 'esm/a.js'],
      },
      dual: { json: { exports: { node: { import: './x.mjs', require: './x.cjs' }, default: './x.cjs' } }, files: ['x.mjs', 'x.cjs'] },
      cjsonly: { json: { main: 'lib.js' }, files: ['lib.js'] },
      '@s/mod': { json: { type: 'module', main: 'index.js' }, files: ['index.js', 'deep/f.js'] },
    });
    expect(esmFile('pat', dir, [], {})).toBe(join(dir, 'node_modules/pat/main.js'));
    expect(esmFile('pat/feature/a', dir, [], {})).toBe(join(dir, 'node_modules/pat/esm/a.js'));
    expect(esmFile('pat/unexported', dir, [], {})).toBeUndefined();
    expect(esmFile('dual', dir, [], {})).toBe(join(dir, 'node_modules/dual/x.mjs'));
    expect(esmFile('cjsonly', dir, [], {})).toBeUndefined();
    expect(esmFile('@s/mod', dir, [], {})).toBe(join(dir, 'node_modules/@s/mod/index.js'));
    expect(esmFile('@s/mod/deep/f', dir, [], {})).toBe(join(dir, 'node_modules/@s/mod/deep/f.js'));
  });
});
