import { basename, resolve } from 'node:path';
import type { FileRecord, RunRow } from '../../store/index.js';
import { rowFolder } from '../metrics/index.js';
import { duration, fileHref, html, when } from './html-text.js';
import { lineageHref } from './lineage-pages.js';
import { STATUS_ORDER } from './status-colors.js';

/** Where links point from: the page's folder, and the folder a row's relative paths start at (the ledger's project folder for rows that name none). */
export interface LinkBase {
  root: string;
  outDir: string;
}

/** Runs newest first (the ledger gives them oldest first), ties kept in ledger order. */
export function newestFirst(runs: readonly RunRow[]): RunRow[] {
  return [...runs].reverse();
}

/**
 * A status as a coloured badge (its colour from the page's CSS, keyed by status).
 *
 * @example
 * badge('failed'); // '<span class="badge s-failed">failed</span>'
 */
export function badge(status: string): string {
  return `<span class="badge s-${html(status)}">${html(status)}</span>`;
}

/**
 * The page's opening summary: how many runs by status, then every failed or interrupted run, newest first, with the
 * first line of its error and a link to its row: what needs a person comes before everything else.
 *
 * @example
 * summarySection(await ledger.runs()); // '<section id="summary">...'
 */
export function summarySection(runs: readonly RunRow[]): string {
  const counts = STATUS_ORDER.map((s) => [s, runs.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  const bad = newestFirst(runs).filter((r) => r.status === 'failed' || r.status === 'interrupted');
  const items = bad.map((r) => {
    const first = (r.error ?? '').split('\n')[0]!;
    return `<li data-failure-of="${html(r.runId)}">${badge(r.status)} <a href="#run-${html(r.runId)}">${html(r.kind)} <b>${html(r.name)}</b></a> <span class="when">${html(when(r.startedAt))}</span>${first ? `<div class="error">${html(first)}</div>` : ''}</li>`;
  });
  return `<section id="summary"><h2>Summary</h2>
<p class="counts">${runs.length} runs: ${counts.map(([s, n]) => `${badge(s)} ${n}`).join(' ') || 'none recorded yet'}</p>
<h3>Failures first</h3>
${items.length ? `<ul class="failures">\n${items.join('\n')}\n</ul>` : '<p class="none">No failed or interrupted runs.</p>'}
</section>`;
}

/** A file the ledger names, linked relative to the page, with its hash and size in the tooltip. */
function fileLink(f: FileRecord | string, base: LinkBase, label?: string): string {
  const path = typeof f === 'string' ? f : f.path;
  const title = typeof f === 'string' ? path : `${path}\nsha256 ${f.sha256}\n${f.size} bytes`;
  return `<a href="${html(fileHref(path, base.root, base.outDir))}" title="${html(title)}">${html(label ?? basename(path))}</a>`;
}

/** The links of one run: its executed notebook and HTML export, its provenance manifest, its other outputs. */
function fileLinks(r: RunRow, base: LinkBase): string {
  const parts: string[] = [];
  const notebooks = r.outputs.filter((o) => /\.ipynb$/i.test(o.path));
  const pages = r.outputs.filter((o) => /\.html?$/i.test(o.path));
  for (const n of notebooks) parts.push(`<span class="file nb">notebook ${fileLink(n, base)}</span>`);
  for (const p of pages) parts.push(`<span class="file page">page ${fileLink(p, base)}</span>`);
  if (r.manifest) parts.push(`<span class="file manifest">${fileLink(r.manifest, base, 'manifest')}</span>`);
  const others = r.outputs.filter((o) => !notebooks.includes(o) && !pages.includes(o));
  // What made each output, from which inputs (lineage/, written beside the page for completed runs' outputs).
  const lineage = (o: FileRecord) =>
    r.status === 'completed' ? ` <a class="lineage" href="${html(lineageHref(resolve(base.root, o.path)))}">lineage</a>` : '';
  if (others.length) {
    const list = others.map((o) => `<li>${fileLink(o, base, o.path)}${lineage(o)}</li>`).join('');
    parts.push(
      `<details class="outs"><summary>${others.length} output${others.length === 1 ? '' : 's'}</summary><ul>${list}</ul></details>`,
    );
  }
  return parts.join(' ');
}

/**
 * Every run in the ledger, newest first, one table row each (`id="run-ID"`, `data-run-id`): kind, name, status, start,
 * duration, user and host, the pipeline run it was part of, its files, and its error.
 *
 * @example
 * runsSection(runs, { root: '/proj', outDir: '/proj/site' }); // '<section id="runs">...<tr id="run-..." data-run-id="...">'
 */
export function runsSection(runs: readonly RunRow[], base: LinkBase): string {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const rows = newestFirst(runs).map((r) => {
    const parent = r.parent ? byId.get(r.parent) : undefined;
    const parentCell = r.parent ? `<a href="#run-${html(r.parent)}">${html(parent ? parent.name : r.parent.slice(0, 8))}</a>` : '';
    const error = r.error
      ? `<details class="error"><summary>${html(r.error.split('\n')[0])}</summary><pre>${html(r.error)}</pre></details>`
      : '';
    return `<tr id="run-${html(r.runId)}" data-run-id="${html(r.runId)}" data-kind="${html(r.kind)}" data-status="${html(r.status)}">
<td>${badge(r.status)}</td><td>${html(r.kind)}</td><td class="name">${html(r.name)}</td><td class="when">${html(when(r.startedAt))}</td>
<td class="num">${html(duration(r.seconds))}</td><td title="${html(`${r.user}@${r.host}, pid ${r.pid}`)}">${html(r.user)}</td><td>${parentCell}</td>
<td>${fileLinks(r, { ...base, root: rowFolder(r, base.root) })}</td><td>${error}</td></tr>`;
  });
  return `<section id="runs"><h2>All runs</h2>
<div class="table-wrap"><table class="runs"><thead><tr><th>status</th><th>kind</th><th>name</th><th>started (UTC)</th><th>duration</th><th>user</th><th>pipeline</th><th>files</th><th>error</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
</section>`;
}
