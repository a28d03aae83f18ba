import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { diagnosticsError, runtimeError, type CellError } from './cell-error.js';
import type { ModuleLoader } from './module-loader.js';
import type { Converter, CodeMetadata } from './tslab-engine.js';

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
 * const ex = new Executor(converter, loader, getCodeMetadata, preloadDecl);
 * const out = await ex.execute('1 + 1', 1); // { status: 'ok', hasValue: true, value: 2 }
 */
export class Executor {
  readonly #locals = createLocals();
  /** The cells' shared variables (what `exports.x` means in transpiled cells). */
  readonly locals = this.#locals.proxy;
  #prevDecl: string;
  #interrupt!: (e: Error) => void;
  #interrupted!: Promise<never>;

  constructor(
    private readonly conv: Converter,
    private readonly loader: ModuleLoader,
    private readonly metadata: (src: string) => CodeMetadata,
    initialDecl: string,
  ) {
    this.#prevDecl = initialDecl;
    (globalThis as Record<string, unknown>)[GLOBAL] = { exports: this.locals, require: loader.require };
    this.#resetInterrupt();
  }

  #resetInterrupt(): void {
    this.#interrupted = new Promise<never>((_, reject) => { this.#interrupt = reject; });
    this.#interrupted.catch(() => { /* only raced against a running cell */ });
  }

  /** Stops a cell that is awaiting (a cell busy in synchronous code is stopped by SIGINT through vm's breakOnSigint). */
  interrupt(): void {
    const e = new Error('the cell was interrupted');
    e.name = 'Interrupted';
    this.#interrupt(e);
    this.#resetInterrupt();
  }

  /** Replaces the declarations the next cell is checked against (the preload seeds them once). */
  seedDeclarations(decl: string): void {
    this.#prevDecl = decl;
  }

  /** Defines a preloaded name whose value is made on first use (a cell that assigns the name replaces it). */
  defineLazy(name: string, make: () => unknown): void {
    let value: unknown;
    let made = false;
    Object.defineProperty(this.#locals.target, name, {
      configurable: true,
      enumerable: true,
      get: () => {
        if (!made) { value = make(); made = true; }
        return value;
      },
      set: (v) => { value = v; made = true; },
    });
  }

  /** Runs one cell; `count` names it in stack traces (`cell-3.js`). */
  async execute(src: string, count: number | null): Promise<Outcome> {
    const meta = this.metadata(src);
    if (meta.module) {
      const diags = this.conv.addModule(meta.module, src, meta);
      return diags.length ? { status: 'error', ...diagnosticsError(diags, src) } : { status: 'ok', hasValue: false };
    }
    if (meta.mode === 'browser') return { status: 'error', ename: 'UnsupportedError', evalue: '@browser cells are not supported by the skybook kernel', traceback: [] };
    const c = this.conv.convert(this.#prevDecl, src);
    if (c.sideOutputs) this.loader.setSideOutputs(c.sideOutputs);
    if (c.diagnostics.length > 0) return { status: 'error', ...diagnosticsError(c.diagnostics, src) };
    if (!c.output) {
      this.#prevDecl = c.declOutput ?? '';
      return { status: 'ok', hasValue: false };
    }
    try {
      await this.loader.prepare(c.output);
      const wrapped = `(${c.hasToplevelAwait ? 'async ' : ''}function (exports, require) { ${c.output}\n})(${GLOBAL}.exports, ${GLOBAL}.require)`;
      const ret: unknown = vm.runInThisContext(wrapped, { filename: `cell-${count ?? 'silent'}.js`, breakOnSigint: true });
      if (c.hasToplevelAwait) {
        const done = ret as Promise<unknown>;
        done.catch(() => { /* reported through the race unless the cell was interrupted first */ });
        await Promise.race([done, this.#interrupted]);
      }
    } catch (e) {
      return { status: 'error', ...runtimeError(e, KERNEL_DIR) };
    }
    this.#prevDecl = c.declOutput ?? '';
    if (!c.lastExpressionVar) return { status: 'ok', hasValue: false };
    const value = this.locals[c.lastExpressionVar];
    delete this.locals[c.lastExpressionVar];
    return { status: 'ok', hasValue: value !== undefined, value };
  }

  /** Completion candidates at a cursor offset in `src`. */
  complete(src: string, pos: number): { start: number; end: number; candidates: string[] } {
    return this.conv.complete(this.#prevDecl, src, pos);
  }

  /** Hover text (the type and its documentation) at a cursor offset, or undefined. */
  inspect(src: string, pos: number): string | undefined {
    const info = this.conv.inspect(this.#prevDecl, src, pos);
    if (!info?.displayParts) return undefined;
    const doc = (info.documentation ?? []).map((p) => p.text).join('');
    return info.displayParts.map((p) => p.text).join('') + (doc ? `\n\n${doc}` : '');
  }
}
