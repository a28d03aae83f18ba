import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// Each load runs in a fresh Node (a module, once required, is served from require.cache).
const CODE_CACHE = resolve(ROOT, 'dist/kernel/code-cache.js');
function load(pkgDir: string, cacheDir: string, save = true): { cache: string; value: number } {
  const script = `const { requireWithCodeCache } = await import(${JSON.stringify(CODE_CACHE)});
    const m = requireWithCodeCache('./mod.cjs', ${JSON.stringify(join(pkgDir, 'x.js'))}, ${JSON.stringify(cacheDir)});
    const value = m.exports.f(20);
    ${save ? 'm.save();' : ''}
    console.log(JSON.stringify({ cache: m.cache, value }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as {
    cache: string;
    value: number;
  };
}

describe('requireWithCodeCache', () => {
  it('misses, saves, hits; refuses a corrupt cache and a changed file, and still loads the module', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'skybook-cc-pkg-'));
    const cache = mkdtempSync(join(tmpdir(), 'skybook-cc-'));
    writeFileSync(
      join(pkg, 'mod.cjs'),
      'const path = require("node:path"); exports.f = (x) => x + path.sep.length + (module.filename.endsWith("mod.cjs") ? 1 : 100);',
    );
    expect(load(pkg, cache)).toEqual({ cache: 'miss', value: 22 });
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(load(pkg, cache)).toEqual({ cache: 'hit', value: 22 });

    writeFileSync(join(cache, files[0]!), Buffer.from('not a V8 code cache'));
    expect(load(pkg, cache, false)).toEqual({ cache: 'rejected', value: 22 });

    writeFileSync(join(pkg, 'mod.cjs'), 'exports.f = (x) => x * 2;'); // a new size: a new cache key
    expect(load(pkg, cache)).toEqual({ cache: 'miss', value: 40 });
    expect(load(pkg, cache)).toEqual({ cache: 'hit', value: 40 });
  });

  it('loads the module when the cache folder cannot be written', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'skybook-cc-pkg-'));
    writeFileSync(join(pkg, 'mod.cjs'), 'exports.f = (x) => x + 1;');
    const blocker = join(mkdtempSync(join(tmpdir(), 'skybook-cc-')), 'a-file');
    writeFileSync(blocker, '');
    expect(load(pkg, join(blocker, 'cache'))).toEqual({ cache: 'miss', value: 21 });
  });
});
