import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';

import { leanTypeMap } from './lean-types.js';

type PathFn = (path: string, ...rest: unknown[]) => unknown;
type WatchFn = (path: string, cb: (file: string, kind: number) => void, ...rest: unknown[]) => unknown;
interface TsSys {
  readFile: PathFn;
  fileExists: PathFn;
  directoryExists: PathFn;
  realpath?: PathFn;
  getDirectories: PathFn;
  readDirectory: PathFn;
  watchFile?: WatchFn;
}

/** What the fallback set up: `restoreDocs()` swaps the lean declarations for the originals (see lean-types.ts). */
export interface TypeFallback {
  /** Serves the originals from now on and tells TypeScript's watchers the files changed; the next check re-reads them. */
  restoreDocs(): void;
}

/**
 * Lets the cell type checker see the packages skybook ships with from a notebook in any folder: a lookup under
 * `CWD/node_modules/X` that finds nothing is answered from `SKYBOOK/node_modules/X` (`skybook` itself maps to the
 * package root). tslab's converter reads files through `ts.sys`, so the fallback is a thin wrapper around its methods.
 * `@types` folders are not forwarded, and of their packages only `node` is listed: TypeScript would otherwise parse
 * every @types package in sight for its globals (jsdom's pulls in the whole DOM library), doubling start-up; an
 * explicit `import` of a package still finds its @types by module resolution.
 *
 * Node's declarations are served without doc comments (lean-types.ts) until `restoreDocs()`: the hover that wants them
 * calls it.
 *
 * @example
 * const types = installTypeFallback(process.cwd(), skybookRoot); // before createConverter()
 */
export function installTypeFallback(cwd: string, skybookRoot: string): TypeFallback {
  const ts = createRequire(import.meta.url)('@tslab/typescript-for-tslab') as { sys: TsSys };
  const sys = ts.sys;
  const base = resolve(cwd, 'node_modules') + sep;
  const forward = (p: string): string | undefined => {
    if (!p.startsWith(base)) return undefined;
    const rest = p.slice(base.length);
    if (rest.startsWith('@types')) return undefined;
    if (rest === 'skybook' || rest.startsWith(`skybook${sep}`)) return join(skybookRoot, rest.slice('skybook'.length));
    return join(skybookRoot, 'node_modules', rest);
  };
  const orig = {
    readFile: sys.readFile,
    fileExists: sys.fileExists,
    directoryExists: sys.directoryExists,
    realpath: sys.realpath,
    getDirectories: sys.getDirectories,
    readDirectory: sys.readDirectory,
  };
  const exists = (p: string) => Boolean(orig.fileExists.call(sys, p)) || Boolean(orig.directoryExists.call(sys, p));
  // Real files under the notebook's node_modules win; only missing ones are forwarded.
  const pick = (p: string) => {
    const f = forward(p);
    return f && !exists(p) ? f : p;
  };
  for (const k of ['readFile', 'fileExists', 'directoryExists', 'getDirectories', 'readDirectory'] as const) {
    const fn = orig[k];
    sys[k] = (p: string, ...rest: unknown[]) => fn.call(sys, pick(p), ...rest);
  }
  const listDirs = sys.getDirectories;
  sys.getDirectories = (p: string, ...rest: unknown[]) => {
    const dirs = listDirs(p, ...rest) as string[];
    return /[\\/]node_modules[\\/]@types[\\/]?$/.test(p) ? dirs.filter((d) => d === 'node') : dirs;
  };
  const realpath = orig.realpath;
  if (realpath) sys.realpath = (p: string, ...rest: unknown[]) => realpath.call(sys, pick(p), ...rest);

  const leanOf = leanTypeMap(skybookRoot);
  let lean = true;
  const servedLean = new Set<string>();
  const readFile = sys.readFile;
  sys.readFile = (p: string, ...rest: unknown[]) => {
    const l = lean ? leanOf(p) : undefined;
    if (l === undefined) return readFile(p, ...rest);
    servedLean.add(p);
    return readFile(l, ...rest);
  };
  // tslab watches each real source file through ts.sys.watchFile; its callbacks are how a changed file gets re-read.
  const watchers = new Map<string, (file: string, kind: number) => void>();
  const watchFile = sys.watchFile;
  if (watchFile) {
    sys.watchFile = (p: string, cb: (file: string, kind: number) => void, ...rest: unknown[]) => {
      watchers.set(p, cb);
      return watchFile.call(sys, p, cb, ...rest);
    };
  }
  return {
    restoreDocs() {
      if (!lean) return;
      lean = false;
      for (const p of servedLean) watchers.get(p)?.(p, 1 /* FileWatcherEventKind.Changed */);
    },
  };
}
