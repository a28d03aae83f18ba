import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Executor } from './executor.js';
import type { ModuleLoader } from './module-loader.js';
import { esmFile } from './resolve-esm.js';

/**
 * Names a notebook always uses, taken from skybook's public API when it has them (the list may name things the
 * library grows later; absent names are skipped). Everything else is under `sky`.
 */
export const PRELOAD_NAMES = ['openFits', 'readZcatalog', 'readSpectra', 'openStore', 'sql', 'ingest', 'plotlyFigure'] as const;

/** What the preload put into the cells' scope. */
export interface Preloaded {
  /** Declarations the first cell is type-checked against (import lines and ambient names). */
  decl: string;
  /** The names defined, in order. */
  names: string[];
}

/**
 * Loads skybook's library (by dynamic import, so the kernel answers Jupyter before this finishes) and apache-arrow's
 * ESM build, and defines in the cells' scope: `sky` (all of skybook), the {@link PRELOAD_NAMES} it exports, `arrow`,
 * `document` (a jsdom document for Observable Plot, made on first use) and `display(value)`.
 *
 * @example
 * const pre = await preload(executor, loader, skybookRoot, (v) => kernel.display(v));
 */
export async function preload(ex: Executor, loader: ModuleLoader, root: string, display: (value: unknown) => string): Promise<Preloaded> {
  const sky = await import(pathToFileURL(join(root, 'dist', 'lib', 'index.js')).href) as Record<string, unknown>;
  loader.provide('skybook', sky);
  const arrowFile = esmFile('apache-arrow', root, [], {});
  const arrow = arrowFile ? await import(pathToFileURL(arrowFile).href) as Record<string, unknown> : undefined;
  const named = PRELOAD_NAMES.filter((n) => sky[n] !== undefined);
  const locals = ex.locals;
  locals.sky = sky;
  for (const n of named) locals[n] = sky[n];
  if (arrow) locals.arrow = arrow;
  locals.display = display;
  ex.defineLazy('document', () => (sky.plotDocument as () => unknown)());
  const decl = [
    'import * as sky from "skybook";',
    named.length ? `import { ${named.join(', ')} } from "skybook";` : '',
    arrow ? 'import * as arrow from "apache-arrow";' : '',
    '/** A jsdom document: pass it to Observable Plot, `Plot.plot({ marks, document })`. */',
    'declare const document: any;',
    '/** Shows a value (table, figure, SVG, anything) as a rich output now; returns its display id. */',
    'declare function display(value: unknown): string;',
    '',
  ].filter((l, i, a) => l !== '' || i === a.length - 1).join('\n');
  return { decl, names: ['sky', ...named, ...(arrow ? ['arrow'] : []), 'document', 'display'] };
}
