import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { StoreError } from '../errors/index.js';

/**
 * The files an ingest's SOURCE arguments name, in load order: a file as given; a glob (`DIR/**\/redrock-*.fits`,
 * quoted so that we expand it, not the shell) as its matching files, sorted by path; each file once (the first
 * mention keeps its place). A glob matching nothing is bad input (exit 2) naming it: a typo in a pattern must not
 * look like a set that is already loaded. A name that is an existing file is taken as one even if it looks like a
 * glob; a missing file is passed on, for the input check to name.
 *
 * @example
 * await expandSources(['data/**\/redrock-*.fits', 'extra.fits']) // ['data/a/redrock-1.fits', ..., 'extra.fits']
 */
export async function expandSources(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(path);
  };
  for (const arg of args) {
    const exists = await stat(arg).then(
      () => true,
      () => false,
    );
    if (exists || !isDynamicPattern(arg)) {
      add(arg);
      continue;
    }
    const found = await glob(arg, { onlyFiles: true, absolute: isAbsolute(arg), expandDirectories: false, dot: false });
    if (found.length === 0) throw new StoreError('no file matches this pattern', { file: arg });
    for (const path of found.sort()) add(path);
  }
  return out;
}
