import { escapeHtml, scriptJson } from './html.js';
import { toJsonValue } from './json-value.js';

/** The MIME type JupyterLab's Plotly renderer reads. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** A Plotly figure as plain data: traces, and optionally layout, config and animation frames. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: Record<string, unknown>[];
}

const FIGURE_KEYS = new Set(['data', 'layout', 'config', 'frames']);
const TRACE_HINTS = ['type', 'x', 'y', 'z', 'values', 'lat', 'lon', 'r'];

/**
 * Builds a Plotly figure (plain data the kernel displays as an interactive plot). Arrow vectors and typed arrays in
 * traces are fine; they become JSON arrays when rendered.
 *
 * @example
 * plotlyFigure([{ type: 'histogram', x: table.getChild('Z') }], { title: { text: 'redshift' } });
 */
export function plotlyFigure(
  data: Record<string, unknown>[],
  layout: Record<string, unknown> = {},
  config?: Record<string, unknown>,
): PlotlyFigure {
  return config ? { data, layout, config } : { data, layout };
}

/**
 * Whether a value looks like a Plotly figure: only the keys data/layout/config/frames, `data` an array of trace
 * objects, and either a layout or traces that name a type or coordinates.
 *
 * @example
 * isPlotlyFigure({ data: [{ type: 'scatter', x: [1], y: [2] }] }); // true
 * isPlotlyFigure({ data: [1, 2, 3] }); // false
 */
export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (!keys.includes('data') || !keys.every((k) => FIGURE_KEYS.has(k))) return false;
  const data = (value as { data: unknown }).data;
  if (!Array.isArray(data) || !data.every((t) => typeof t === 'object' && t !== null && !Array.isArray(t))) return false;
  const hasLayout = typeof (value as { layout?: unknown }).layout === 'object';
  return hasLayout || (data.length > 0 && data.every((t) => TRACE_HINTS.some((h) => h in t)));
}

/** One line naming the traces, for text/plain. */
export function plotlySummary(fig: PlotlyFigure): string {
  const types = fig.data.map((t) => (typeof t.type === 'string' ? t.type : 'scatter'));
  return `Plotly figure: ${fig.data.length} trace${fig.data.length === 1 ? '' : 's'}${types.length ? ` (${types.join(', ')})` : ''}`;
}

/**
 * A Plotly figure as a Jupyter MIME bundle: `application/vnd.plotly.v1+json` (JupyterLab renders it), a `text/html`
 * fallback that draws with `window.Plotly` when the page has it (the HTML export embeds plotly.js once) and says so
 * otherwise, and `text/plain`. `id` names the fallback's div; pass a counter-based id so the bytes are reproducible.
 *
 * @example
 * const bundle = plotlyBundle(plotlyFigure([{ x: [1, 2], y: [3, 4] }]), 'skybook-3-1');
 */
export function plotlyBundle(fig: PlotlyFigure, id: string): Record<string, unknown> {
  const json = toJsonValue(fig) as Record<string, unknown>;
  const summary = plotlySummary(fig);
  const eid = escapeHtml(id);
  const html = [
    `<div id="${eid}" class="skybook-plotly"></div>`,
    '<script type="text/javascript">',
    `(function () { var fig = ${scriptJson(json)}; var el = document.getElementById(${scriptJson(id)});`,
    `  if (window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout || {}, fig.config || {}); }`,
    `  else { el.textContent = ${scriptJson(`${summary} (plotly.js is not loaded on this page)`)}; } })();`,
    '</script>',
  ].join('\n');
  return { [PLOTLY_MIME]: json, 'text/html': html, 'text/plain': summary };
}
