import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipReason } from '../../scripts/pipeline-plan.js';
import { ROOT } from '../helpers/cli.js';

// The main job as the README documents it, `npm run pipelines` then `npm run pipelines -- --cache`, in a folder of
// its own (`--cwd`): the second run finds every notebook up to date, says so, and exits 0.
const PIPELINES = join(ROOT, 'dist', 'scripts', 'pipelines.js');
/** The curated notebooks the main job runs here: every notebook in notebooks/ but those it skips (08 without Ray). */
const ALL = readdirSync(join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
const CURATED = ALL.filter((f) => skipReason(f.replace(/\.ipynb$/, '')) === undefined).length;

function pipelines(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PIPELINES, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run pipelines -- --cache', () => {
  it('runs every curated notebook, then reports all of them cached on the second run, exit 0 both times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-pipelines-'));
    const first = await pipelines(['--cwd', dir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(CURATED).toBeGreaterThanOrEqual(4);
    expect(first.stdout).toContain(`${CURATED}/${CURATED} notebooks ran`);
    expect(existsSync(join(dir, 'runs', 'pipelines', '02-sky-store.html'))).toBe(true);
    expect(existsSync(join(dir, 'runs', 'pipelines', '04-void-environments.html'))).toBe(true);
    const second = await pipelines(['--cache', '--cwd', dir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`${CURATED}/${CURATED} notebooks ran`);
    const rows = second.stdout.split('\n').filter((l) => /^\d\d-/.test(l));
    expect(rows).toHaveLength(ALL.length);
    for (const row of rows)
      expect(row).toMatch(skipReason(row.split(' ')[0]!) ? /^\d\d-\S+\s+skipped no Ray cluster/ : /^\d\d-\S+\s+cached /);
    expect(second.stdout).not.toContain('FAILED');
  }, 300_000);
});
