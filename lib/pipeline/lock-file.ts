import { existsSync } from 'node:fs';
import { stringify } from 'yaml';
import { z } from 'zod';
import { writeFileAtomicSync } from '../notebook/index.js';
import type { Digest } from './hash-cache.js';
import { readYamlFile } from './yaml-file.js';

/** The lock's name, beside the pipeline file (as dvc.lock sits beside dvc.yaml). */
export const LOCK_FILE = 'skybook.lock';

const fileEntry = z.strictObject({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().nonnegative(),
  files: z.number().int().nonnegative().optional(),
});
const stageEntry = z.strictObject({
  cmd: z.string().optional(),
  notebook: z.string().optional(),
  /** The notebook's normalised code hash (`notebookCodeHash`). */
  code: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  deps: z.array(fileEntry).default([]),
  outs: z.array(fileEntry).default([]),
});
const LOCK_SCHEMA = z.strictObject({ schema: z.literal('1.0'), stages: z.record(z.string(), stageEntry).default({}) });

/** A dep or out as it was when its stage last ran. */
export type LockedFile = z.infer<typeof fileEntry>;
/**
 * A dep or out as the lock records it, from its digest (a folder keeps its file count).
 *
 * @example
 * lockedFile('data/zcat.csv', cache.hash('/proj/data/zcat.csv')!) // { path: 'data/zcat.csv', sha256: '…', size: 1234 }
 */
export function lockedFile(path: string, d: Digest): LockedFile {
  return { path, sha256: d.sha256, size: d.size, ...(d.files !== undefined ? { files: d.files } : {}) };
}

/** What a stage was run with, and what it read and wrote. */
export type LockedStage = z.infer<typeof stageEntry>;
/** skybook.lock: per stage, cmd or notebook code hash, params, deps and outs with sha256 and size. */
export type Lock = z.infer<typeof LOCK_SCHEMA>;

/**
 * Reads skybook.lock; an absent lock is empty (nothing has run). A damaged one is a PipelineError with line and column.
 *
 * @example
 * readLock('skybook.lock').stages.survey?.outs[0]?.sha256
 */
export function readLock(path: string): Lock {
  if (!existsSync(path)) return { schema: '1.0', stages: {} };
  return readYamlFile(path, LOCK_SCHEMA);
}

/**
 * Writes skybook.lock atomically (write, then rename), stages in the pipeline's order, keys in a fixed order, so the
 * same state gives the same bytes (it belongs in version control, as dvc.lock does).
 *
 * @example
 * writeLock('skybook.lock', lock, ['survey', 'ingest']);
 */
export function writeLock(path: string, lock: Lock, order: readonly string[]): void {
  const stages: Record<string, unknown> = {};
  const names = [
    ...order.filter((n) => lock.stages[n]),
    ...Object.keys(lock.stages)
      .filter((n) => !order.includes(n))
      .sort(),
  ];
  for (const name of names) {
    const s = lock.stages[name]!;
    stages[name] = {
      ...(s.cmd !== undefined ? { cmd: s.cmd } : {}),
      ...(s.notebook !== undefined ? { notebook: s.notebook, code: s.code } : {}),
      ...(Object.keys(s.params).length ? { params: sortDeep(s.params) } : {}),
      deps: s.deps.map(fileOrder),
      outs: s.outs.map(fileOrder),
    };
  }
  writeFileAtomicSync(path, stringify({ schema: '1.0', stages }, { lineWidth: 0 }));
}

function fileOrder(f: LockedFile): LockedFile {
  return { path: f.path, sha256: f.sha256, size: f.size, ...(f.files !== undefined ? { files: f.files } : {}) };
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  return v;
}
