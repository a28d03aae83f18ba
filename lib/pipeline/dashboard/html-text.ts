import { isAbsolute, relative, resolve, sep } from 'node:path';
import { escapeHtml } from '../../core/index.js';

/**
 * Text made safe for HTML, in element content and in quoted attributes alike: everything a ledger holds (names, errors,
 * parameters, paths) was written by someone else and is escaped before it reaches the page.
 *
 * @example
 * html('<b>"zcat" & co</b>'); // '&lt;b&gt;&quot;zcat&quot; &amp; co&lt;/b&gt;'
 */
export function html(text: unknown): string {
  return escapeHtml(String(text ?? ''));
}

/**
 * A link from the page in `outDir` to a file the ledger names (relative to `root`, the project folder, or absolute):
 * relative, so the site and the project can move together or be served from one web root; each segment URL-encoded.
 *
 * @example
 * fileHref('runs/01 quick#start.ipynb', '/proj', '/proj/site'); // '../runs/01%20quick%23start.ipynb'
 */
export function fileHref(path: string, root: string, outDir: string): string {
  const target = isAbsolute(path) ? path : resolve(root, path);
  return relative(outDir, target)
    .split(sep)
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/**
 * A duration as people read it on a dashboard: milliseconds below a second, tenths below ten seconds, whole seconds
 * below a minute, then minutes and hours.
 *
 * @example
 * duration(0.042); // '42 ms'
 * duration(4.25); // '4.3 s'
 * duration(185); // '3 min 5 s'
 */
export function duration(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * A ledger time (UTC ISO) as shown on the page: `2025-03-01 12:00:05Z`, the same for every reader whatever their zone.
 *
 * @example
 * when('2025-03-01T12:00:05.250Z'); // '2025-03-01 12:00:05Z'
 */
export function when(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : '';
}
