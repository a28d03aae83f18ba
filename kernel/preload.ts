import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Progress } from '../lib/core/index.js';
import type { Executor } from './executor.js';
import type { ModuleLoader } from './module-loader.js';
import { esmFile } from './resolve-esm.js';

/**
 * The names a notebook uses most, put in the cells' scope as they are: skybook's curated root (docs/api.md). The
 * namespaces (`sky.fits`, `sky.desi`, `sky.store`, ...) stay under `sky`, so a cell may still call its own variable
 * `store` or `fits`. Names the library does not export are skipped.
 */
export const PRELOAD_NAMES = [
  'openFits',
  'readZcatalog',
  'readRedrock',
  'readSpectra',
  'openStore',
  'ingest',
  'sql',
  'makeSurvey',
  'display',
  'plotlyFigure',
  'SkybookError',
] as const;

/** What the preload put into the cells' scope. */
export interface Preloaded {
  /** Declarations the first cell is type-checked against (import lines and ambient names). */
  decl: string;
  /** The names defined, in order. */
  names: string[];
}

/** How the kernel shows things: rich outputs under the running cell, and long work as one display updated in place. */
export interface KernelHosts {
  display(value: unknown): string;
  progress(): Progress;
}

/**
 * Loads skybook's library (by dynamic import, so the kernel answers Jupyter before this finishes) and apache-arrow's
 * ESM build, makes the kernel the library's display and progress host, and defines in the cells' scope: `sky` (the
 * whole package, the same shape as `import * as sky from 'skybook'`), the {@link PRELOAD_NAMES}, `arrow` and
 * `document` (a jsdom document for Observable Plot, made on first use).
 *
 * @example
 * const pre = await preload(executor, loader, skybookRoot, { display: (v) => kernel.display(v), progress: () => new KernelProgress(kernel) });
 */
export async function preload(ex: Executor, loader: ModuleLoader, root: string, hosts: KernelHosts): Promise<Preloaded> {
  const sky = (await import(pathToFileURL(join(root, 'dist', 'lib', 'index.js')).href)) as typeof import('../lib/index.js');
  loader.provide('skybook', sky);
  sky.viz.setDisplayHost(hosts.display);
  sky.core.setProgressHost(hosts.progress);
  const arrowFile = esmFile('apache-arrow', root, [], {});
  const arrow = arrowFile ? ((await import(pathToFileURL(arrowFile).href)) as Record<string, unknown>) : undefined;
  const exported = sky as unknown as Record<string, unknown>;
  const named = PRELOAD_NAMES.filter((n) => exported[n] !== undefined);
  const locals = ex.locals;
  locals.sky = sky;
  for (const n of named) locals[n] = exported[n];
  if (arrow) locals.arrow = arrow;
  ex.defineLazy('document', () => sky.viz.plotDocument());
  const decl = [
    'import * as sky from "skybook";',
    named.length ? `import { ${named.join(', ')} } from "skybook";` : '',
    arrow ? 'import * as arrow from "apache-arrow";' : '',
    '/** A jsdom document: pass it to Observable Plot, `Plot.plot({ marks, document })`. */',
    'declare const document: any;',
    '',
  ]
    .filter((l, i, a) => l !== '' || i === a.length - 1)
    .join('\n');
  return { decl, names: ['sky', ...named, ...(arrow ? ['arrow'] : []), 'document'] };
}
