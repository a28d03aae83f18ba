import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

/** A Chromium tab that reaches nothing but local files, with what it tried to reach and the page's errors. */
export interface OfflinePage {
  tab: Page;
  /** URLs the page asked for that were not file:// (and were refused): a self-contained page asks for none. */
  blocked: string[];
  /** Uncaught errors in the page's scripts. */
  errors: string[];
}

/**
 * Opens a tab in which every request other than file:// is aborted and counted, for pages that must work offline
 * (the dashboard, a published bundle's page).
 *
 * @example
 * const { tab, blocked } = await offlinePage(browser, { viewport: { width: 390, height: 844 } }); ...; expect(blocked).toEqual([]);
 */
export async function offlinePage(browser: Browser, options: BrowserContextOptions = {}): Promise<OfflinePage> {
  const tab = await browser.newPage(options);
  const blocked: string[] = [];
  const errors: string[] = [];
  await tab.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  tab.on('pageerror', (e) => errors.push(e.message));
  return { tab, blocked, errors };
}
