import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a running stage's old outs wait, under the pipeline's `.skybook/` folder. */
const STASH = '.skybook/stash';

/**
 * Keeps a stage's old outs safe while it runs: they are moved aside (a rename, no copy) before the stage starts; when it
 * succeeds they are dropped, when it fails or is killed its partial outs are removed and the old ones moved back. A
 * runner killed outright leaves the stash behind, and the next runner puts it back first (`restoreStashes`), so an out is
 * always either the last complete one or the new complete one, never half-written.
 *
 * @example
 * const guard = OutsGuard.stash(dir, 'features', ['data/features.parquet']);
 * const ok = await runStage();
 * ok ? guard.commit() : guard.restore();
 */
export class OutsGuard {
  private constructor(
    private readonly dir: string,
    private readonly stage: string,
    private readonly outs: readonly string[],
  ) {}

  /** Moves the stage's existing outs aside and makes the folders its outs go in. */
  static stash(dir: string, stage: string, outs: readonly string[]): OutsGuard {
    const stash = join(dir, STASH, stage);
    rmSync(stash, { recursive: true, force: true });
    mkdirSync(stash, { recursive: true });
    // The list first, then the moves, then `ready`: a runner killed in between leaves enough to undo exactly what it did.
    writeFileSync(join(stash, 'index.json'), JSON.stringify({ outs }));
    outs.forEach((o, i) => {
      const abs = join(dir, o);
      mkdirSync(dirname(abs), { recursive: true });
      if (existsSync(abs)) renameSync(abs, join(stash, String(i)));
    });
    writeFileSync(join(stash, 'ready'), '');
    return new OutsGuard(dir, stage, outs);
  }

  /** The stage succeeded: its old outs go. */
  commit(): void {
    rmSync(join(this.dir, STASH, this.stage), { recursive: true, force: true });
  }

  /** The stage failed: its partial outs go and the old ones come back. */
  restore(): void {
    restoreStash(this.dir, this.stage);
  }

  /** Every out the stage declared that is not there (after a successful command: an out not produced). */
  missing(): string[] {
    return this.outs.filter((o) => !existsSync(join(this.dir, o)));
  }
}

/**
 * Puts back the old outs of stages whose runner was killed mid-stage. Returns the stages restored.
 *
 * @example
 * restoreStashes(dir) // ['features'] after a kill -9 during features
 */
export function restoreStashes(dir: string): string[] {
  const root = join(dir, STASH);
  if (!existsSync(root)) return [];
  const restored: string[] = [];
  for (const stage of readdirSync(root).sort()) {
    restoreStash(dir, stage);
    restored.push(stage);
  }
  return restored;
}

function restoreStash(dir: string, stage: string): void {
  const stash = join(dir, STASH, stage);
  const indexFile = join(stash, 'index.json');
  if (existsSync(indexFile)) {
    const { outs } = JSON.parse(readFileSync(indexFile, 'utf8')) as { outs: string[] };
    // Before `ready` the stage had not started: only what was moved goes back. After it, anything at an out's path
    // was written by the stage (its old self is in the stash, or it had none) and goes.
    const started = existsSync(join(stash, 'ready'));
    outs.forEach((o, i) => {
      const abs = join(dir, o);
      const old = join(stash, String(i));
      if (started) rmSync(abs, { recursive: true, force: true });
      if (existsSync(old)) renameSync(old, abs);
    });
  }
  rmSync(stash, { recursive: true, force: true });
}
