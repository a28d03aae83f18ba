import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Redactor } from '../core/index.js';
import { withoutBanner } from './banner.js';
import { renderMarkdown } from './markdown.js';
import { cellTags, type Notebook, type Output } from './nbformat.js';
import { redactNotebook } from './redact-notebook.js';

/** The provenance facts shown in the footer of an export (the CLI reads them from OUT.provenance.json). */
export interface ExportFooter {
  status: string;
  startTime: string;
  endTime: string;
  notebookSha256: string;
  kernel: string;
  software: string;
  parameters: Record<string, unknown>;
  manifest: string;
  /** The run's input files with their hashes, listed in the footer (`skybook publish`); `href` where the page can link to a copy. */
  inputs?: ExportInput[];
}

/** One input file of a run as the footer lists it. @example const i: ExportInput = { name: 'zall.fits', sha256: 'ab12...', size: 5760, href: 'inputs/zall.fits' }; */
export interface ExportInput {
  name: string;
  sha256: string;
  size: number;
  href?: string;
  /** Where the file was read from when it is not beside the page (a path or URL). */
  location?: string;
}

/** Options of `exportHtml`. @example const o: ExportOptions = { title: 'quickstart', cellLinks: true }; */
export interface ExportOptions {
  title?: string;
  footer?: ExportFooter;
  redactor?: Redactor;
  /**
   * Number the code cells as `skybook verify` names them (`cell 3`, from 0, banner excluded), give each an anchor, and
   * link every output to the cell that made it: a reader of a published page can go from a figure to its code.
   */
  cellLinks?: boolean;
}

const PLOTLY = 'application/vnd.plotly.v1+json';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

/** plotly.js from node_modules, read once per process (4.8 MB, embedded once per page). */
let plotlyJs: string | undefined;
function plotlySource(): string {
  plotlyJs ??= readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
  return plotlyJs;
}

/** One output, richest representation first, as Jupyter front ends choose. */
function renderOutput(o: Output, id: string): { html: string; plotly: boolean } {
  if (o.output_type === 'stream') return { html: `<pre class="stream ${o.name}">${esc(text(o.text))}</pre>`, plotly: false };
  if (o.output_type === 'error') {
    const tb = (o.traceback ?? []).join('\n').replace(ANSI, '') || `${o.ename}: ${o.evalue}`;
    return { html: `<pre class="error">${esc(tb)}</pre>`, plotly: false };
  }
  const d = o.data ?? {};
  if (d[PLOTLY]) {
    const fig = d[PLOTLY] as { data?: unknown; layout?: unknown; config?: unknown };
    // `</` inside JSON would end the script element early.
    const json = JSON.stringify({
      data: fig.data ?? [],
      layout: fig.layout ?? {},
      config: { responsive: true, ...(fig.config as object) },
    }).replace(/<\//g, '<\\/');
    return {
      html: `<div class="plotly" id="${id}"></div>\n<script>(function(){var f=${json};Plotly.newPlot(${JSON.stringify(id)},f.data,f.layout,f.config);})();</script>`,
      plotly: true,
    };
  }
  if (d['text/html'] !== undefined) return { html: `<div class="html">${text(d['text/html'])}</div>`, plotly: false };
  if (d['image/svg+xml'] !== undefined) return { html: `<div class="svg">${text(d['image/svg+xml'])}</div>`, plotly: false };
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    if (d[mime] !== undefined)
      return { html: `<img src="data:${mime};base64,${text(d[mime]).replace(/\s+/g, '')}" alt="output">`, plotly: false };
  }
  if (d['text/markdown'] !== undefined) return { html: `<div class="md">${renderMarkdown(text(d['text/markdown']))}</div>`, plotly: false };
  if (d['application/json'] !== undefined)
    return { html: `<pre class="json">${esc(JSON.stringify(d['application/json'], null, 1))}</pre>`, plotly: false };
  if (d['text/plain'] !== undefined) return { html: `<pre class="text">${esc(text(d['text/plain']))}</pre>`, plotly: false };
  return { html: `<pre class="text">[${esc(Object.keys(d).join(', '))}]</pre>`, plotly: false };
}

function renderFooter(f: ExportFooter): string {
  const params =
    Object.entries(f.parameters)
      .map(([k, v]) => `<code>${esc(k)} = ${esc(JSON.stringify(v))}</code>`)
      .join(', ') || 'none';
  return [
    '<footer class="provenance"><h2>Provenance</h2><dl>',
    `<dt>status</dt><dd>${esc(f.status)}</dd>`,
    `<dt>run</dt><dd>${esc(f.startTime)} to ${esc(f.endTime)}</dd>`,
    `<dt>notebook sha256</dt><dd><code>${esc(f.notebookSha256)}</code></dd>`,
    `<dt>parameters</dt><dd>${params}</dd>`,
    `<dt>kernel</dt><dd>${esc(f.kernel)}</dd>`,
    `<dt>software</dt><dd>${esc(f.software)}</dd>`,
    `<dt>manifest</dt><dd><a href="${esc(f.manifest)}">${esc(f.manifest)}</a></dd>`,
    f.inputs ? `<dt>inputs</dt><dd>${renderInputs(f.inputs)}</dd>` : '',
    '</dl></footer>',
  ].join('\n');
}

