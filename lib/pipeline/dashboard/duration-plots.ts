import type { RunKind, RunRow } from '../../store/index.js';
import { html } from './html-text.js';
import { plotDocument, renumberIds } from '../../core/index.js';
import { STATUS_COLORS, STATUS_ORDER } from './status-colors.js';

/** The kinds whose durations are plotted over time, one small plot per name: the parts of a chain people tune. */
const PLOTTED: readonly RunKind[] = ['pipeline', 'stage', 'notebook', 'ingest', 'qa', 'cloudy-grid'];

/** One small plot: the durations of one named stage, notebook, ... over time. */
export interface DurationPlot {
  kind: RunKind;
  name: string;
  /** Inline `<svg>` markup (Observable Plot), ids numbered for this plot alone. */
  svg: string;
  /** How many runs it shows. */
  points: number;
}

/**
 * Durations over time, one plot per (kind, name) that has ended runs which did work: a dot per run at its start time,
 * coloured by status, joined by a line, so a stage that slowly gets slower or suddenly fails stands out. Drawn with
 * Observable Plot on a jsdom document, in UTC, as inline SVG; plots come sorted by kind and name.
 *
 * @example
 * const plots = await durationPlots(await ledger.runs());
 * plots[0]?.svg.startsWith('<svg'); // true
 */
export async function durationPlots(runs: readonly RunRow[]): Promise<DurationPlot[]> {
  const groups = new Map<string, RunRow[]>();
  for (const r of runs)
    if (PLOTTED.includes(r.kind) && r.seconds !== null && r.status !== 'running' && r.status !== 'skipped')
      groups.set(`${r.kind}\u0000${r.name}`, [...(groups.get(`${r.kind}\u0000${r.name}`) ?? []), r]);
  if (groups.size === 0) return [];
  const Plot = await import('@observablehq/plot');
  const keys = [...groups.keys()].sort();
  return keys.map((key, i) => {
    const rows = groups.get(key)!;
    const data = rows.map((r) => ({ at: new Date(r.startedAt), seconds: r.seconds!, status: r.status }));
    const figure = Plot.plot({
      document: plotDocument(),
      width: 380,
      height: 170,
      marginLeft: 52,
      x: { type: 'utc', label: null, ticks: 4 },
      y: { label: 'seconds', grid: true, zero: true },
      color: { domain: [...STATUS_ORDER], range: STATUS_ORDER.map((s) => STATUS_COLORS[s]) },
      marks: [
        Plot.ruleY([0]),
        Plot.line(data, { x: 'at', y: 'seconds', stroke: '#607d8b' }),
        Plot.dot(data, {
          x: 'at',
          y: 'seconds',
          fill: 'status',
          r: 3.5,
          title: (d: { status: string; seconds: number }) => `${d.status}, ${d.seconds} s`,
        }),
      ],
    }) as unknown as { outerHTML: string };
    const { kind, name } = rows[0]!;
    const svg = renumberIds(figure.outerHTML, `plot${i + 1}`).replace(/^<svg/, `<svg aria-label="${html(`${kind} ${name} durations`)}"`);
    return { kind, name, svg, points: rows.length };
  });
}
