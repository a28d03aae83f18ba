import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { diagnosticsError, runtimeError, type CellError } from './cell-error.js';
import type { RunCellMaps } from './cell-source-map.js';
import type { ModuleLoader } from './module-loader.js';
import type { Compiler } from './compiler.js';

/** How one cell ended: with a value (or none), or with an error. */
export type Outcome = { status: 'ok'; hasValue: boolean; value?: unknown } | ({ status: 'error' } & CellError);

const KERNEL_DIR = dirname(fileURLToPath(import.meta.url));
/** The global that hands a cell its locals and require (tslab uses `__tslab__`; ours is separate). */
const GLOBAL = '__skybook_kernel__';

/** Locals shared by all cells; named imports compile to defineProperty, which we turn into plain, rewritable sets. */
function createLocals(): { proxy: Record<string, unknown>; target: Record<string, unknown> } {
  const target: Record<string, unknown> = {};
  const proxy = new Proxy(target, {
    defineProperty(_t, prop, attrs) {
      if (prop === '__esModule') return true;
      Reflect.deleteProperty(target, prop);
      target[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
  return { proxy, target };
}

/**
 * Runs cells: tslab's converter type-checks and transpiles each one against the declarations of the cells before it,
 * the module loader makes ES-only imports work, and the last expression's value comes back (not printed), so the
 * kernel can display it. Errors come back as data, never as console output.
 *
 * @example
 * const ex = new Executor(new Compiler(cwd, skybookRoot), new ModuleLoader(cwd, skybookRoot), '');
 * const out = await ex.execute('1 + 1', 1); // { status: 'ok', hasValue: true, value: 2 }
 */
export class Executor {
  readonly #locals = createLocals();
  /** The cells' shared variables (what `exports.x` means in transpiled cells). */
  readonly locals = this.#locals.proxy;
  #prevDecl: string;
  /** Each run cell's source maps, by its file name in stack traces (`cell-3.js`). */
  readonly #sourceMaps = new Map<string, RunCellMaps>();
  /** The preload's declarations while no cell has needed them yet, and the names they declare. */
  #preload: { decl: string; mentions: RegExp } | undefined;
  #warming: Promise<void> | undefined;
  #interrupt!: (e: Error) => void;
  #interrupted!: Promise<never>;

  constructor(
    private readonly compiler: Compiler,
    private readonly loader: ModuleLoader,
    initialDecl: string,
  ) {
    this.#prevDecl = initialDecl;
    (globalThis as Record<string, unknown>)[GLOBAL] = { exports: this.locals, require: loader.require };
    this.#resetInterrupt();
  }

  #resetInterrupt(): void {
    this.#interrupted = new Promise<never>((_, reject) => {
      this.#interrupt = reject;
    });
    this.#interrupted.catch(() => {
      /* only raced against a running cell */
    });
  }

  /**
   * Stops the running cell, whatever phase it is in (compiling, loading modules, awaiting); a cell busy in synchronous
   * code is stopped by SIGINT through vm's breakOnSigint instead. With no cell running it does nothing.
   */
  interrupt(): void {
    const e = new Error('the cell was interrupted');
    e.name = 'Interrupted';
    this.#interrupt(e);
  }

  /** `p`, unless the cell is interrupted first. */
  #interruptible<T>(p: Promise<T>): Promise<T> {
    p.catch(() => {
      /* reported through the race unless the cell was interrupted first */
    });
    return Promise.race([p, this.#interrupted]);
  }

  /**
   * Gives the preload's declarations (import lines for `names`). Checking them means parsing skybook's and
   * apache-arrow's type declarations (0.4-0.7 s), so they join the declarations cells are checked against only at the
   * first cell that mentions one of `names`: a cell that mentions none of them type-checks the same without them.
   */
  seedDeclarations(decl: string, names: readonly string[]): void {
    const words = names.map((n) => n.replace(/[$]/g, '\\$')).join('|');
    this.#preload = names.length ? { decl, mentions: new RegExp(`(?<![\\w$])(?:${words})(?![\\w$])`) } : undefined;
    if (!this.#preload) this.#prevDecl = decl;
  }

  /** The declarations `src` is checked against; the preload's join them for good once a cell mentions its names. */
  #declFor(src: string): string {
    if (this.#preload?.mentions.test(src)) {
      this.#prevDecl = this.#allDecl();
      this.#preload = undefined;
    }
    return this.#prevDecl;
  }

  /** Every declaration in scope, the preload's included (completions and hover must offer `sky` before it is used). */
  #allDecl(): string {
    return this.#preload ? `${this.#preload.decl}${this.#prevDecl}` : this.#prevDecl;
  }

  /**
   * Called when no request is waiting: has the compiler parse the preload's declarations now, so the first cell that
   * uses `sky` does not wait for them. Does nothing once they are in (or being parsed).
   */
  warmWhenIdle(): void {
    if (!this.#preload || this.#warming) return;
    this.#warming = this.compiler.warm(this.#allDecl()).catch(() => {
      /* shows up on the cell that needs it */
    });
  }

  /** Defines a preloaded name whose value is made on first use (a cell that assigns the name replaces it). */
  defineLazy(name: string, make: () => unknown): void {
    let value: unknown;
    let made = false;
    Object.defineProperty(this.#locals.target, name, {
      configurable: true,
      enumerable: true,
      get: () => {
        if (!made) {
          value = make();
          made = true;
        }
        return value;
      },
      set: (v) => {
        value = v;
        made = true;
      },
    });
  }

  /** Runs one cell; `count` names it in stack traces (`cell-3.js`). */
  async execute(src: string, count: number | null): Promise<Outcome> {
    this.#resetInterrupt();
    let c;
    try {
      const r = await this.#interruptible(this.compiler.compile(this.#declFor(src), src, Object.keys(this.#locals.target)));
      if (r.kind === 'module')
        return r.diagnostics.length ? { status: 'error', ...diagnosticsError(r.diagnostics, src) } : { status: 'ok', hasValue: false };
      if (r.kind === 'browser')
        return {
          status: 'error',
          ename: 'UnsupportedError',
          evalue: '@browser cells are not supported by the skybook kernel',
          traceback: [],
        };
      c = r;
    } catch (e) {
      return { status: 'error', ...runtimeError(e, KERNEL_DIR) };
    }
    if (c.sideOutputs) this.loader.setSideOutputs(c.sideOutputs);
    if (c.diagnostics.length > 0) return { status: 'error', ...diagnosticsError(c.diagnostics, src) };
    if (!c.output) {
      this.#prevDecl = c.declOutput ?? '';
      return { status: 'ok', hasValue: false };
    }
    try {
      await this.#interruptible(this.loader.prepare(c.output));
      const head = `(${c.hasToplevelAwait ? 'async ' : ''}function (exports, require) { `;
      const wrapped = `${head}${c.output}\n})(${GLOBAL}.exports, ${GLOBAL}.require)`;
      const filename = `cell-${count ?? 'silent'}.js`;
      // kept for every cell run: a function defined in one cell can throw from a later one
      if (c.sourceMaps)
        this.#sourceMaps.set(filename, {
          maps: c.sourceMaps,
          firstLineShift: head.length,
          lines: src.split('\n').length,
          compiledLines: c.output.split('\n').length,
        });
      const ret: unknown = vm.runInThisContext(wrapped, {
        filename,
        breakOnSigint: true,
        displayErrors: false,
      });
      if (c.hasToplevelAwait) await this.#interruptible(ret as Promise<unknown>);
    } catch (e) {
      return { status: 'error', ...runtimeError(e, KERNEL_DIR, (file) => this.#sourceMaps.get(file)) };
    }
    this.#prevDecl = c.declOutput ?? '';
    if (!c.lastExpressionVar) return { status: 'ok', hasValue: false };
    const value = this.locals[c.lastExpressionVar];
    delete this.locals[c.lastExpressionVar];
    return { status: 'ok', hasValue: value !== undefined, value };
  }

  /** Completion candidates at a cursor offset in `src`. */
  complete(src: string, pos: number): Promise<{ start: number; end: number; candidates: string[] }> {
    return this.compiler.complete(this.#allDecl(), src, pos);
  }

  /** Hover text (the type and its documentation) at a cursor offset, or undefined. */
  async inspect(src: string, pos: number): Promise<string | undefined> {
    const info = await this.compiler.inspect(this.#allDecl(), src, pos);
    if (!info?.displayParts) return undefined;
    const doc = (info.documentation ?? []).map((p) => p.text).join('');
    return info.displayParts.map((p) => p.text).join('') + (doc ? `\n\n${doc}` : '');
  }

  /** Whether `src` is a complete cell (tslab's check), with the indent for the next line when it is not. */
  isComplete(src: string): Promise<{ completed: boolean; indent?: string }> {
    return this.compiler.isComplete(src);
  }
}
