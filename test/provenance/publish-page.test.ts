import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../lib/provenance/index.js';
import { ROOT } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { offlinePage } from '../helpers/offline-page.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';

// Issue 19: a published bundle's HTML page is self-contained and readable on a phone. Debian's Chromium opens it at
// a phone's viewport with every request off file:// aborted and counted (none may be made); the page body must not
// scroll sideways (wide code, plots and hashes scroll or wrap in their own box), every cell is shown, outputs link
// to the cell that made them and the input's hash is listed. A screenshot goes to runs/screenshots/ (git-ignored).
const CHROMIUM = '/usr/bin/chromium';
const NB = join(import.meta.dirname, 'fixtures/catalog-plot.ipynb');
const CATALOG = 'id,z\n1,0.512\n2,1.204\n3,2.750\n';
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`SKIPPED the published page on a phone: ${CHROMIUM} is not installed (apt-get install chromium)`);

const root = realpathSync(mkdtempSync(join(tmpdir(), 'sb-publish-page-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(missing)('a published page on a phone', () => {
  it('shows every cell with no network and no sideways scrolling of the page at 390x844', async () => {
    const env = installSkybookKernel();
    const run = join(root, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'catalog.csv'), CATALOG);
    const r = await spawnSkybook(
      ['run', NB, '--kernel', 'skybook', '--input', join(run, 'catalog.csv'), '--cwd', run, '-o', join(run, 'cat.ipynb')],
      { env },
    ).done;
    expect(r.code, r.stderr).toBe(0);
    const p = await spawnSkybook(['publish', join(run, 'cat.provenance.json'), '--out', join(root, 'bundle')], { env }).done;
    expect(p.code, p.stderr).toBe(0);

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const { tab, blocked, errors } = await offlinePage(browser, {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      await tab.goto(`file://${join(root, 'bundle', 'cat.html')}`);
      await tab.waitForSelector('#plot svg');
      const layout = await tab.evaluate(() => ({
        viewport: document.documentElement.clientWidth,
        page: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        widest: Math.max(...[...document.body.children].map((e) => e.getBoundingClientRect().right)),
      }));
      expect(layout.viewport).toBe(390);
      expect(layout.page, JSON.stringify(layout)).toBeLessThanOrEqual(layout.viewport);
      expect(layout.body, JSON.stringify(layout)).toBeLessThanOrEqual(layout.viewport);
      expect(layout.widest, JSON.stringify(layout)).toBeLessThanOrEqual(layout.viewport);
      // the cells (no parameters given: no injected cell), numbered as verify names them, outputs linked back to them
      expect(await tab.locator('.cell.code').count()).toBe(4);
      expect(await tab.locator('#read .cell-number').textContent()).toBe('cell 2');
      expect(await tab.locator('#read .output pre.stream').textContent()).toBe('redshifts 0.512 1.204 2.75\n');
      expect(await tab.locator('.output[data-cell="4"] a.made-by').getAttribute('href')).toBe('#plot');
      const plotWidth = await tab.locator('#plot svg').evaluate((e) => e.getBoundingClientRect().width);
      expect(plotWidth).toBeGreaterThan(200);
      expect(plotWidth).toBeLessThanOrEqual(390);
      expect(await tab.locator('li.input').textContent()).toContain(sha256(CATALOG));
      expect(await tab.locator('li.input a').getAttribute('href')).toBe('inputs/catalog.csv');
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      mkdirSync(join(ROOT, 'runs', 'screenshots'), { recursive: true });
      await tab.screenshot({ path: join(ROOT, 'runs', 'screenshots', 'published-page-phone.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
