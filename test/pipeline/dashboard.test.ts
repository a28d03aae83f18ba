import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRow } from '../../lib/store/index.js';
import { ROOT, skybook } from '../helpers/cli.js';
import { offlinePage } from '../helpers/offline-page.js';
import { HOSTILE_NAME, type LedgerFixture, ledgerFixture } from './run-ledger-fixture.js';

// Issue 18, acceptance: `skybook dashboard --out site/` writes one self-contained page from the ledger; headless
// Chromium renders it with every request off file:// aborted (and none made), every ledger run on it, failures first,
// the plots drawn, QA results from the reports, links that reach the files; a screenshot goes to runs/screenshots/
// (git-ignored, as test/acceptance/curated-pages.test.ts keeps its own) for a person to look at.
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'runs', 'screenshots');
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`SKIPPED the dashboard in Chromium: ${CHROMIUM} is not installed (apt-get install chromium)`);

let fx: LedgerFixture;
let runs: RunRow[];
let site: string;
let page: string;
let browser: Browser | undefined;

beforeAll(async () => {
  fx = await ledgerFixture('dashboard');
  runs = await fx.runs();
  site = join(fx.root, 'site');
  page = join(site, 'index.html');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fx?.ledger.close();
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

describe('skybook dashboard', () => {
  it('writes site/index.html, the same bytes for the same ledger (named or found in the folder it runs in)', () => {
    const r = skybook(['dashboard', '--ledger', fx.url, '--out', site, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const failed = runs.filter((x) => x.status === 'failed' || x.status === 'interrupted').length;
    // One lineage page per output of a completed run (every row's paths are relative to the fixture's folder).
    const outputs = new Set(runs.filter((x) => x.status === 'completed').flatMap((x) => x.outputs.map((o) => o.path)));
    expect(outputs.size).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout)).toEqual({
      page,
      runs: runs.length,
      failed,
      plots: 8,
      qaReports: 2,
      lineagePages: outputs.size,
      ledger: fx.url,
    });
    const first = readFileSync(page);
    const again = skybook(['dashboard', '--out', 'site'], { cwd: fx.root });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`${page}: ${runs.length} runs (${failed} failed or interrupted), 8 plots, 2 QA reports\n`);
    expect(readFileSync(page).equals(first)).toBe(true);
    const html = first.toString();
    // self-contained: no script, nothing from a network, the hostile name only escaped
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b|url\(|@import/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('is bad usage without --out', () => {
    const r = skybook(['dashboard', '--ledger', fx.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('skybook dashboard: missing --out DIR (the folder to write index.html into)\n');
  });

  it.skipIf(missing)(
    'renders in headless Chromium offline: every run, failures first, plots, QA results, working links',
    async () => {
      expect(existsSync(page)).toBe(true);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
      const { tab, blocked, errors } = await offlinePage(browser, { viewport: { width: 1280, height: 900 } });
      const dialogs: string[] = [];
      tab.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForSelector('figure.plot svg');

      // every ledger run, once, in the table
      for (const r of runs) expect(await tab.locator(`tr[data-run-id="${r.runId}"]`).count(), r.name).toBe(1);
      expect(await tab.locator('tr[data-run-id]').count()).toBe(runs.length);
      const hostile = runs.find((r) => r.runId === fx.ids.hostile)!;
      expect(await tab.locator(`tr[data-run-id="${hostile.runId}"] td.name`).textContent()).toBe(HOSTILE_NAME);
      const row = await tab.locator(`tr[data-run-id="${fx.ids.features2}"] td`).allTextContents();
      expect(row.slice(0, 3)).toEqual(['completed', 'stage', 'features']);
      expect(row[6]).toBe('survey'); // its pipeline

      // failures first: the summary comes before everything else and lists exactly the failed and interrupted runs
      const sections = await tab.$$eval('body > section', (s) => s.map((e) => e.id));
      expect(sections).toEqual(['summary', 'qa', 'durations', 'runs']);
      const bad = runs.filter((r) => r.status === 'failed' || r.status === 'interrupted').map((r) => r.runId);
      const listed = await tab.$$eval('ul.failures li', (li) => li.map((e) => e.getAttribute('data-failure-of')));
      expect(listed).toEqual([...bad].reverse());

      // plots: one per stage, notebook, ... with a dot per run that did work
      const plots = await tab.$$eval('figure.plot', (fs) =>
        fs.map((f) => ({ name: f.getAttribute('data-plot-name'), dots: f.querySelectorAll('svg circle').length })),
      );
      expect(plots).toHaveLength(8);
      expect(plots.find((p) => p.name === 'features')?.dots).toBe(2);
      expect(plots.find((p) => p.name === 'ingest')?.dots).toBe(1); // skipped runs did no work
      for (const p of plots) expect(p.dots, String(p.name)).toBeGreaterThan(0);

      // QA: the failed gate's report, failed check first with its value
      const qa = tab.locator(`[data-qa-run="${fx.ids.qa2}"] table.checks tbody tr`);
      expect(await qa.first().locator('td').allTextContents()).toEqual([
        'failed',
        'zcat.Z.range',
        '3',
        '3 of 1000 rows outside [-0.01, 7]',
      ]);

      // links from the page reach the executed notebook, its manifest and the QA report
      const hrefs = await tab.$$eval(`tr[data-run-id="${fx.ids.notebook1}"] a[href]:not([href^="#"])`, (as) =>
        as.map((a) => (a as HTMLAnchorElement).href),
      );
      const files = hrefs.map((h) => fileURLToPath(h));
      expect(files).toEqual(
        ['runs/01-quickstart.ipynb', 'runs/01-quickstart.html', 'runs/01-quickstart.provenance.json'].map((p) => join(fx.root, p)),
      );
      for (const f of files) expect(existsSync(f), f).toBe(true);
      const report = await tab.$eval(`[data-qa-run="${fx.ids.qa2}"] p a`, (a) => (a as HTMLAnchorElement).href);
      expect(existsSync(fileURLToPath(report))).toBe(true);

      expect(await tab.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(blocked).toEqual([]);
      mkdirSync(SHOTS, { recursive: true });
      const png = join(SHOTS, 'dashboard.png');
      await tab.screenshot({ path: png, fullPage: true });
      expect(existsSync(png)).toBe(true);
      console.log(`dashboard screenshot: ${png}`);
    },
    120_000,
  );
});
