import { join, resolve } from 'node:path';
import { PipelineError } from '../errors/index.js';
import type { Digest, HashCache } from './hash-cache.js';
import { type LockedFile, type LockedStage, lockedFile } from './lock-file.js';
import { notebookCodeHash } from './notebook-code.js';
import { madeByAStage, type Pipeline, type Stage } from './pipeline-file.js';

/** What a stage would run with now: its command or notebook code hash, params and its deps' current digests. */
export interface Fingerprint {
  cmd?: string;
  notebook?: string;
  code?: string;
  params: Record<string, unknown>;
  deps: LockedFile[];
}

/**
 * A dep's digest as it is now, or undefined when it is not there yet and a stage makes it; a dep neither there nor made
 * by any stage is a PipelineError (exit code 2) naming it.
 *
 * @example
 * depDigest(p, stage, 'config/cuts.json', cache)?.sha256
 */
export function depDigest(p: Pipeline, stage: string, dep: string, cache: HashCache): Digest | undefined {
  const digest = cache.hash(resolve(p.dir, dep));
  if (digest || madeByAStage(p, dep)) return digest;
  throw new PipelineError(`missing dep ${dep}: no such file or folder, and no stage has it as an out`, { file: p.file, stage });
}

/**
 * A stage's fingerprint from the files as they are; a dep a stage has yet to make is left out (`depDigest`).
 *
 * @example
 * const fp = fingerprint(p, stage, cache); fp.deps[0]?.sha256
 */
export function fingerprint(p: Pipeline, stage: Stage, cache: HashCache): Fingerprint {
  const deps: LockedFile[] = [];
  for (const d of stage.deps) {
    const digest = depDigest(p, stage.name, d, cache);
    if (digest) deps.push(lockedFile(d, digest));
  }
  const fp: Fingerprint = { params: stage.params, deps };
  if (stage.kind === 'cmd') fp.cmd = stage.cmd!.trim();
  else {
    fp.notebook = stage.notebook!;
    fp.code = notebookCodeHash(resolve(p.dir, stage.notebook!));
  }
  return fp;
}

/**
 * Why a stage must run, or nothing when it is up to date: never run, its command, notebook code or params changed, a dep
 * changed (named, with old and new hashes), a dep list changed, an out missing or changed since the stage wrote it.
 *
 * @example
 * staleReasons(p, stage, locked, fp, cache) // ['dep data/zall.fits changed (sha256 1f2e3d4c5b6a -> 9a8b7c6d5e4f)']
 */
export function staleReasons(p: Pipeline, stage: Stage, locked: LockedStage | undefined, fp: Fingerprint, cache: HashCache): string[] {
  if (!locked) return ['never run (not in skybook.lock)'];
  const reasons: string[] = [];
  if (fp.cmd !== undefined && locked.cmd !== fp.cmd) reasons.push('command changed');
  if (fp.code !== undefined && (locked.code !== fp.code || locked.notebook !== fp.notebook)) reasons.push('notebook code changed');
  for (const k of new Set([...Object.keys(fp.params), ...Object.keys(locked.params)])) {
    const [was, now] = [JSON.stringify(locked.params[k]), JSON.stringify(fp.params[k])];
    if (was !== now) reasons.push(`param ${k} changed (${was ?? 'unset'} -> ${now ?? 'unset'})`);
  }
  const before = new Map(locked.deps.map((d) => [d.path, d]));
  for (const d of fp.deps) {
    const b = before.get(d.path);
    if (!b) reasons.push(`new dep ${d.path}`);
    else if (b.sha256 !== d.sha256) reasons.push(`dep ${d.path} changed (sha256 ${b.sha256.slice(0, 12)} -> ${d.sha256.slice(0, 12)})`);
  }
  for (const path of before.keys()) if (!stage.deps.includes(path)) reasons.push(`dep ${path} removed`);
  const outs = new Map(locked.outs.map((o) => [o.path, o]));
  for (const o of stage.outs) {
    const digest = cache.hash(join(p.dir, o));
    const was = outs.get(o);
    if (!digest) reasons.push(`out ${o} missing`);
    else if (!was) reasons.push(`new out ${o}`);
    else if (was.sha256 !== digest.sha256) reasons.push(`out ${o} changed since the stage wrote it`);
  }
  return reasons;
}
