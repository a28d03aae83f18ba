import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures beside the repository; absent in a fresh clone, where fixture tests skip. */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
export const HAVE_FIXTURES = existsSync(join(FIXTURES, 'fits', 'expected'));
export const NO_FIXTURES_MESSAGE = `skipped: ${FIXTURES} is absent (a fresh clone without ../shared); CI always has it`;

/**
 * Parses JSON keeping integers beyond 2^53 exact, as bigints (astropy's oracle writes exact int64 sums and values).
 * Long digit runs outside strings become bigint; everything else is JSON.parse's.
 */
export function parseJsonExact(text: string): unknown {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g, (m, str, big) => {
    if (str !== undefined) return m;
    const n = Number(big);
    return Number.isSafeInteger(n) ? big : `"__bigint:${big}"`;
  });
  return JSON.parse(marked, (_k, v) => (typeof v === 'string' && v.startsWith('__bigint:') ? BigInt(v.slice(9)) : v));
}

/** Every `expected/*.json` of the FITS and DESI fixtures with the path of the file it describes. */
export function expectedFiles(): { json: string; file: string }[] {
  const out: { json: string; file: string }[] = [];
  for (const group of ['fits', 'desi']) {
    const dir = join(FIXTURES, group, 'expected');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.json')) continue;
      const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { path?: string };
      const rel =
        doc.path ??
        name
          .replace(/\.json$/, '')
          .split('__')
          .join('/');
      const candidates = [join(FIXTURES, rel), join(FIXTURES, rel.split('/').slice(1).join('/'))];
      const file = candidates.find((c) => existsSync(c)) ?? candidates[0]!;
      out.push({ json: join(dir, name), file });
    }
  }
  return out;
}
