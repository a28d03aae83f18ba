import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { ROOT } from '../helpers/cli.js';
import { type RunningCli, spawnSkybook } from '../helpers/spawn-cli.js';

/** Debian's chromium (never a downloaded browser) and the project's JupyterLab, as `skybook lab` finds it. */
export const CHROMIUM = '/usr/bin/chromium';
export const JUPYTER_LAB = join(ROOT, '.venv', 'bin', 'jupyter-lab');
export const SHOTS = join(ROOT, 'runs', 'screenshots');

/** Why the JupyterLab tests cannot run here, with how to get what is missing; undefined when they can. */
export function labSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (!existsSync(JUPYTER_LAB)) return `${JUPYTER_LAB} is missing (npm run setup:python installs JupyterLab 4 into .venv)`;
  return undefined;
}

/** A `skybook lab` server and a Chromium page on it. */
export interface LabSession {
  lab: RunningCli;
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * Starts `skybook lab --no-browser --port 0 --json --dir DIR` with Jupyter's config, settings, workspaces and runtime
 * folders inside `dir` (nothing from the user's own set-up; JupyterLab's news and update checks off, so no notification
 * covers the notebook), waits for the URL it prints, and opens it in headless Chromium.
 */
export async function openLab(dir: string): Promise<LabSession> {
  const settings = join(dir, '.lab', 'settings');
  mkdirSync(join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
  writeFileSync(
    join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }),
  );
  const env = {
    JUPYTER_CONFIG_DIR: join(dir, '.lab', 'config'),
    JUPYTER_DATA_DIR: join(dir, '.lab', 'data'),
    JUPYTER_RUNTIME_DIR: join(dir, '.lab', 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: settings,
    JUPYTERLAB_WORKSPACES_DIR: join(dir, '.lab', 'workspaces'),
  };
  const lab = spawnSkybook(['lab', '--no-browser', '--port', '0', '--json', '--dir', dir], { env });
  let stdout = '';
  lab.child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  await lab.waitFor(/"url":"[^"]+"/);
  const url = (JSON.parse(stdout.split('\n')[0]!) as { url: string }).url;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('.jp-LauncherCard', { timeout: 120_000 });
  return {
    lab,
    url,
    browser,
    page,
    close: async () => {
      await browser.close();
      lab.child.kill('SIGTERM');
      await lab.done;
    },
  };
}

/**
 * Waits until the open notebook's kernel is connected and idle, as the status bar says ("TypeScript (skybook) | Idle"):
 * it says so only once JupyterLab holds a kernel connection, whereas a cell run before then is silently not executed.
 */
export async function kernelIdle(page: Page, timeout = 120_000): Promise<void> {
  await page.locator('#jp-main-statusbar', { hasText: 'TypeScript (skybook) | Idle' }).waitFor({ timeout });
}

/** The notebook's last code cell. */
export const lastCell = (page: Page): Locator => page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell').last();

/**
 * Types `code` into the last cell (inserted as text, so CodeMirror adds no closing brackets) and runs it with
 * Shift+Enter, which appends a fresh cell below; resolves with the cell that ran once its prompt shows a number.
 */
export async function runCell(page: Page, code: string, timeout = 120_000): Promise<Locator> {
  const cell = await typeInLastCell(page, code);
  await page.keyboard.press('Shift+Enter');
  try {
    await cell.locator('.jp-InputArea-prompt', { hasText: /\[\d+\]/ }).waitFor({ timeout });
  } catch (e) {
    await screenshot(page, 'lab-failed-cell');
    throw new Error(`the cell did not finish: ${(e as Error).message}\n${await cell.innerHTML()}`);
  }
  return cell;
}

/**
 * Clicks into the last cell's editor, replaces what it holds with `code`, and resolves with that cell (by index, so it
 * stays that cell when Shift+Enter appends another).
 */
export async function typeInLastCell(page: Page, code: string): Promise<Locator> {
  const cells = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
  const cell = cells.nth((await cells.count()) - 1);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(code);
  return cell;
}

/** Saves a PNG of the page under runs/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`JupyterLab screenshot: ${file}`);
  return file;
}
