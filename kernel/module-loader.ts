import Module, { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { esmFile } from './resolve-esm.js';

/** A compiled local .ts/.js file a cell imports (tslab's "side outputs"). */
export interface SideOutput {
  path: string;
  data: string;
}

type Req = (id: string) => unknown;

/**
 * Wraps an ES module namespace so TypeScript's CommonJS interop helpers (`__importStar`, `__importDefault`) treat it
 * as a transpiled ES module: `import * as P`, `import P from` and `import { x }` then all mean what they mean in ESM.
 */
function interop(ns: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, '__esModule', { value: true });
  for (const k of Object.keys(ns)) Object.defineProperty(out, k, { enumerable: true, get: () => ns[k] });
  return out;
}

const REQUIRE_CALL = /\brequire\("((?:[^"\\]|\\.)+)"\)/g;

/**
 * The `require` a cell's transpiled code calls. tslab compiles cells to CommonJS, and `require` cannot load ES-only
 * packages (@observablehq/plot, d3) on Node 20; so before a cell runs, `prepare` finds the `require("…")` calls in its
 * JavaScript, loads every package whose import resolves to an ES module with a real dynamic `import()`, and the
 * synchronous `require` then returns those namespaces. Everything else is ordinary `require` from the notebook's
 * folder, then from skybook's own folder (so a notebook anywhere can use the packages skybook ships with).
 *
 * @example
 * const loader = new ModuleLoader(process.cwd(), skybookRoot);
 * await loader.prepare(js);
 * loader.require('@observablehq/plot');
 */
export class ModuleLoader {
  readonly #cwd: string;
  readonly #roots: string[];
  readonly #aliases: Record<string, string>;
  readonly #esm = new Map<string, Record<string, unknown>>();
  readonly #sideOutputs = new Map<string, string>();
  readonly #sideModules = new Map<string, Module>();
  readonly #cwdRequire: NodeJS.Require;
  readonly #rootRequires: NodeJS.Require[];
  /** The function handed to cells as `require`. */
  readonly require: Req;

  constructor(cwd: string, skybookRoot: string) {
    this.#cwd = resolve(cwd);
    this.#roots = [skybookRoot];
    this.#aliases = { skybook: skybookRoot };
    this.#cwdRequire = createRequire(join(this.#cwd, '__cell__.js'));
    this.#rootRequires = this.#roots.map((r) => createRequire(join(r, '__cell__.js')));
    this.require = this.#wrap(this.#cwd);
  }

  /** Registers compiled local modules; a changed file is recompiled on its next require. */
  setSideOutputs(outs: readonly SideOutput[]): void {
    for (const o of outs) {
      this.#sideModules.delete(o.path);
      this.#sideOutputs.set(o.path, o.data);
    }
  }

  /** Loads, with `import()`, the ES-only modules `js` (and the local modules it uses) will require. */
  async prepare(js: string): Promise<void> {
    const texts = [js, ...this.#sideOutputs.values()];
    for (const text of texts) {
      for (const m of text.matchAll(REQUIRE_CALL)) {
        const spec = JSON.parse(`"${m[1]!}"`) as string;
        if (this.#esm.has(spec)) continue;
        const file = esmFile(spec, this.#cwd, this.#roots, this.#aliases);
        if (file) this.#esm.set(spec, interop((await import(pathToFileURL(file).href)) as Record<string, unknown>));
      }
    }
  }

  /** Registers an already-imported ES module namespace under a specifier (the preload does this for skybook). */
  provide(spec: string, ns: Record<string, unknown>): void {
    this.#esm.set(spec, interop(ns));
  }

  #wrap(dir: string): Req {
    return (id: string) => {
      const esm = this.#esm.get(id);
      if (esm) return esm;
      const side = this.#side(id, dir);
      if (side) return side.exports;
      try {
        return dir === this.#cwd ? this.#cwdRequire(id) : createRequire(join(dir, '__side__.js'))(id);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || id.startsWith('.') || id.startsWith('/')) throw e;
        for (const r of this.#rootRequires) {
          try {
            return r(id);
          } catch {
            /* try the next root; the first error is the one to report */
          }
        }
        throw e;
      }
    };
  }

  #side(id: string, dir: string): Module | undefined {
    if (!id.startsWith('.') && !id.startsWith('/')) return undefined;
    let file = resolve(dir, id);
    if (extname(file) === '') file += '.js';
    const cached = this.#sideModules.get(file);
    if (cached) return cached;
    const code = this.#sideOutputs.get(file);
    if (code === undefined) return undefined;
    // Compile the way Node's CommonJS loader would, but with our require so its imports resolve like a cell's.
    const mod = new Module(file) as Module & { _compile(code: string, file: string): void; paths: string[] };
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dirname(file));
    mod.require = Object.assign(this.#wrap(dirname(file)), this.#cwdRequire) as NodeJS.Require;
    this.#sideModules.set(file, mod);
    mod._compile(code, file);
    return mod;
  }
}
