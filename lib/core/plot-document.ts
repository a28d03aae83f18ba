import { createRequire } from 'node:module';

let doc: unknown;

/**
 * A shared jsdom `document` for Observable Plot, which needs one to render in Node:
 * `Plot.plot({ marks, document: plotDocument() })`. jsdom is loaded on the first call only (it is slow to load).
 *
 * @example
 * const svg = Plot.plot({ marks: [Plot.rectY(z, Plot.binX())], document: plotDocument() });
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
 * Renumbers every `id` in an SVG or HTML fragment as `${prefix}-1`, `${prefix}-2`, ... in order of appearance, and the
 * references to them (`url(#id)`, `href="#id"`, `xlink:href="#id"`). Observable Plot numbers clip paths with a
 * process-wide counter, so the same plot drawn twice would otherwise differ; this makes the bytes depend only on the
 * plot and the prefix.
 *
 * @example
 * renumberIds('<clipPath id="plot-clip-7"/><g clip-path="url(#plot-clip-7)"/>', 'sky-2');
 * // '<clipPath id="sky-2-1"/><g clip-path="url(#sky-2-1)"/>'
 */
export function renumberIds(markup: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of markup.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return markup;
  return markup.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? lead + ids.get(id)! : all));
}
