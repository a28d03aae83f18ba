import { open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileProblem, StoreError } from '../../errors/index.js';

/**
 * The FITS files an inventory covers: every FITS file under a folder, or the paths and URLs a list file names; sorted,
 * without duplicates, paths absolute.
 *
 * @example
 * const input: InventoryInput = { kind: 'folder', from: '/dr1/healpix', files: ['/dr1/healpix/main/dark/272/27247/redrock-main-dark-27247.fits'] };
 */
export interface InventoryInput {
  kind: 'folder' | 'list';
  /** The folder or list file as given. */
  from: string;
  files: string[];
}

/** Names a folder walk keeps: FITS files, gzipped or tile-compressed (`.fits`, `.fit`, `.fts`, `.gz` and `.fz` of them, `.fz`). */
export const FITS_NAME = /\.(fits?|fts)(\.(gz|fz))?$|\.fz$/i;

/** `http://`, `https://` and `s3://` entries of a list are read as lib/fits reads them (range requests, headers only). */
export function isRemote(location: string): boolean {
  return /^(https?|s3):\/\//i.test(location);
}

/**
 * Resolves a folder (walked recursively, FITS names only, symbolic links to folders not followed) or a list file (one
 * path or URL a line; blank lines and `#` comments skipped; relative paths taken from the list's own folder). A missing
 * input, a folder without FITS files, an empty list and a FITS file given in place of a list are refused (a StoreError,
 * exit code 2, naming it): an inventory that found nothing would otherwise remove every row it has.
 *
 * @example
 * const { files } = await inventoryInput('/dr1/healpix'); // sorted absolute paths
 */
export async function inventoryInput(from: string): Promise<InventoryInput> {
  const st = await stat(from).catch((e: unknown) => {
    throw new StoreError(fileProblem(e), { file: from });
  });
  if (st.isDirectory()) {
    const files = (await walk(resolve(from))).sort();
    if (files.length === 0) throw new StoreError('no FITS files in this folder (*.fits, *.fits.gz, *.fits.fz, ...)', { file: from });
    return { kind: 'folder', from, files };
  }
  if (await looksLikeFits(from))
    throw new StoreError('is a FITS file, not a folder or a list of files; give its folder, or a text file listing it', { file: from });
  const base = dirname(resolve(from));
  const entries = (await readFile(from, 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => (isRemote(l) ? l : resolve(base, l)));
  if (entries.length === 0) throw new StoreError('the list names no files (one path or URL a line)', { file: from });
  return { kind: 'list', from, files: [...new Set(entries)].sort() };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if ((e.isFile() || e.isSymbolicLink()) && FITS_NAME.test(e.name)) out.push(p);
  }
  return out;
}

/** A FITS file starts with `SIMPLE  =`; a list of paths never does. */
async function looksLikeFits(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(9);
    const { bytesRead } = await fh.read(head, 0, 9, 0);
    return head.subarray(0, bytesRead).toString('latin1') === 'SIMPLE  =';
  } finally {
    await fh.close();
  }
}
