import { Worker } from 'node:worker_threads';
import { InternalError, KernelError } from '../lib/errors/index.js';
import type { CellSourceMaps } from './cell-source-map.js';
import type { ConvertResult, TsDiagnostic } from './tslab-engine.js';

/** What compiling a cell gives: a module cell's diagnostics, an unsupported browser cell, or a converted cell. */
export type CompileResult =
  | { kind: 'module'; diagnostics: TsDiagnostic[] }
  | { kind: 'browser' }
  | ({ kind: 'cell'; sourceMaps?: CellSourceMaps } & ConvertResult);

/**
 * The main thread's handle on the compiler thread (compiler-worker.ts): every call is one message and one answer.
 * `ready` resolves when tslab's converter has built its first program.
 *
 * @example
 * const compiler = new Compiler(process.cwd(), skybookRoot);
 * const r = await compiler.compile(prevDecl, 'const x: number = 1', []);
 */
export class Compiler {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #next = 0;
  readonly ready: Promise<void>;

  constructor(cwd: string, root: string) {
    this.#worker = new Worker(new URL('./compiler-worker.js', import.meta.url), { workerData: { cwd, root } });
    this.#worker.unref();
    let onReady!: () => void;
    let onFail!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    this.#worker.on('message', (m: { id?: number; ready?: boolean; result?: unknown; error?: string }) => {
      if (m.ready) return onReady();
      const p = this.#pending.get(m.id!);
      this.#pending.delete(m.id!);
      if (m.error !== undefined) p?.reject(new InternalError(`the TypeScript compiler failed: ${m.error}`));
      else p?.resolve(m.result);
    });
    const fail = (e: Error) => {
      onFail(e);
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new KernelError(`the compiler thread exited (code ${code})`, { kernel: 'skybook' })));
  }

  #call<T>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, op, args });
    });
  }

  /** Type-checks and transpiles a cell against `prevDecl`; `names` are the variables earlier cells defined. */
  compile(prevDecl: string, src: string, names: string[]): Promise<CompileResult> {
    return this.#call('compile', prevDecl, src, names);
  }

  complete(prevDecl: string, src: string, pos: number): Promise<{ start: number; end: number; candidates: string[] }> {
    return this.#call('complete', prevDecl, src, pos);
  }

  inspect(
    prevDecl: string,
    src: string,
    pos: number,
  ): Promise<{ displayParts?: { text: string }[]; documentation?: { text: string }[] } | undefined> {
    return this.#call('inspect', prevDecl, src, pos);
  }

  isComplete(src: string): Promise<{ completed: boolean; indent?: string }> {
    return this.#call('isComplete', src);
  }

  /** Has the compiler parse what `decl` imports now, so a later cell that needs it does not wait for it. */
  warm(decl: string): Promise<void> {
    return this.#call('warm', decl);
  }

  /** Stops the compiler thread. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