function renderInputs(inputs: ExportInput[]): string {
  if (!inputs.length) return 'none';
  const items = inputs.map((i) => {
    const name = i.href ? `<a href="${esc(i.href)}">${esc(i.name)}</a>` : esc(i.name);
    const where = i.location ? ` from <code>${esc(i.location)}</code>` : '';
    return `<li class="input">${name} (${i.size} bytes)${where}<br>sha256 <code>${esc(i.sha256)}</code></li>`;
  });
  return `<ul class="inputs">${items.join('')}</ul>`;
}

// Readable on a phone: wide things (code, tables, plots, long hashes) scroll or wrap inside their own box, never the page.
const CSS = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;overflow-wrap:anywhere}
img,svg{max-width:100%;height:auto}.html,.svg,.plotly{max-width:100%;overflow-x:auto}
a.made-by{font-size:.75em;color:#307fc1}ul.inputs{padding-left:1.2em}
.cell{margin:1em 0}.prompt{color:#307fc1;font-family:monospace;font-size:.85em}
pre{background:#f7f7f7;padding:.6em;overflow-x:auto;margin:.3em 0}pre.source{border-left:3px solid #307fc1}
pre.stderr{background:#fdd}pre.error{background:#fdd;color:#700}.banner{border:2px solid #c00;padding:.5em}
footer.provenance{border-top:1px solid #ccc;margin-top:3em;font-size:.85em}footer dt{font-weight:bold}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px}`;

/**
 * A self-contained HTML page of a notebook: markdown, code with its prompt, every output (text, HTML, images, SVG,
 * errors, interactive Plotly with plotly.js embedded once), and a provenance footer. No network is needed to view it.
 * Secrets stay out by lib/core's one rule, as in a saved run (`redactNotebook`): secret-named values of the
 * injected-parameters cell, URL passwords anywhere, values of secret-named environment variables (`redactor`
 * overrides which secrets are known).
 *
 * @example
 * writeFileSync('run.html', exportHtml(nb, { title: 'quickstart' }));
 */
export function exportHtml(input: Notebook, opts: ExportOptions = {}): string {
  const redactor = opts.redactor ?? new Redactor({ env: process.env });
  const nb = redactNotebook(input, { redactor });
  const footer = opts.footer && {
    ...opts.footer,
    status: redactor.text(opts.footer.status),
    parameters: redactor.named(opts.footer.parameters).values,
  };
  const body: string[] = [];
  let plotly = false;
  const banner = nb.cells.length - withoutBanner(nb).cells.length;
  nb.cells.forEach((c, i) => {
    if (c.cell_type === 'markdown')
      body.push(
        `<div class="cell markdown${i < banner ? ' banner' : ''}"${c.id ? ` id="${esc(c.id)}"` : ''}>${renderMarkdown(c.source)}</div>`,
      );
    else if (c.cell_type === 'raw') body.push(`<div class="cell raw"><pre>${esc(c.source)}</pre></div>`);
    else {
      const tags = cellTags(c);
      const outs = (c.outputs ?? []).map((o, k) => renderOutput(o, `plotly-${i}-${k}`));
      plotly ||= outs.some((o) => o.plotly);
      const anchor = c.id ?? (opts.cellLinks ? `cell-${i - banner}` : undefined);
      const label = opts.cellLinks ? ` <span class="cell-number">cell ${i - banner}</span>` : '';
      const made = (html: string) =>
        opts.cellLinks
          ? `<div class="output" data-cell="${i - banner}">${html}\n<a class="made-by" href="#${esc(anchor!)}">from cell ${i - banner}</a></div>`
          : html;
      body.push(
        [
          `<div class="cell code${tags.length ? ' ' + tags.map(esc).join(' ') : ''}"${anchor ? ` id="${esc(anchor)}"` : ''}>`,
          `<div class="prompt">In [${c.execution_count ?? ' '}]:${label}</div><pre class="source">${esc(c.source)}</pre>`,
          ...outs.map((o) => made(o.html)),
          '</div>',
        ].join('\n'),
      );
    }
  });
  const title = esc(opts.title ?? 'notebook');
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${CSS}</style>`,
    plotly ? `<script>${plotlySource().replace(/<\/script/gi, '<\\/script')}</script>` : '',
    '</head><body>',
    ...body,
    footer ? renderFooter(footer) : '',
    '</body></html>',
    '',
  ].join('\n');
}
