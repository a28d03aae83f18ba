/**
 * The main job (`npm run pipelines`): runs the curated notebooks in notebooks/ headless with the `skybook` kernel, on a
 * generated mock survey and embedded DuckDB (no server), exactly as a user would with the CLI:
 *
 *   skybook kernel install --prefix runs/jupyter
 *   skybook run notebooks/NN-*.ipynb -o runs/pipelines/NN-*.ipynb --kernel skybook -p ...
 *   skybook export runs/pipelines/NN-*.ipynb --html runs/pipelines/NN-*.html
 *
 * Each run leaves the executed notebook, its provenance manifest (`skybook verify` re-runs and compares it) and a
 * static HTML page. Options: `--cache` skips notebooks whose inputs are unchanged (reported as `cached`); `--keep` keeps
 * earlier results; `--cwd DIR` puts runs/ under DIR instead of the repository root (tests run it in a temporary folder).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIPELINES_OUT, runArgs, skipReason } from './pipeline-plan.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');
const OUT = PIPELINES_OUT;

interface RunSummary {
  status: string;
  out: string;
  manifest: string;
  cells: number;
  cached: boolean;
  seconds: number;
  error: string | null;
}

/** Where runs/ goes: `--cwd DIR`, else the repository root. */
function workDir(): string {
  const i = process.argv.indexOf('--cwd');
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : ROOT;
}
const WORK = workDir();

function skybook(args: string[], env: NodeJS.ProcessEnv): { code: number; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: WORK,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? 1, stdout: r.stdout };
}

function main(): number {
  const cache = process.argv.includes('--cache');
  if (!cache && !process.argv.includes('--keep')) rmSync(join(WORK, OUT), { recursive: true, force: true });
  mkdirSync(join(WORK, OUT), { recursive: true });
  // The kernel goes into a prefix inside runs/, so the main job never touches the user's Jupyter set-up.
  const env = { ...process.env, JUPYTER_PATH: join(WORK, 'runs', 'jupyter', 'share', 'jupyter') };
  if (skybook(['kernel', 'install', '--prefix', 'runs/jupyter', '--json'], env).code !== 0) return 1;

  const notebooks = readdirSync(join(ROOT, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb'))
    .sort();
  const rows: string[] = [];
  let failed = 0;
  let skipped = 0;
  for (const file of notebooks) {
    const name = file.replace(/\.ipynb$/, '');
    const why = skipReason(name);
    if (why) {
      skipped++;
      process.stderr.write(`\n== ${name}: skipped (${why})\n`);
      rows.push(`${name.padEnd(20)} skipped ${why}`);
      continue;
    }
    const out = `${OUT}/${name}.ipynb`;
    // The notebook by its absolute path, so a run under --cwd still finds it in the repository.
    const args = runArgs(name).map((a) => (a === `notebooks/${file}` ? join(ROOT, 'notebooks', file) : a));
    if (cache) args.push('--cache');
    process.stderr.write(`\n== ${name}\n`);
    const run = skybook(args, env);
    let summary: RunSummary | undefined;
    try {
      summary = JSON.parse(run.stdout) as RunSummary;
    } catch {
      summary = undefined;
    }
    // `cached`: skybook run found an earlier run with the same notebook, parameters and inputs (its outputs stand).
    if (run.code !== 0 || !summary || (summary.status !== 'completed' && summary.status !== 'cached')) {
      failed++;
      rows.push(`${name.padEnd(20)} FAILED  ${summary?.error ?? `exit ${run.code}`}`);
      continue;
    }
    if (!summary.cached || !existsSync(join(WORK, OUT, `${name}.html`))) skybook(['export', out, '--html', `${OUT}/${name}.html`], env);
    rows.push(
      `${name.padEnd(20)} ${summary.cached ? 'cached ' : 'ok     '} ${String(summary.cells).padStart(3)} cells ${summary.seconds.toFixed(1).padStart(6)} s  ${out}`,
    );
  }
  process.stdout.write(
    `\nskybook pipelines: ${notebooks.length - skipped - failed}/${notebooks.length - skipped} notebooks ran${skipped ? `, ${skipped} skipped` : ''} (results, manifests and HTML in ${OUT}/)\n${rows.join('\n')}\n`,
  );
  return failed ? 1 : 0;
}

process.exitCode = main();
