import type { RunRow } from '../../store/index.js';
import { type QaReportFile, rowFolder } from '../metrics/index.js';
import { fileHref, html, when } from './html-text.js';
import { badge, type LinkBase, newestFirst } from './run-sections.js';

/** A check's value as the report gave it: numbers and counts (decimal strings) as written, anything else as JSON. */
function valueText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);
}

/**
 * QA gate runs, newest first: each run's status and, where its JSON report is there, every check with its value, failed
 * checks first and marked, and a link to the report; a run whose report is missing says so.
 *
 * @example
 * qaSection(runs, await qaReports(runs, root), { root, outDir }); // '<section id="qa">...'
 */
export function qaSection(runs: readonly RunRow[], reports: ReadonlyMap<string, QaReportFile>, base: LinkBase): string {
  const qa = newestFirst(runs).filter((r) => r.kind === 'qa');
  if (qa.length === 0) return '<section id="qa"><h2>QA gates</h2><p class="none">No QA runs recorded.</p></section>';
  const blocks = qa.map((r) => {
    const rep = reports.get(r.runId);
    const head = `<h3>${badge(r.status)} <a href="#run-${html(r.runId)}">${html(r.name)}</a> <span class="when">${html(when(r.startedAt))}</span></h3>`;
    if (!rep)
      return `<div class="qa-run" data-qa-run="${html(r.runId)}">${head}<p class="none">No QA report found among this run's outputs.</p></div>`;
    const checks = [...rep.results.filter((c) => !c.passed), ...rep.results.filter((c) => c.passed)];
    const rows = checks
      .map(
        (c) =>
          `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${badge(c.passed ? 'passed' : 'failed')}</td><td>${html(c.name)}</td><td class="num">${html(valueText(c.value))}</td><td>${html(c.message ?? '')}</td></tr>`,
      )
      .join('\n');
    const failed = rep.results.filter((c) => !c.passed).length;
    return `<div class="qa-run" data-qa-run="${html(r.runId)}">${head}
<p>${rep.passed ? 'passed' : 'breached'}: ${rep.results.length - failed} of ${rep.results.length} checks passed; report <a href="${html(fileHref(rep.path, rowFolder(r, base.root), base.outDir))}">${html(rep.path)}</a></p>
<table class="checks"><thead><tr><th>result</th><th>check</th><th>value</th><th>finding</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
  });
  return `<section id="qa"><h2>QA gates</h2>\n${blocks.join('\n')}\n</section>`;
}
