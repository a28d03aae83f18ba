import { createRequire } from 'node:module';

let doc: unknown;

/**
 * A jsdom `document` for Observable Plot, which needs one to draw in Node (as lib/viz does it; lib/pipeline sits below
 * lib/viz, so it keeps its own). jsdom is loaded on the first call only: it is slow to load, and only the dashboard
 * draws.
 *
 * @example
 * const svg = Plot.plot({ marks: [Plot.dot([1, 2])], document: plotDocument() });
 */
// biome-ignore lint/suspicious/noExplicitAny: a DOM Document; skybook compiles without the DOM lib
export function plotDocument(): any {
  if (!doc) {
    // Typed by hand: @types/jsdom would pull the DOM lib into every skybook compile.
    const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: { document: unknown } } };
    doc = new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
  }
  return doc;
}

/**
 * Renumbers every `id` in SVG markup as `${prefix}-1`, `${prefix}-2`, ... with the references to them: Observable Plot
 * numbers its clip paths with a process-wide counter, and the page must be the same bytes for the same ledger.
 *
 * @example
 * renumberIds('<clipPath id="plot-clip-7"/><g clip-path="url(#plot-clip-7)"/>', 'p3'); // '<clipPath id="p3-1"/><g clip-path="url(#p3-1)"/>'
 */
export function renumberIds(markup: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of markup.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return markup;
  return markup.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? lead + ids.get(id)! : all));
}
