import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** A CommonJS module loaded through V8's code cache, and how to save the cache once it has warmed up. */
export interface CachedModule<T> {
  exports: T;
  /** 'hit' (the cache was used), 'miss' (none yet) or 'rejected' (V8 refused a stale one). */
  cache: 'hit' | 'miss' | 'rejected';
  /** Writes the cache (with every function compiled so far) unless it was a hit; never throws. */
  save(): void;
}

/** Where compiled-code caches go: `$XDG_CACHE_HOME/skybook` or `~/.cache/skybook`. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'skybook');
}

/**
 * Requires a big CommonJS package (TypeScript's 8 MB compiler, which V8 takes 0.2-0.4 s to compile on every kernel
 * start) with a V8 code cache, the mechanism Node 22's `module.enableCompileCache()` uses, which Node 20 lacks. The
 * module goes into `require.cache`, so later `require()`s of the same file (tslab's) get this instance. The cache is
 * keyed by file path, size, mtime and Node version, and V8 itself refuses a cache that does not match the source or
 * its flags; any failure to read or write the cache only costs the compile time.
 *
 * @example
 * const ts = requireWithCodeCache<typeof import('typescript')>('@tslab/typescript-for-tslab', import.meta.url);
 * // … use ts.exports; once warm: ts.save();
 */
export function requireWithCodeCache<T>(specifier: string, from: string, dir = codeCacheDir()): CachedModule<T> {
  const req = createRequire(from);
  const file = req.resolve(specifier);
  const cached = req.cache[file];
  if (cached) return { exports: cached.exports as T, cache: 'hit', save: () => {} };
  const st = statSync(file);
  const key = `${file.replace(/[^A-Za-z0-9]+/g, '_').slice(-120)}-${st.size}-${Math.trunc(st.mtimeMs)}-node${process.version}.v8cache`;
  const cacheFile = join(dir, key);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    /* first start */
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const cache = cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const m = new Module(file);
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (...a: unknown[]) => void;
  wrapper.call(m.exports, m.exports, createRequire(file), m, file, dirname(file));
  m.loaded = true;
  req.cache[file] = m;
  return {
    exports: m.exports as T,
    cache,
    save: () => {
      if (cache === 'hit') return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile); // atomic: two kernels starting together never read half a file
      } catch {
        /* a read-only home: the next start compiles again */
      }
    },
  };
}
