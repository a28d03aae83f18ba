import { inspect } from 'node:util';
import { isArrowTable, tableHtml, tableText } from './arrow-table.js';
import { vectorText } from './arrow-vector.js';
import { isArrowVector } from './json-value.js';
import { elementBundle, isElement } from './plot-svg.js';
import { isPlotlyFigure, plotlyBundle } from './plotly.js';

/** A Jupyter MIME bundle: MIME type -> data (strings, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown>;

/** Turns values of one kind into a MIME bundle. `id` is a counter-based id for any element ids the output needs. */
export interface Renderer {
  name: string;
  test(value: unknown): boolean;
  render(value: unknown, id: string): MimeBundle;
}

/** A value may render itself: an object with a method under this symbol returning a MIME bundle. */
export const DISPLAY = Symbol.for('skybook.display');

const selfRendering: Renderer = {
  name: 'self',
  test: (v) => typeof v === 'object' && v !== null && typeof (v as Record<symbol, unknown>)[DISPLAY] === 'function',
  render: (v, id) => (v as Record<symbol, (id: string) => MimeBundle>)[DISPLAY]!(id),
};

const arrowTable: Renderer = {
  name: 'arrow-table',
  test: isArrowTable,
  render: (v) => (isArrowTable(v) ? { 'text/html': tableHtml(v), 'text/plain': tableText(v) } : {}),
};

const arrowVector: Renderer = {
  name: 'arrow-vector',
  test: isArrowVector,
  render: (v) => ({ 'text/plain': vectorText(v as Parameters<typeof vectorText>[0]) }),
};

const plotly: Renderer = {
  name: 'plotly',
  test: isPlotlyFigure,
  render: (v, id) => (isPlotlyFigure(v) ? plotlyBundle(v, id) : {}),
};

const element: Renderer = {
  name: 'element',
  test: isElement,
  render: (v, id) => (isElement(v) ? elementBundle(v, id) : {}),
};

const renderers: Renderer[] = [selfRendering, arrowTable, arrowVector, plotly, element];

/**
 * Adds a renderer, tried before the built-in ones (self-rendering values, Arrow tables and vectors, Plotly figures,
 * DOM elements).
 *
 * @example
 * registerRenderer({ name: 'voids', test: (v) => v instanceof VoidCatalog, render: (v) => ({ 'text/plain': String(v) }) });
 */
export function registerRenderer(r: Renderer): void {
  renderers.unshift(r);
}

/**
 * The value's `text/plain` form: strings quoted, objects as Node's `util.inspect` prints them (no colours, bounded
 * depth and length, so the text is the same on every run).
 *
 * @example
 * plainText({ z: 0.5 }); // '{ z: 0.5 }'
 */
export function plainText(value: unknown): string {
  return inspect(value, { colors: false, depth: 3, maxArrayLength: 50, maxStringLength: 10_000, breakLength: 100, sorted: false });
}

/**
 * The rich MIME bundle for a value: the first renderer that accepts it, else `text/plain` only. Deterministic: the same
 * value and `id` give the same bytes.
 *
 * @example
 * mimeBundle(table, 'skybook-1-1'); // { 'text/html': '<div class="skybook-table">…', 'text/plain': '…' }
 */
export function mimeBundle(value: unknown, id: string): MimeBundle {
  for (const r of renderers) {
    if (r.test(value)) {
      const b = r.render(value, id);
      return 'text/plain' in b ? b : { ...b, 'text/plain': plainText(value) };
    }
  }
  return { 'text/plain': plainText(value) };
}
