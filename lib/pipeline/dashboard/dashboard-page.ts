import { redactUrl } from '../../core/index.js';
import type { RunRow } from '../../store/index.js';
import type { QaReportFile } from '../metrics/index.js';
import { DASHBOARD_CSS } from './dashboard-style.js';
import { durationPlots } from './duration-plots.js';
import { html, when } from './html-text.js';
import { qaSection } from './qa-section.js';
import { type LinkBase, runsSection, summarySection } from './run-sections.js';

/** What the page is drawn from. */
export interface DashboardInput extends LinkBase {
  /** The ledger's runs, oldest first, as `RunLedger.runs()` returns them. */
  runs: readonly RunRow[];
  /** QA reports by run id ({@link qaReports}). */
  reports: ReadonlyMap<string, QaReportFile>;
  /** The ledger's URL, shown in the header (a password in it is never shown). */
  ledger: string;
}

/** The page and what is on it. */
export interface DashboardPage {
  html: string;
  plots: number;
}

/**
 * The dashboard: one self-contained HTML page (inline CSS, inline SVG plots, no script, nothing fetched) with a summary
 * that puts failures first, the QA gates' results, each stage's and notebook's durations over time, and every run with
 * links to its executed notebook, manifest and outputs (relative to the page). The same ledger (and reports) always
 * gives the same bytes: no clock is read, and the page is dated by its latest run.
 *
 * @example
 * const page = await dashboardPage({ runs, reports, ledger: ledger.url, root: '/proj', outDir: '/proj/site' });
 * writeFileSync('/proj/site/index.html', page.html);
 */
export async function dashboardPage(input: DashboardInput): Promise<DashboardPage> {
  const { runs } = input;
  const plots = await durationPlots(runs);
  const latest = runs.length ? runs[runs.length - 1]!.startedAt : null;
  const figures = plots.map(
    (p) =>
      `<figure class="plot" data-plot-kind="${html(p.kind)}" data-plot-name="${html(p.name)}"><figcaption>${html(p.kind)} <b>${html(p.name)}</b> (${p.points} run${p.points === 1 ? '' : 's'})</figcaption>\n${p.svg}\n</figure>`,
  );
  const legend = ['completed', 'failed', 'interrupted']
    .map((s) => `<span class="key"><span class="dot s-${s}"></span>${s}</span>`)
    .join(' ');
  const body = [
    `<header><h1>skybook runs</h1><p>Ledger <code>${html(redactUrl(input.ledger))}</code>${latest ? `; latest run started ${html(when(latest))}` : ''}</p>
<nav><a href="#summary">summary</a> · <a href="#qa">QA gates</a> · <a href="#durations">durations</a> · <a href="#runs">all runs</a></nav></header>`,
    summarySection(runs),
    qaSection(runs, input.reports, input),
    `<section id="durations"><h2>Durations over time</h2>
${figures.length ? `<p class="legend">${legend}</p>\n<div class="plots">\n${figures.join('\n')}\n</div>` : '<p class="none">No ended runs to plot yet.</p>'}
</section>`,
    runsSection(runs, input),
  ];
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>skybook runs</title>
<style>
${DASHBOARD_CSS}
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
  return { html: page, plots: plots.length };
}
