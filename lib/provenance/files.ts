import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParamValue } from '../notebook/index.js';

/** path -> "mtime:size", enough to see which files a run wrote. */
export type DirSnapshot = Map<string, string>;

/**
 * Lists the files under `dir` (skipping dot-folders and node_modules, at most `limit` files) with mtime and size.
 *
 * @example
 * const before = snapshotDir('runs/'); // ... run ...; writtenFiles(before, snapshotDir('runs/'))
 */
export function snapshotDir(dir: string, limit = 20000): DirSnapshot {
  const snap: DirSnapshot = new Map();
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (snap.size >= limit) return;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
      } else if (e.isFile() && !e.name.endsWith('.tmp')) {
        const s = statSync(p);
        snap.set(p, `${s.mtimeMs}:${s.size}`);
      }
    }
  };
  walk(dir);
  return snap;
}

/** Files new or changed between two snapshots, sorted. @example writtenFiles(before, after) // ['/r/out/hist.csv'] */
export function writtenFiles(before: DirSnapshot, after: DirSnapshot): string[] {
  return [...after]
    .filter(([p, v]) => before.get(p) !== v)
    .map(([p]) => p)
    .sort();
}

/**
 * String parameter values (at any depth) that name existing files, resolved against `cwd`: these are inputs too.
 *
 * @example
 * filesNamedBy({ catalog: 'zcat.fits', zmax: 2 }, process.cwd()) // ['/work/zcat.fits']
 */
export function filesNamedBy(params: Record<string, ParamValue>, cwd: string): string[] {
  const out = new Set<string>();
  const visit = (v: ParamValue) => {
    if (typeof v === 'string') {
      if (v.length > 0 && v.length < 4096 && !v.includes('\n')) {
        const p = resolve(cwd, v);
        try {
          if (existsSync(p) && statSync(p).isFile()) out.add(p);
        } catch {
          /* not a path */
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  Object.values(params).forEach(visit);
  return [...out].sort();
}
