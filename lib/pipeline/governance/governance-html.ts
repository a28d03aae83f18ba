import { escapeHtml as escapeCore, formatByteSize } from '../../core/index.js';
import { type GovernanceReport, softwareText } from './governance-report.js';

/**
 * Text for HTML, every character that means something to a parser escaped (names, paths and descriptions come from
 * users and the ledger; none of them is ever markup).
 *
 * @example
 * escapeHtml('<a href="x">'); // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  // The shared rule, and the backtick too (an old-browser attribute delimiter), as this page has always escaped it.
  return escapeCore(text).replace(/`/g, '&#96;');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1f24;max-width:80em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}code{font:12px ui-monospace,monospace}.muted{color:#57606a}
.access{padding:.1em .5em;border-radius:1em;font-size:12px}.public{background:#dafbe1}.collaboration{background:#fff8c5}.restricted{background:#ffebe9}
.unregistered{background:#ffebe9;padding:.1em .5em;border-radius:1em;font-size:12px}ul{padding-left:1.2em}`;

/**
 * The governance report as one self-contained HTML page (inline style, no scripts, nothing fetched), every value
 * escaped; a dataset's source is a link only when it is an http(s) URL.
 *
 * @example
 * writeFileSync('governance.html', governanceHtml(report));
 */
export function governanceHtml(r: GovernanceReport): string {
  const e = escapeHtml;
  const period = `${r.period.since} to ${r.period.until ?? 'now (open end)'}`;
  const source = (s: string) => (/^https?:\/\/\S+$/i.test(s) ? `<a href="${e(s)}">${e(s)}</a>` : e(s));
  const datasets = r.datasets.length
    ? table(
        ['Dataset', 'Access', 'Licence', 'Source', 'Files touched', 'Users'],
        r.datasets.map((d) => [
          `<strong>${e(d.name)}</strong>${d.description ? `<div class="muted">${e(d.description)}</div>` : ''}`,
          `<span class="access ${e(d.access)}">${e(d.access)}</span>`,
          e(d.licence),
          source(d.source),
          list(d.files.map((f) => `<code>${e(f)}</code>`)),
          e(d.users.join(', ')),
        ]),
      )
    : '<p class="muted">No registered dataset was touched in this period.</p>';
  const unregistered = r.unregistered.length
    ? list(r.unregistered.map((f) => `<code>${e(f)}</code>`))
    : '<p class="muted">Every file touched is registered.</p>';
  const files = table(
    ['File', 'Dataset', 'Versions (sha256, size)', 'Runs'],
    r.files.map((f) => [
      `<code>${e(f.path)}</code>`,
      f.dataset === null ? '<span class="unregistered">unregistered</span>' : e(f.dataset),
      list(f.hashes.map((h) => `<code title="${e(h.sha256)}">${e(h.sha256.slice(0, 12))}</code> ${e(formatByteSize(h.size))}`)),
      list(f.uses.map((u) => `${e(u.role)} by ${e(u.user)} in <code>${e(u.runId.slice(0, 8))}</code>`)),
    ]),
  );
  const runs = table(
    ['Started', 'Run', 'Status', 'User', 'Software', 'Read', 'Wrote'],
    r.runs.map((x) => [
      e(x.startedAt),
      `${e(x.kind)} <strong>${e(x.name)}</strong><div class="muted"><code>${e(x.runId)}</code></div>`,
      e(x.status),
      `${e(x.user)}<div class="muted">${e(x.host)}</div>`,
      e(softwareText(x.software)),
      String(x.reads),
      String(x.writes),
    ]),
  );
  const s = r.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>skybook governance report, ${e(period)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>Governance report</h1>
<p class="muted">Period: ${e(period)} (runs that started from ${e(r.period.from)}${r.period.to ? ` until before ${e(r.period.to)}` : ''}). Registry: ${r.registry === null ? 'none' : `<code>${e(r.registry)}</code>`}.</p>
<p>${s.datasets} registered dataset(s) and ${s.unregistered} unregistered file(s) touched (${s.files} file(s) in all) by ${s.runs} run(s); users: ${e(s.users.join(', ') || '-')}; software: ${e(s.software.join('; ') || '-')}.</p>
<h2>Datasets</h2>${datasets}
<h2>Unregistered files</h2>${unregistered}
<h2>Files</h2>${files}
<h2>Runs</h2>${runs}
</body></html>
`;
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

function list(items: string[]): string {
  return items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '-';
}
