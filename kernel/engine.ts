import { Executor } from './executor.js';
import { ModuleLoader } from './module-loader.js';
import { preload, type Preloaded } from './preload.js';
import { installTypeFallback } from './ts-fallback.js';
import { tslab } from './tslab-engine.js';

/** The cell machinery once it is built: the executor, what the preload defined, and tslab's is-complete check. */
export interface Engine {
  executor: Executor;
  preloaded: Preloaded;
  isComplete(code: string): { completed: boolean; indent?: string };
}

/**
 * Builds the engine: tslab's converter (the slow part, ~1 s: it compiles the first TypeScript program), the module
 * loader and the preload. The kernel starts this after its sockets are up, so Jupyter sees it alive at once.
 *
 * @example
 * const engine = await buildEngine(process.cwd(), skybookRoot, (v) => kernel.display(v));
 */
export async function buildEngine(cwd: string, root: string, display: (value: unknown) => string): Promise<Engine> {
  installTypeFallback(cwd, root);
  const t = tslab();
  const loader = new ModuleLoader(cwd, root);
  const executor = new Executor(t.createConverter(), loader, t.getCodeMetadata, '');
  const preloaded = await preload(executor, loader, root, display);
  executor.seedDeclarations(preloaded.decl);
  return { executor, preloaded, isComplete: t.isCompleteCode };
}
