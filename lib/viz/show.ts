import { plainText } from './display.js';

let host: ((value: unknown) => string) | undefined;

/**
 * Where `display` sends values: the kernel registers itself at start (a rich output under the running cell); a
 * script without one gets the value's text form on stdout.
 *
 * @example
 * setDisplayHost((v) => kernel.display(v)); // the kernel, once at start
 */
export function setDisplayHost(show: ((value: unknown) => string) | undefined): void {
  host = show;
}

/**
 * Shows a value now, as the richest output the host can show (an Arrow table as a scrollable HTML table, a Plotly
 * figure interactive, an Observable Plot as SVG). Returns the output's display id in a kernel, undefined elsewhere.
 *
 * @example
 * display(await readZcatalog(path, { columns: ['TARGETID', 'Z'] }));
 */
export function display(value: unknown): string | undefined {
  if (host) return host(value);
  process.stdout.write(plainText(value) + '\n');
  return undefined;
}
