import { createRequire } from 'node:module';

/** The part of a DOM element the renderers read (jsdom's elements, Observable Plot's output). */
export interface ElementLike {
  readonly nodeName: string;
  readonly outerHTML: string;
}

/**
 * Whether a value is a DOM element (duck-typed: jsdom's elements come from another realm).
 *
 * @example
 * isElement(Plot.plot({ marks: [Plot.dot([1, 2])], document })); // true
 */
export function isElement(value: unknown): value is ElementLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ElementLike).outerHTML === 'string' &&
    typeof (value as ElementLike).nodeName === 'string'
  );
}

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

/**
 * A DOM element as a MIME bundle: an `<svg>` as `image/svg+xml` (with the SVG namespace), anything else (Plot's
 * `<figure>` with a legend or title) as `text/html`; ids renumbered under `id` so the output is reproducible.
 *
 * @example
 * elementBundle(Plot.plot({ marks: [Plot.dot([1, 2])], document: plotDocument() }), 'skybook-4-1');
 */
export function elementBundle(el: ElementLike, id: string): Record<string, string> {
  let markup = renumberIds(el.outerHTML, id);
  const tag = el.nodeName.toLowerCase();
  if (tag === 'svg') {
    if (!/^<svg[^>]*\sxmlns=/.test(markup)) markup = markup.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
    return { 'image/svg+xml': markup, 'text/plain': '<svg> (Observable Plot or other SVG)' };
  }
  return { 'text/html': markup, 'text/plain': `<${tag}> element` };
}
