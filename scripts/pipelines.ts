/**
 * The main job (`npm run pipelines`): the curated notebooks in notebooks/ as a pipeline (skybook.pipeline.yaml, made
 * from scripts/pipeline-plan.ts), run headless with the `skybook` kernel on a generated mock survey and embedded DuckDB
 * (no server), exactly as a user would with the CLI:
 *
 *   skybook kernel install --prefix runs/jupyter
 *   skybook pipeline run -f skybook.pipeline.yaml      (each stage: skybook run NOTEBOOK ..., then skybook export --html)
 *
 * Each stage leaves the executed notebook, its provenance manifest (`skybook verify` re-runs and compares it) and a
 * static HTML page under runs/pipelines/; skybook.lock records what each stage ran with, and the run ledger
 * (.skybook/ledger.duckdb) every run. Options: `--cache` keeps earlier results and re-runs only stale stages (the others
 * are reported as `cached`); `--keep` keeps earlier results too; `--cwd DIR` puts runs/, the pipeline file, its lock and
 * ledger under DIR instead of the repository root (tests run it in a temporary folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIPELINES_OUT, mainJobPipeline } from './pipeline-plan.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');
const OUT = PIPELINES_OUT;

interface StageSummary {
  name: string;
  status: 'ran' | 'skipped' | 'failed';
  seconds: number;
  reason: string;
}

/** Where runs/ goes: `--cwd DIR`, else the repository root. */
function workDir(): string {
  const i = process.argv.indexOf('--cwd');
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : ROOT;
}
const WORK = workDir();

function skybook(args: string[], env: NodeJS.ProcessEnv, stdout: 'pipe' | 'inherit' = 'pipe'): { code: number; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: WORK,
    env,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'inherit'],
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? '' };
}

function main(): number {
  const cache = process.argv.includes('--cache');
  if (!cache && !process.argv.includes('--keep')) rmSync(join(WORK, OUT), { recursive: true, force: true });
  mkdirSync(join(WORK, OUT), { recursive: true });
  // The kernel goes into a prefix inside runs/, so the main job never touches the user's Jupyter set-up.
  const env = { ...process.env, JUPYTER_PATH: join(WORK, 'runs', 'jupyter', 'share', 'jupyter') };
  if (skybook(['kernel', 'install', '--prefix', 'runs/jupyter', '--json'], env).code !== 0) return 1;

  const names = readdirSync(join(ROOT, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => f.replace(/\.ipynb$/, ''))
    .sort();
  // In the repository the committed skybook.pipeline.yaml is used as it is; elsewhere the same pipeline names the
  // repository's notebooks by absolute path.
  const file = join(WORK, 'skybook.pipeline.yaml');
  if (WORK !== ROOT) writeFileSync(file, mainJobPipeline(join(ROOT, 'notebooks'), names));
  const run = skybook(['pipeline', 'run', '-f', file, '--json'], env);
  let stages: StageSummary[];
  try {
    stages = (JSON.parse(run.stdout) as { stages: StageSummary[] }).stages;
  } catch {
    process.stderr.write(`skybook pipelines: the pipeline did not run (exit ${run.code})\n`);
    return 1;
  }
  const rows: string[] = [];
  let failed = 0;
  let skipped = 0;
  for (const s of stages) {
    const pad = s.name.padEnd(20);
    if (s.status === 'ran') rows.push(`${pad} ok      ${s.seconds.toFixed(1).padStart(6)} s  ${OUT}/${s.name}.ipynb`);
    else if (s.status === 'skipped' && s.reason === 'up to date') rows.push(`${pad} cached  ${OUT}/${s.name}.ipynb (up to date)`);
    else if (s.status === 'skipped' && /not set/.test(s.reason)) {
      skipped++;
      rows.push(
        `${pad} skipped no Ray cluster: ${s.reason.replace(/^not run: /, '')} (node dist/scripts/ray-local-cluster.js starts one here)`,
      );
    } else {
      failed++;
      rows.push(`${pad} FAILED  ${s.reason}`);
    }
  }
  process.stdout.write(
    `\nskybook pipelines: ${stages.length - skipped - failed}/${stages.length - skipped} notebooks ran${skipped ? `, ${skipped} skipped` : ''} (results, manifests and HTML in ${OUT}/; skybook pipeline status says what is stale)\n${rows.join('\n')}\n`,
  );
  return failed || run.code !== 0 ? 1 : 0;
}

process.exitCode = main();
