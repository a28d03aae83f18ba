import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAN_PACKAGES, leanDeclarations, leanTypeMap, leanTypesDir, writeLeanTypes } from '../../kernel/lean-types.js';
import { ROOT } from '../helpers/cli.js';

describe('lean Node declarations for the kernel start', () => {
  it("the build wrote a lean copy of every .d.ts of Node's types: same declarations, no doc comments", () => {
    const map = leanTypeMap(ROOT);
    const src = join(ROOT, LEAN_PACKAGES[0]!.dir);
    for (const name of ['index.d.ts', 'fs.d.ts', 'globals.d.ts', 'stream.d.ts']) {
      const original = readFileSync(join(src, name), 'utf8');
      const lean = map(join(src, name));
      expect(lean, name).toBe(join(leanTypesDir(ROOT), relative(ROOT, src), name));
      const text = readFileSync(lean!, 'utf8');
      expect(text).not.toContain('/**');
      expect(text.length).toBeLessThan(original.length);
      // Printing again without comments gives the same text: nothing but comments and layout was dropped.
      expect(leanDeclarations(text)).toBe(leanDeclarations(original));
    }
    expect(readFileSync(map(join(src, 'index.d.ts'))!, 'utf8')).toContain('/// <reference path="fs.d.ts" />');
    expect(map(join(src, 'package.json'))).toBeUndefined();
    expect(map(join(ROOT, 'node_modules', 'apache-arrow', 'Arrow.d.ts'))).toBeUndefined();
    const tsLib = join(ROOT, 'node_modules', '@tslab', 'typescript-for-tslab', 'lib');
    expect(map(join(tsLib, 'lib.es5.d.ts'))).toBe(join(leanTypesDir(ROOT), relative(ROOT, tsLib), 'lib.es5.d.ts'));
    expect(map(join(tsLib, 'typescript.d.ts'))).toBeUndefined();
  });

  it('serves the originals when the installed version is not the one the copies were made from', () => {
    const root = mkdtempSync(join(tmpdir(), 'skybook-lean-'));
    const pkg = join(root, LEAN_PACKAGES[0]!.dir);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    writeFileSync(join(pkg, 'a.d.ts'), '/** doc */\ndeclare const a: number;\n');
    expect(writeLeanTypes(root)).toMatchObject({ files: 1 });
    expect(leanTypeMap(root)(join(pkg, 'a.d.ts'))).toBeDefined();
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: '1.0.1' }));
    expect(leanTypeMap(root)(join(pkg, 'a.d.ts'))).toBeUndefined();
    expect(existsSync(join(leanTypesDir(root), 'stamp.json'))).toBe(true);
  });
});
