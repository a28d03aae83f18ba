import { plotDocument, renumberIds } from '../core/index.js';

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

// Kept here too, where notebook users have always found it (viz.plotDocument); it lives in lib/core so that
// lib/pipeline's dashboard draws with the same document.
export { plotDocument };
