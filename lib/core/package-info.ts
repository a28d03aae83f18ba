import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '../errors/index.js';

let root: string | undefined;
let version: string | undefined;

/**
 * The skybook package root (the folder holding its package.json and package-lock.json), found upwards from this
 * module: it runs from lib/ under vitest and from dist/lib/ once built, so a fixed number of `../` would be wrong in one.
 *
 * @example
 * packageRoot(); // '/work/skybook'
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'skybook') return (root = dir);
    }
    if (dirname(dir) === dir) throw new InternalError(`no package.json named skybook above ${fileURLToPath(import.meta.url)}`);
  }
}

/**
 * skybook's version, from its package.json (read once).
 *
 * @example
 * skybookVersion(); // '0.1.0'
 */
export function skybookVersion(): string {
  return (version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
}
