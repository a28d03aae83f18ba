import { escapeHtml } from '../../core/index.js';
import type { QaReport, QaResult } from './qa-report.js';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.3em}.verdict{font-weight:600;padding:.3em .6em;border-radius:4px;display:inline-block}
.ok{background:#e3f4e3;color:#1b5e20}.bad{background:#fde4e4;color:#b71c1c}
table{border-collapse:collapse;margin-top:1em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr.failed td{background:#fff3f3}tr.failed td.status{color:#b71c1c;font-weight:700}
td.status{color:#1b5e20}td.num{font-family:ui-monospace,monospace;text-align:right}`;

/**
 * The report as one self-contained HTML page (inline style, no scripts, nothing fetched): the verdict, then a table of
 * checks with the failed ones first and marked `FAIL`. Everything from the checks file, the store and the data is
 * escaped. The page holds no time, so the same results give the same bytes.
 *
 * @example
 * await writeFile('qa.html', qaReportHtml(report));
 */
export function qaReportHtml(report: QaReport): string {
  const failed = report.results.filter((r) => !r.passed);
  const ordered = [...failed, ...report.results.filter((r) => r.passed)];
  const verdict = report.passed
    ? `<p class="verdict ok">passed: all ${report.results.length} checks</p>`
    : `<p class="verdict bad">failed: ${failed.length} of ${report.results.length} checks</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>QA report: ${escapeHtml(report.checks)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>QA report: ${escapeHtml(report.checks)}</h1>
<p>Store: <code>${escapeHtml(report.store)}</code></p>
${verdict}
<table>
<thead><tr><th>status</th><th>check</th><th>table</th><th>column</th><th>kind</th><th>value</th><th>threshold</th><th>message</th></tr></thead>
<tbody>
${ordered.map(row).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

function row(r: QaResult): string {
  const cells = [
    `<td class="status">${r.passed ? 'PASS' : 'FAIL'}</td>`,
    `<td>${escapeHtml(r.name)}</td>`,
    `<td>${escapeHtml(r.table)}</td>`,
    `<td>${escapeHtml(r.column ?? '')}</td>`,
    `<td>${escapeHtml(r.check)}</td>`,
    `<td class="num">${escapeHtml(r.value === null ? 'n/a' : String(r.value))}</td>`,
    `<td>${escapeHtml(thresholdText(r.threshold))}</td>`,
    `<td>${escapeHtml(r.message)}</td>`,
  ];
  return `<tr class="${r.passed ? 'passed' : 'failed'}" data-check="${escapeHtml(r.name)}">${cells.join('')}</tr>`;
}

function thresholdText(t: QaResult['threshold']): string {
  if (Array.isArray(t)) return `one of ${t.join(', ')}`;
  const b = t as { min?: number; max?: number };
  return [b.min !== undefined ? `min ${b.min}` : '', b.max !== undefined ? `max ${b.max}` : ''].filter(Boolean).join(', ');
}
