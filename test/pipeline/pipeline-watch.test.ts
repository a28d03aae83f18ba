import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunLedger } from '../../lib/store/index.js';
import { CLI, skybook } from '../helpers/cli.js';

/** A `skybook pipeline watch --json` child whose events the test reads one by one (no sleeps: it waits for events). */
function watcher(cwd: string) {
  const child = spawn(process.execPath, [CLI, 'pipeline', 'watch', '--interval', '0.2', '--json'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const waiting: { test: () => boolean; resolve: () => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  child.stdout.on('data', (b: Buffer) => {
    const lines = (partial + b.toString()).split('\n');
    partial = lines.pop()!;
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as Record<string, unknown>);
    for (const w of [...waiting])
      if (w.test()) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    events,
    stderr: () => stderr,
    /** Resolves when `test` holds over the events so far (checked again on every new event). */
    until(test: () => boolean): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiting.push({ test, resolve });
        void exited.then((code) => reject(new Error(`watcher exited (${code}) early: ${stderr}`)));
      });
    },
    count: (kind: string) => events.filter((e) => e.event === kind).length,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

const ranStages = (events: Record<string, unknown>[]) =>
  events
    .filter((e) => e.event === 'run')
    .flatMap((e) => (e.stages as { name: string; status: string }[]).filter((s) => s.status === 'ran').map((s) => s.name));

const dir = mkdtempSync(join(tmpdir(), 'skybook-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'landing'), { recursive: true });
  writeFileSync(join(d, 'landing', 'redrock-001.fits'), 'one');
  writeFileSync(join(d, 'other-input.txt'), 'x');
  writeFileSync(
    join(d, 'skybook.pipeline.yaml'),
    'stages:\n  count:\n    cmd: mkdir -p counts && ls landing | wc -l > counts/n.txt\n    deps: [landing]\n    outs: [counts/n.txt]\n' +
      '  other:\n    cmd: cp other-input.txt other.txt\n    deps: [other-input.txt]\n    outs: [other.txt]\n',
  );
  expect(skybook(['pipeline', 'run'], { cwd: d }).code).toBe(0);
  return d;
}

describe('skybook pipeline watch', { timeout: 60_000 }, () => {
  it('a new file dropped into a watched folder triggers exactly one run of the stages that depend on it', async () => {
    const d = project('one');
    const w = watcher(d);
    try {
      await w.until(() => w.count('checked') >= 1);
      expect(w.events[0]).toEqual({ event: 'checked', stale: [] });
      writeFileSync(join(d, 'landing', 'redrock-002.fits'), 'two');
      await w.until(() => w.count('run') >= 1);
      const checksAtRun = w.count('checked');
      // Three more looks at the folder after the run: none finds anything stale, none runs.
      await w.until(() => w.count('checked') >= checksAtRun + 3);
      expect(ranStages(w.events)).toEqual(['count']);
      expect(w.count('run')).toBe(1);
      expect(w.events.filter((e) => e.event === 'checked').slice(checksAtRun)).toEqual([
        { event: 'checked', stale: [] },
        { event: 'checked', stale: [] },
        { event: 'checked', stale: [] },
      ]);
      expect(readFileSync(join(d, 'counts/n.txt'), 'utf8').trim()).toBe('2');
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('two watchers of one pipeline never race: one run between them', async () => {
    const d = project('two');
    const [a, b] = [watcher(d), watcher(d)];
    try {
      await Promise.all([a.until(() => a.count('checked') >= 1), b.until(() => b.count('checked') >= 1)]);
      writeFileSync(join(d, 'landing', 'redrock-003.fits'), 'three');
      await Promise.race([a.until(() => ranStages(a.events).length > 0), b.until(() => ranStages(b.events).length > 0)]);
      const [ca, cb] = [a.count('checked'), b.count('checked')];
      await Promise.all([a.until(() => a.count('checked') >= ca + 3), b.until(() => b.count('checked') >= cb + 3)]);
      expect([...ranStages(a.events), ...ranStages(b.events)]).toEqual(['count']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const rows = await new RunLedger(`duckdb:${join(d, '.skybook/ledger.duckdb')}`).runs({ kind: 'stage' });
    expect(rows.map((r) => r.name)).toEqual(['count', 'other', 'count']);
  });
});
