import { Compiler } from './compiler.js';
import { Executor } from './executor.js';
import { ModuleLoader } from './module-loader.js';
import { preload, type KernelHosts, type Preloaded } from './preload.js';

/** The cell machinery once it is built: the executor and what the preload defined. */
export interface Engine {
  executor: Executor;
  preloaded: Preloaded;
}

/**
 * Builds the engine: starts the compiler thread unless the caller already did (tslab's converter; its first
 * TypeScript program takes seconds to build, off the main thread), and meanwhile imports skybook's library and defines the preloaded names. Resolves when
 * both are done.
 *
 * @example
 * const engine = await buildEngine(process.cwd(), skybookRoot, { display: (v) => kernel.display(v), progress: () => new KernelProgress(kernel) });
 */
export async function buildEngine(cwd: string, root: string, hosts: KernelHosts, compiler = new Compiler(cwd, root)): Promise<Engine> {
  const loader = new ModuleLoader(cwd, root);
  const executor = new Executor(compiler, loader, '');
  const preloaded = await preload(executor, loader, root, hosts);
  executor.seedDeclarations(preloaded.decl, preloaded.names);
  await compiler.ready;
  return { executor, preloaded };
}
