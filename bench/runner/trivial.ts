/**
 * bench/runner/trivial.ts: `skybook run` against Debian's `jupyter nbconvert --execute` on the same python3 kernel, in one run.
 * Two notebooks (1 and N trivial cells) give start-up cost and per-cell overhead for each tool; outputs cross-checked.
 * `--kernel skybook` runs TypeScript cells on the skybook kernel (installed into bench/out/runner/prefix) under both tools.
 * Usage: node dist/bench/runner/trivial.js [--cells 20] [--repeat 3] [--kernel python3|skybook]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'bench', 'out', 'runner');
const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CELLS = arg('cells', 20);
const REPEAT = arg('repeat', 3);
const KERNEL = process.argv.includes('--kernel') ? process.argv[process.argv.indexOf('--kernel') + 1]! : 'python3';
if (KERNEL !== 'python3' && KERNEL !== 'skybook') throw new Error(`--kernel must be python3 or skybook, got ${KERNEL}`);
const TS = KERNEL === 'skybook';
const ENV: NodeJS.ProcessEnv = { ...process.env };

function notebook(n: number): string {
  const source = (i: number) => (TS ? `const x${i} = ${i} * 2;\nx${i}` : `x${i} = ${i} * 2\nx${i}`);
  const cells = Array.from({ length: n }, (_, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source: source(i), outputs: [], execution_count: null }));
  const kernelspec = TS ? { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' } : { name: 'python3', display_name: 'Python 3', language: 'python' };
  return JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

function time(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const best = (f: () => number) => {
  f(); // warm-up: the page cache, Python's bytecode cache
  return Math.min(...Array.from({ length: REPEAT }, f));
};

function outputsOf(path: string): string[] {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { outputs: { data?: Record<string, string | string[]> }[] }[] };
  return nb.cells.map((c) => c.outputs.map((o) => [o.data?.['text/plain'] ?? ''].flat().join('')).join('|'));
}

mkdirSync(OUT, { recursive: true });
if (TS) {
  const prefix = join(OUT, 'prefix');
  const r = spawnSync(process.execPath, [CLI, 'kernel', 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`skybook kernel install failed: ${r.stderr}`);
  ENV.JUPYTER_PATH = join(prefix, 'share', 'jupyter');
}
const results: { tool: string; cells: number; s: number }[] = [];
for (const n of [1, CELLS]) {
  const nb = join(OUT, `trivial-${KERNEL}-${n}.ipynb`);
  writeFileSync(nb, notebook(n));
  results.push({ tool: 'skybook run', cells: n, s: best(() => time(process.execPath, [CLI, 'run', nb, '-o', join(OUT, `sky-${n}.ipynb`)])) });
  results.push({
    tool: 'nbconvert --execute', cells: n,
    s: best(() => time('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', nb, '--output', `nbc-${n}.ipynb`, '--output-dir', OUT])),
  });
  const a = outputsOf(join(OUT, `sky-${n}.ipynb`));
  const b = outputsOf(join(OUT, `nbc-${n}.ipynb`));
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    console.error('!!! CROSS-CHECK MISMATCH: the two tools produced different outputs');
    process.exit(1);
  }
}
const get = (tool: string, n: number) => results.find((r) => r.tool === tool && r.cells === n)!.s;
console.log(`kernel ${KERNEL}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; best of ${REPEAT} after a warm-up; wall clock of the whole command`);
console.log('| tool | 1 cell (s) | ' + CELLS + ' cells (s) | per extra cell (ms) |');
console.log('|---|---:|---:|---:|');
for (const tool of ['skybook run', 'nbconvert --execute']) {
  console.log(`| ${tool} | ${get(tool, 1).toFixed(3)} | ${get(tool, CELLS).toFixed(3)} | ${(((get(tool, CELLS) - get(tool, 1)) / (CELLS - 1)) * 1000).toFixed(1)} |`);
}
console.log(`ratio skybook/nbconvert: 1 cell ${(get('skybook run', 1) / get('nbconvert --execute', 1)).toFixed(2)}x, ${CELLS} cells ${(get('skybook run', CELLS) / get('nbconvert --execute', CELLS)).toFixed(2)}x`);
console.log(`cross-check: outputs of all ${CELLS} cells identical between the tools`);
