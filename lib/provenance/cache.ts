import { existsSync } from 'node:fs';
import type { ParamValue } from '../notebook/index.js';
import { canonicalJson, hashFile, sha256, type FileDigest } from './hash.js';
import { readManifest, type RunRecord } from './manifest.js';

/** What decides whether a run can be skipped. */
export interface CacheKeyParts {
  notebook: string;
  parameters: Record<string, ParamValue>;
  inputs: FileDigest[];
  lockfile?: string;
  kernel: string;
  skybook: string;
}

/**
 * The cache key of a run: sha256 over the notebook's hash, the parameters, the inputs' hashes (by path), the
 * lockfile's hash, the kernel and skybook's version.
 *
 * @example
 * cacheKey({ notebook: 'ab..', parameters: { zmax: 2 }, inputs: [], kernel: 'python3', skybook: '0.1.0' })
 */
export function cacheKey(p: CacheKeyParts): string {
  return sha256(canonicalJson({ ...p, inputs: p.inputs.map((d) => [d.path, d.sha256]).sort() }));
}

/**
 * The cache lives in the output folder itself: the manifest beside OUT.ipynb. It is a hit when that manifest has the
 * same key, the run completed, and the executed notebook and every file the run wrote still have their recorded
 * hashes (so a deleted or edited result forces a new run). Returns the record on a hit.
 *
 * @example
 * const hit = await cacheLookup('runs/a.provenance.json', key);
 */
export async function cacheLookup(manifestPath: string, key: string): Promise<RunRecord | undefined> {
  if (!existsSync(manifestPath)) return undefined;
  let rec: RunRecord;
  try {
    rec = await readManifest(manifestPath);
  } catch {
    return undefined;
  }
  if (rec.cacheKey !== key || rec.status !== 'completed') return undefined;
  for (const f of [rec.executed, ...rec.outputs]) {
    if (!existsSync(f.path) || (await hashFile(f.path)).sha256 !== f.sha256) return undefined;
  }
  return rec;
}
