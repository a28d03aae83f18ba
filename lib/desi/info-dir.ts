import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { progressOf, type Progress } from '../core/index.js';
import { DesiError, FitsError, fileProblem, SkybookError } from '../errors/index.js';
import { desiInfo, type DesiInfo } from './info.js';

/** What a file's name must look like to be opened as FITS: `.fits`, `.fit`, `.fts`, optionally `.gz` or `.fz`, or `.fz`. */
const FITS_NAME = /\.(fits?|fts)(\.(gz|fz))?$|\.fz$/i;
/** How deep the walk goes below the folder (DR1's healpix/SURVEY/PROGRAM/GROUP/PIXEL is 5 deep). */
const MAX_DEPTH = 12;
/** How many entries the walk looks at before it stops (a folder of DR1's size is refused early, not read for hours). */
const MAX_ENTRIES = 200_000;

/**
 * `desiInfoDir`'s answer: a summary per DESI file (`file` relative to the folder, sorted), and what was skipped.
 *
 * @example
 * const { files, skipped } = await desiInfoDir('mock/spectro/redux/iron'); // skipped.notFits: 3
 */
export interface DesiDirInfo {
  dir: string;
  files: DesiInfo[];
  skipped: {
    /** Files whose names are not FITS names (`.fits`, `.fits.gz`, `.fz`, ...): not opened. */
    notFits: number;
    /** FITS files of no DESI product (a truth table, a template). */
    notDesi: number;
    /** FITS-named files that could not be read as one, each with its one-line error. */
    unreadable: { file: string; error: string }[];
  };
  /** True when the walk stopped at `limit` DESI files or its entry bound; `files` is then the first ones, in order. */
  truncated: boolean;
}

/**
 * Summarises every DESI file under a folder with {@link desiInfo}: walks it (symbolic links to folders are not
 * followed; at most 12 levels and 200,000 entries), sorts the paths, opens the FITS-named ones and keeps the DESI
 * products, up to `limit` (default 1,000). Other files are counted, not read. A folder with no DESI file is a
 * DesiError (exit code 2) saying what it skipped.
 *
 * @example
 * const { files } = await desiInfoDir('mock'); // [{ file: 'spectro/redux/iron/healpix/main/dark/272/27245/coadd-...', product: 'coadd', ... }]
 */
export async function desiInfoDir(dir: string, opts: { limit?: number; progress?: Progress | false } = {}): Promise<DesiDirInfo> {
  const limit = opts.limit ?? 1000;
  const paths: string[] = [];
  const unreadable: { file: string; error: string }[] = [];
  let entries = 0;
  let truncated = false;
  const walk = async (folder: string, depth: number): Promise<void> => {
    let list: Dirent[];
    try {
      list = await readdir(folder, { withFileTypes: true });
    } catch (e) {
      if (depth === 0) throw new DesiError(fileProblem(e), { file: dir });
      unreadable.push({ file: relative(dir, folder), error: fileProblem(e) });
      return;
    }
    for (const e of list) {
      if (++entries > MAX_ENTRIES) {
        truncated = true;
        return;
      }
      const path = join(folder, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1);
      } else if (e.isFile() || e.isSymbolicLink()) paths.push(path);
      if (truncated) return;
    }
  };
  await walk(dir, 0);
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: DesiDirInfo = { dir, files: [], skipped: { notFits: 0, notDesi: 0, unreadable }, truncated };
  const fits = paths.filter((p) => FITS_NAME.test(p));
  out.skipped.notFits = paths.length - fits.length;
  const progress = progressOf(opts.progress);
  progress.start({ label: `desi info ${dir}`, total: fits.length, unit: 'files' });
  try {
    for (const path of fits) {
      if (out.files.length >= limit) {
        out.truncated = true;
        break;
      }
      const file = relative(dir, path);
      progress.advance(0, file);
      try {
        out.files.push({ ...(await desiInfo(path, { progress: false })), file });
      } catch (e) {
        if (!(e instanceof SkybookError)) throw e;
        if (e instanceof FitsError && /not a DESI product/.test(e.message)) out.skipped.notDesi++;
        else out.skipped.unreadable.push({ file, error: e.message });
      }
      progress.advance(1);
    }
  } finally {
    progress.finish();
  }
  if (out.files.length === 0) throw new DesiError(`no DESI file in this folder (skipped ${skippedText(out)})`, { file: dir });
  return out;
}

/**
 * The skipped counts in words: `3 non-FITS files, 1 FITS file of no DESI product, 0 unreadable`.
 *
 * @example
 * skippedText(await desiInfoDir('mock')); // '4 non-FITS files, 0 FITS files of no DESI product, 0 unreadable'
 */
export function skippedText(info: DesiDirInfo): string {
  const n = (k: number, one: string, many: string) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;
  return [
    n(info.skipped.notFits, 'non-FITS file', 'non-FITS files'),
    n(info.skipped.notDesi, 'FITS file of no DESI product', 'FITS files of no DESI product'),
    `${info.skipped.unreadable.length.toLocaleString('en-US')} unreadable`,
  ].join(', ');
}
