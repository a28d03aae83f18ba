import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';
import { NOTEBOOKS, tmp } from './curated.js';

// Issue 5, "Browser": the classic Notebook (Debian's jupyter-notebook) in headless Chromium opens 01-quickstart with
// the skybook kernel, runs every cell from the Cell menu, and the plots' SVG and legends are in the page; a screenshot
// is saved.
const CHROMIUM = '/usr/bin/chromium';
const NOTEBOOK_APP = '/usr/bin/jupyter-notebook';
const missing = [CHROMIUM, NOTEBOOK_APP].filter((p) => !existsSync(p));
if (missing.length)
  console.warn(`SKIPPED browser acceptance test: ${missing.join(' and ')} not installed (.ci/run installs chromium and jupyter-notebook)`);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Starts the Notebook server and resolves once it logs the URL it serves (the synchronisation point). */
function startNotebook(dir: string, port: number, token: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const args = [
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--port-retries=0',
    `--NotebookApp.token=${token}`,
    `--NotebookApp.notebook_dir=${dir}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  const child = spawn(NOTEBOOK_APP, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const seen = (b: Buffer) => {
      log += b.toString();
      if (log.includes(`http://127.0.0.1:${port}/`)) resolve(child);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`jupyter-notebook exited (${code}) before serving:\n${log}`)));
  });
}

let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGTERM');
});

describe('classic Notebook in headless Chromium with the skybook kernel', () => {
  it.skipIf(missing.length > 0)(
    'opens 01-quickstart, runs all cells from the Cell menu, and the plot SVG is in the page',
    async () => {
      const root = tmp('browser');
      const dir = join(root, 'notebooks');
      mkdirSync(dir);
      copyFileSync(join(NOTEBOOKS, '01-quickstart.ipynb'), join(dir, '01-quickstart.ipynb'));
      const env = {
        ...process.env,
        ...installSkybookKernel(),
        JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
        JUPYTER_CONFIG_DIR: join(root, 'config'),
      };
      const port = await freePort();
      const token = randomBytes(16).toString('hex');
      server = await startNotebook(dir, port, token, env);

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await page.goto(`http://127.0.0.1:${port}/notebooks/01-quickstart.ipynb?token=${token}`);
        // The notebook's kernelspec metadata picks the skybook kernel; wait until it has started and is idle.
        await page.waitForFunction(
          () => {
            const k = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook
              ?.kernel;
            return !!k && k.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
          },
          undefined,
          { timeout: 120_000 },
        );
        expect(
          await page.evaluate(
            () => (window as unknown as { Jupyter: { notebook: { kernel: { name: string } } } }).Jupyter.notebook.kernel.name,
          ),
        ).toBe('skybook');
        expect(await page.textContent('#kernel_indicator .kernel_indicator_name')).toBe('TypeScript (skybook)');

        await page.click('#celllink');
        await page.click('#run_all_cells > a');
        // Done when every code cell has a number in its prompt (not "*") and the kernel is idle again.
        await page.waitForFunction(
          () => {
            const nb = (
              window as unknown as { Jupyter: { notebook: { get_cells(): { cell_type: string; input_prompt_number?: unknown }[] } } }
            ).Jupyter.notebook;
            const code = nb.get_cells().filter((c) => c.cell_type === 'code');
            return (
              code.every((c) => typeof c.input_prompt_number === 'number') &&
              document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null
            );
          },
          undefined,
          { timeout: 300_000, polling: 500 },
        );
        // Plot's figures: a title, the colour legend (swatches, each a small svg) and the plot's own svg.
        await page.waitForSelector('.output_area figure > svg', { timeout: 30_000 });

        expect(await page.locator('.output_error').count()).toBe(0);
        const svgs = page.locator('.output_area figure > svg');
        expect(await svgs.count()).toBeGreaterThanOrEqual(3); // sky map and the two redshift panels
        expect(await page.locator('.output_area figure [class$="-swatch"]').allTextContents()).toEqual(
          expect.arrayContaining(['GALAXY', 'QSO']),
        );
        const first = await svgs.first().evaluate((e) => ({ circles: e.querySelectorAll('circle').length, text: e.textContent ?? '' }));
        expect(first.circles).toBeGreaterThan(100);
        expect(first.text).toContain('RA (deg)');
        const screenshot = join(root, '01-quickstart.png');
        await svgs.first().scrollIntoViewIfNeeded(); // the Notebook scrolls inside #site, so show the sky map
        await page.screenshot({ path: screenshot });
        expect(existsSync(screenshot)).toBe(true);
        console.log(`browser acceptance screenshot: ${screenshot}`);
      } finally {
        await browser.close();
      }
    },
    480_000,
  );
});
