import { STATUS_COLORS } from './status-colors.js';

const badges = Object.entries({ ...STATUS_COLORS, passed: STATUS_COLORS.completed })
  .map(([s, c]) => `.s-${s} { background: ${c}; }`)
  .join('\n');

/**
 * The dashboard's whole style sheet, inlined in the page (it works offline and from file://): system fonts, a readable
 * table, a badge colour per status.
 *
 * @example
 * `<style>${DASHBOARD_CSS}</style>`
 */
export const DASHBOARD_CSS = `body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; color: #1c2833; }
h1 { margin: 0 0 .25rem; } h2 { border-bottom: 1px solid #d5d8dc; padding-bottom: .2rem; margin-top: 2rem; }
nav a, a { color: #1a5276; }
code, pre { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { white-space: pre-wrap; max-width: 60rem; }
.badge { color: #fff; border-radius: .6rem; padding: 0 .5rem; font-size: 12px; white-space: nowrap; }
${badges}
.failures li { margin: .3rem 0; } .error { color: #922b21; }
.when { color: #566573; white-space: nowrap; }
.none { color: #566573; font-style: italic; }
/* a wide table scrolls inside its own box, never the page sideways */
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eaeded; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fdedec; }
.file { margin-right: .5rem; white-space: nowrap; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; }
figure.plot { margin: 0; border: 1px solid #eaeded; padding: .4rem; }
figcaption { font-size: 13px; margin-bottom: .2rem; }
.legend .key { margin-right: 1rem; } .legend .dot { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; margin-right: .3rem; }`;
