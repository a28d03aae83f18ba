import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Export conditions an `import` in Node matches, in the order Node tries them. */
const CONDITIONS = new Set(['node', 'import', 'default']);

interface PackageJson {
  type?: string;
  main?: string;
  exports?: unknown;
}

function readPackage(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/** Resolves an `exports` target for the conditions above; null when nothing matches. */
function target(t: unknown): string | null {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    for (const x of t) {
      const r = target(x);
      if (r) return r;
    }
    return null;
  }
  if (t && typeof t === 'object') {
    for (const [k, v] of Object.entries(t))
      if (CONDITIONS.has(k)) {
        const r = target(v);
        if (r) return r;
      }
  }
  return null;
}

function exportsEntry(exp: unknown, subpath: string): string | null {
  if (typeof exp === 'string' || Array.isArray(exp)) return subpath === '.' ? target(exp) : null;
  if (!exp || typeof exp !== 'object') return null;
  const keys = Object.keys(exp);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? target(exp) : null;
  const map = exp as Record<string, unknown>;
  if (subpath in map) return target(map[subpath]);
  for (const k of keys) {
    const star = k.indexOf('*');
    if (star < 0) continue;
    const pre = k.slice(0, star);
    const post = k.slice(star + 1);
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= k.length - 1) {
      const t = target(map[k]);
      if (t) return t.replace('*', subpath.slice(pre.length, subpath.length - post.length));
    }
  }
  return null;
}

function isEsmFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = readPackage(dir);
    if (pkg) return pkg.type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

/** Where a bare package lives: node_modules above `from`, then each fallback root's node_modules. */
function packageDir(name: string, from: string, fallbacks: readonly string[]): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const cand = join(dir, 'node_modules', name);
    if (existsSync(join(cand, 'package.json'))) return cand;
    if (dirname(dir) === dir) break;
  }
  for (const root of fallbacks) {
    const cand = join(root, 'node_modules', name);
    if (existsSync(join(cand, 'package.json'))) return cand;
  }
  return undefined;
}

/**
 * The file an ESM `import` of a bare specifier loads, when that file is an ES module (CommonJS packages, builtins and
 * relative paths give undefined: `require` handles those). Follows package `exports` with the node/import/default
 * conditions, so apache-arrow resolves to its .mjs build (the same instance skybook's library uses) and ESM-only
 * packages like @observablehq/plot and d3 resolve at all. `aliases` maps package names to directories (skybook itself).
 *
 * @example
 * esmFile('@observablehq/plot', process.cwd(), [skybookRoot], {}); // '/…/node_modules/@observablehq/plot/src/index.js'
 */
export function esmFile(spec: string, from: string, fallbacks: readonly string[], aliases: Record<string, string>): string | undefined {
  if (isBuiltin(spec) || spec.startsWith('.') || spec.startsWith('/')) return undefined;
  const { name, subpath } = splitSpecifier(spec);
  const dir = aliases[name] ?? packageDir(name, from, fallbacks);
  if (!dir) return undefined;
  const pkg = readPackage(dir);
  if (!pkg) return undefined;
  let rel: string | null;
  if (pkg.exports !== undefined) rel = exportsEntry(pkg.exports, subpath);
  else rel = subpath === '.' ? (pkg.main ?? 'index.js') : subpath;
  if (!rel) return undefined;
  let file = join(dir, rel);
  if (!existsSync(file) && existsSync(`${file}.js`)) file = `${file}.js`;
  if (!existsSync(file)) return undefined;
  file = realpathSync(file);
  return isEsmFile(file) ? file : undefined;
}
