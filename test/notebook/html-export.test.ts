import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { exportHtml, newCell, renderMarkdown, type Notebook } from '../../lib/notebook/index.js';
import { skybook } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, 'fixtures');
const PLOTLY_JS = readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
// A stretch of plotly.min.js that occurs in it exactly once, to count how often the library was embedded.
const PLOTLY_MARK = PLOTLY_JS.slice(1000, 1200);

describe('renderMarkdown', () => {
  it.each<[string, string]>([
    ['# Title', '<h1>Title</h1>'],
    ['Some *em* and **strong** and `a<b`', '<p>Some <em>em</em> and <strong>strong</strong> and <code>a&lt;b</code></p>'],
    ['- one\n- [two](x.html)', '<ul><li>one</li><li><a href="x.html">two</a></li></ul>'],
    ['```\nx < 1\n```', '<pre><code>x &lt; 1</code></pre>'],
    ['<span style="color:red">raw</span>', '<span style="color:red">raw</span>'],
  ])('%j', (src, html) => expect(renderMarkdown(src)).toBe(html));
});

describe('skybook export --html', () => {
  it('renders code, text, HTML, SVG, errors and interactive Plotly with plotly.js embedded once, offline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-html-'));
    const out = join(dir, 'rich.ipynb');
    expect(skybook(['run', join(FIX, 'rich.ipynb'), '-o', out]).code).toBe(0);
    const r = skybook(['export', out, '--html', join(dir, 'rich.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(with provenance footer)');
    const html = readFileSync(join(dir, 'rich.html'), 'utf8');
    expect(html.split(PLOTLY_MARK)).toHaveLength(2);
    // Nothing is fetched: no external scripts, stylesheets or images.
    expect(html).not.toMatch(/<(script|img|link)[^>]+(src|href)="(https?:)?\/\//i);
    const doc = new JSDOM(html).window.document;
    expect(doc.querySelector('h2')!.textContent).toBe('Rich outputs');
    expect(doc.querySelectorAll('pre.source')).toHaveLength(3);
    expect(doc.querySelector('.svg svg clipPath#clip-abc')).not.toBeNull();
    expect(doc.querySelector('.html b')!.textContent).toBe('bold');
    expect(doc.querySelector('div.plotly')!.id).toBe('plotly-2-1');
    expect([...doc.querySelectorAll('script')].some((s) => s.textContent!.includes('Plotly.newPlot("plotly-2-1"'))).toBe(true);
    expect(doc.querySelector('pre.error')!.textContent).toContain('RuntimeError: shown in export');
    expect(doc.querySelector('pre.stderr')!.textContent).toBe('to stderr\n');
    const footer = doc.querySelector('footer.provenance')!.textContent!;
    expect(footer).toContain('completed');
    expect(footer).toContain('python3 (python)');
    expect(footer).toContain('rich.provenance.json');
  });

  it('leaves plotly.js out when no cell has a Plotly figure, and marks the error banner', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [newCell('markdown', 'banner', ['skybook-error-banner']), newCell('code', 'x')],
    };
    const html = exportHtml(nb, { title: 't' });
    expect(html).not.toContain(PLOTLY_MARK);
    expect(html).toContain('<div class="cell markdown banner"');
    expect(html.length).toBeLessThan(5000);
  });

  it('shows no secret of a notebook skybook did not redact (papermill output, an older run)', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python' } },
      cells: [
        newCell('code', "db_password = ''", ['parameters']),
        newCell('code', "# Parameters\ndb_password = 'hunter2-plain'\nurl = 'postgres://u:pa/ss-word@h/db'", ['injected-parameters']),
        {
          ...newCell('code', 'connect(url)'),
          outputs: [{ output_type: 'error', ename: 'E', evalue: 'x', traceback: ['cannot open postgres://u:pa/ss-word@h/db'] }],
        },
      ],
    };
    const footer = {
      status: 'failed: cannot open postgres://u:pa/ss-word@h/db',
      startTime: '',
      endTime: '',
      notebookSha256: '',
      kernel: '',
      software: '',
      manifest: 'm.json',
      parameters: { token: 'tok-plain-1' },
    };
    const html = exportHtml(nb, { title: 't', footer });
    for (const secret of ['hunter2-plain', 'pa/ss-word', 'tok-plain-1']) expect(html).not.toContain(secret);
    expect(html).toContain("db_password = '[redacted]'");
    expect(html).toContain('postgres://u:***@h/db');
  });
});
