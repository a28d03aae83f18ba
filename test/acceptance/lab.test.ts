import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { kernelIdle, type LabSession, labSkipReason, openLab, runCell, screenshot, typeInLastCell } from './lab-session.js';

// Issue 19, acceptance in JupyterLab 4: `skybook lab` (JupyterLab from .venv, the kernel in its private prefix) driven
// in Debian's headless chromium, as a scientist uses it. One notebook, made from the launcher, is used by every test
// in order; screenshots go to runs/screenshots/lab-*.png.
const skip = labSkipReason();
if (skip) console.warn(`SKIPPED the JupyterLab acceptance tests: ${skip}`);

let dir: string;
let session: LabSession | undefined;
let zcatalog: string;
const page = (): Page => session!.page;

beforeAll(async () => {
  if (skip) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'sb-lab-')));
  const made = await spawnSkybook([
    'datasets',
    'make',
    '--preset',
    'small',
    '--seed',
    '1',
    '--spectra',
    'none',
    '--out',
    join(dir, 'survey'),
  ]).done;
  if (made.code !== 0) throw new Error(`skybook datasets make failed: ${made.stderr}`);
  zcatalog = join(dir, 'survey', 'spectro', 'redux', 'iron', 'zcatalog', 'v1', 'zall-pix-iron.fits');
  session = await openLab(dir);
}, 240_000);

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(skip !== undefined)('JupyterLab 4 with the skybook kernel (skybook lab, headless chromium)', () => {
  it('the launcher makes a "TypeScript (skybook)" notebook; a cell reading the zcatalog shows an HTML table', async () => {
    await page().locator('.jp-LauncherCard[data-category="Notebook"]', { hasText: 'TypeScript (skybook)' }).click();
    await kernelIdle(page());
    const cell = await runCell(
      page(),
      `const zcat = await readZcatalog(${JSON.stringify(zcatalog)}, { columns: ['TARGETID', 'Z', 'SPECTYPE'] });\nzcat`,
    );
    const table = cell.locator('.jp-OutputArea-output table');
    await table.waitFor();
    const headers = await table.locator('th').allTextContents();
    expect(headers.join(' ')).toMatch(/TARGETID[\s\S]*Z[\s\S]*SPECTYPE/);
    expect(await cell.locator('.jp-OutputArea-output').first().textContent()).toMatch(/15,?060 rows × 3 columns/);
    await screenshot(page(), 'lab-zcatalog');
  }, 240_000);

  it('typing sky.read and Tab lists readZcatalog and readSpectra; Shift+Tab on readSpectra shows its documentation', async () => {
    await typeInLastCell(page(), 'sky.read');
    await page().keyboard.press('Tab');
    const items = page().locator('.jp-Completer .jp-Completer-item');
    await items.first().waitFor({ timeout: 60_000 });
    const names = await page().locator('.jp-Completer .jp-Completer-item .jp-Completer-match').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['readZcatalog', 'readSpectra']));
    await screenshot(page(), 'lab-completion');
    await page().keyboard.press('Escape');
    await page().locator('.jp-Completer').waitFor({ state: 'hidden' });
    // Replace the cell's text with readSpectra and ask for its documentation with the cursor at its end.
    await typeInLastCell(page(), 'sky.readSpectra');
    await page().keyboard.press('Shift+Tab');
    const tooltip = page().locator('.jp-Tooltip');
    await tooltip.waitFor({ timeout: 60_000 });
    // its signature and its TSDoc (the kernel's inspect_reply)
    expect(await tooltip.textContent()).toMatch(/function readSpectra\(input: DesiInput[\s\S]*Reads spectra from a DESI coadd/);
    await screenshot(page(), 'lab-hover-docs');
    await page().keyboard.press('Escape');
  }, 120_000);

  it('a while (true) {} cell is stopped by the toolbar interrupt and the next cell runs; a restart clears the state', async () => {
    const toolbar = (command: string) => page().locator(`.jp-NotebookPanel-toolbar [data-command="${command}"]`);
    const set = await runCell(page(), 'const answer = 41;\n(globalThis as { probe?: string }).probe = "set";\nanswer + 1');
    expect(await outputText(set)).toContain('42');
    const loop = await typeInLastCell(page(), 'while (true) {}');
    await page().keyboard.press('Shift+Enter');
    await loop.locator('.jp-InputArea-prompt', { hasText: '[*]' }).waitFor();
    await page().locator('#jp-main-statusbar', { hasText: 'TypeScript (skybook) | Busy' }).waitFor();
    await toolbar('notebook:interrupt-kernel').click();
    await loop.locator('.jp-InputArea-prompt', { hasText: /\[\d+\]/ }).waitFor({ timeout: 60_000 });
    expect(await outputText(loop)).toMatch(/interrupted/i);
    const next = await runCell(page(), 'answer + 2');
    expect(await outputText(next)).toContain('43');
    await screenshot(page(), 'lab-interrupt');

    await toolbar('notebook:restart-kernel').click();
    await page().locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept').click();
    await page().locator('#jp-main-statusbar', { hasNotText: '| Idle' }).waitFor({ timeout: 60_000 });
    await kernelIdle(page());
    const after = await runCell(page(), 'String((globalThis as { probe?: string }).probe)');
    expect(await outputText(after)).toContain("'undefined'");
    expect(await after.locator('.jp-InputArea-prompt').textContent()).toBe('[1]:');
    // `answer` is gone from the type checker's view too: the new kernel knows no earlier cell.
    const gone = await runCell(page(), 'answer');
    expect(await outputText(gone)).toMatch(/Cannot find name 'answer'/);
  }, 240_000);

  it('a Plotly scatter renders as an interactive plot: its SVG is in the page and hovering a point shows a tooltip', async () => {
    const cell = await runCell(
      page(),
      "plotlyFigure([{ type: 'scatter', mode: 'markers', x: [0.5, 1.0, 1.5, 2.0], y: [3, 1, 4, 2], marker: { size: 14 } }], { title: { text: 'a scatter' }, width: 600, height: 400 })",
    );
    const plot = cell.locator('.js-plotly-plot');
    await plot.locator('svg.main-svg').first().waitFor({ timeout: 60_000 });
    const points = plot.locator('.scatterlayer .point');
    expect(await points.count()).toBe(4);
    const box = (await points.nth(2).boundingBox())!;
    await page().mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = plot.locator('.hoverlayer .hovertext');
    await hover.first().waitFor({ timeout: 30_000 });
    expect(await hover.first().textContent()).toMatch(/1\.5.*4|4.*1\.5/);
    await screenshot(page(), 'lab-plotly');
  }, 120_000);

  it('a type error and a thrown error each show the line and column in the cell', async () => {
    const typed = await runCell(page(), "const fine = 1;\nconst bad: number = 'text';");
    expect(await outputText(typed)).toMatch(/2:7 - error TS2322/);
    const thrown = await runCell(page(), "const x = 1;\nfunction fail(): never {\n  throw new RangeError('z out of range');\n}\nfail();");
    const text = await outputText(thrown);
    expect(text).toMatch(/RangeError: z out of range/);
    // The frame of `fail` names the cell's line 3, column 9 (where `new RangeError` is), not the compiled JavaScript's.
    expect(text).toMatch(/at fail \(cell-\d+\.ts:3:9\)/);
    await screenshot(page(), 'lab-errors');
  }, 120_000);

  it('an ingest shows one progress display that ends at 100%', async () => {
    const cell = await runCell(
      page(),
      `const [loaded] = await ingest(${JSON.stringify(zcatalog)}, { into: 'duckdb::memory:', table: 'zcatalog' });\nloaded.rows`,
    );
    // Every update_display_data replaced the one display in place: one progress output, not one per update.
    const progress = cell.locator('.jp-OutputArea-output .skybook-progress');
    expect(await progress.count()).toBe(1);
    // The settled display: a full bar and the counts (the kernel leaves rate and ETA out of the final text).
    const bar = progress.locator('progress');
    expect(await bar.getAttribute('value')).toBe('15060');
    expect(await bar.getAttribute('max')).toBe('15060');
    expect(await progress.textContent()).toMatch(/ingest .*zall-pix-iron\.fits: 15,060\/15,060 rows$/);
    // and the ingest's own result below it
    expect(await outputText(cell)).toContain('15060');
    await screenshot(page(), 'lab-ingest-progress');
  }, 120_000);
});

/** The text of a cell's outputs (rich outputs' text, streams, errors), once it has any. */
async function outputText(cell: Locator): Promise<string> {
  const out = cell.locator('.jp-OutputArea-output');
  await out.first().waitFor();
  return (await out.allTextContents()).join('\n');
}
