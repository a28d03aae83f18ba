import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { sha256File } from '../fits/index.js';
import { sortKeys, withoutBanner, type Notebook } from '../notebook/index.js';
import { normaliseOutputs, withoutMount, type NormaliseContext } from './normalise.js';

/** sha256 of a string (UTF-8) or bytes, hex. @example sha256('abc').slice(0, 8) // 'ba7816bf' */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with keys sorted at every level, the canonical form hashed everywhere in provenance. @example canonicalJson({ b: 1, a: 2 }) // '{"a":2,"b":1}' */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

/** A file's sha256 and size, streamed (inputs can be large FITS files). */
export interface FileDigest {
  path: string;
  sha256: string;
  size: number;
}

/**
 * Hashes one file by streaming it.
 *
 * @example
 * const d = await hashFile('zcat.fits'); d.sha256
 */
export async function hashFile(path: string): Promise<FileDigest> {
  return { path, sha256: await sha256File(path), size: (await stat(path)).size };
}

/** The hashes of one cell: its source, and its outputs after normalisation (code cells only). */
export interface CellHash {
  index: number;
  id?: string;
  cellType: string;
  source: string;
  outputs?: string;
}

/**
 * Per-cell hashes of an executed notebook (banner excluded): sha256 of the source, and of the canonical JSON of the
 * normalised outputs. Two runs that computed the same things give the same list. With `ctx.mount` (a bundle's
 * re-run) the source is hashed without the mount folder: the injected parameters naming `MOUNT/data/a.fits` hash as
 * the recorded `/data/a.fits`.
 *
 * @example
 * cellHashes(nb, { cwd: '/work/run' })[2].outputs
 */
export function cellHashes(nb: Notebook, ctx: NormaliseContext = {}): CellHash[] {
  return withoutBanner(nb).cells.map((c, index) => {
    const h: CellHash = { index, cellType: c.cell_type, source: sha256(withoutMount(c.source, ctx.mount)) };
    if (c.id) h.id = c.id;
    if (c.cell_type === 'code') h.outputs = sha256(canonicalJson(normaliseOutputs(c.outputs ?? [], ctx)));
    return h;
  });
}
