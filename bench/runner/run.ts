/**
 * bench/runner (issue 5): on the skybook TypeScript kernel, `skybook run` against Debian's `jupyter nbconvert
 * --execute` (a 1-cell and an N-cell trivial notebook, and notebooks/01-quickstart), and the kernel's start against
 * plain tslab, in one run; medians of --repeat runs. The python3-kernel comparison is python3.ts.
 * Usage: node dist/bench/runner/run.js [--cells 20] [--repeat 3] [--quickstart-repeat 2]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellTexts, CLI, installSkybookKernel, numArg, ROOT, timeCommand, trivialNotebook } from './common.js';
import { timeKernelStart, writeTslabSpec } from './kernel-start.js';

const OUT = join(ROOT, 'bench', 'out', 'runner-skybook');
const CELLS = numArg('cells', 20);
const REPEAT = numArg('repeat', 3);
const QS_REPEAT = numArg('quickstart-repeat', 2);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () => loadavg()[0]!.toFixed(1);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const prefix = join(OUT, 'jupyter');
const env = { ...process.env, JUPYTER_PATH: installSkybookKernel(prefix) };
writeTslabSpec(prefix, ROOT);
const loads: string[] = [load()];

// 1. Kernel start: ours against plain tslab, alternating so both see the same load.
const starts: Record<string, { ready: number[]; first: number[] }> = { skybook: { ready: [], first: [] }, tslab: { ready: [], first: [] } };
await timeKernelStart('skybook', env, OUT); // warm-up: page cache for both (they share TypeScript)
for (let i = 0; i < REPEAT; i++) {
  for (const k of ['skybook', 'tslab']) {
    const t = await timeKernelStart(k, env, OUT);
    starts[k]!.ready.push(t.ready);
    starts[k]!.first.push(t.firstResult);
  }
}
loads.push(load());

// 2. Notebooks: skybook run vs nbconvert on the same skybook kernel.
const tools = {
  'skybook run': (nb: string, cwd: string, out: string) =>
    timeCommand(process.execPath, [CLI, 'run', nb, '--kernel', 'skybook', '--cwd', cwd, '-o', out], env, cwd),
  'nbconvert --execute': (nb: string, cwd: string, out: string) =>
    timeCommand(
      '/usr/bin/jupyter',
      [
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.kernel_name=skybook',
        '--ExecutePreprocessor.timeout=600',
        nb,
        '--output',
        out,
      ],
      env,
      cwd,
    ),
};
const nbs: { name: string; path: string; cells: number; repeat: number }[] = [];
for (const n of [1, CELLS]) {
  const path = join(OUT, `trivial-${n}.ipynb`);
  writeFileSync(path, trivialNotebook(n, 'skybook'));
  nbs.push({ name: `trivial-${n}`, path, cells: n, repeat: REPEAT });
}
const qs = join(OUT, '01-quickstart.ipynb');
copyFileSync(join(ROOT, 'notebooks', '01-quickstart.ipynb'), qs);
const qsCells = (JSON.parse(readFileSync(qs, 'utf8')) as { cells: { cell_type: string }[] }).cells.filter(
  (c) => c.cell_type === 'code',
).length;
nbs.push({ name: '01-quickstart', path: qs, cells: qsCells, repeat: QS_REPEAT });

const wall: Record<string, Record<string, number[]>> = {};
for (const nb of nbs) {
  for (let i = 0; i < nb.repeat; i++) {
    for (const [tool, run] of Object.entries(tools)) {
      // A fresh cwd holding the notebook: nbconvert runs the kernel in the notebook's folder, skybook run in --cwd.
      const cwd = mkdtempSync(join(tmpdir(), 'sb-bench-'));
      const copy = join(cwd, `${nb.name}.ipynb`);
      copyFileSync(nb.path, copy);
      const out = join(cwd, `${tool.split(' ')[0]}-${nb.name}.ipynb`);
      ((wall[tool] ??= {})[nb.name] ??= []).push(run(copy, cwd, out));
      if (i === 0) copyFileSync(out, join(OUT, `${tool.split(' ')[0]}-${nb.name}.ipynb`));
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  const [a, b] = Object.keys(tools).map((t) => cellTexts(join(OUT, `${t.split(' ')[0]}-${nb.name}.ipynb`)));
  const same = nb.name.startsWith('trivial') ? JSON.stringify(a) === JSON.stringify(b) : a!.length === b!.length;
  if (!same) {
    console.error(`!!! CROSS-CHECK MISMATCH on ${nb.name}: the two tools produced different outputs`);
    process.exit(1);
  }
}
loads.push(load());

const f = (s: number) => s.toFixed(2);
console.log(
  `skybook kernel bench; 1-min load average ${loads.join(' -> ')} (${process.env.HOSTNAME ?? 'this machine'}); medians of ${REPEAT} (01-quickstart: ${QS_REPEAT})`,
);
console.log('\nKernel start (in-process client: launch -> kernel_info_reply, -> result of `1 + 1`)');
console.log('| kernel | ready (s) | first result (s) |\n|---|---:|---:|');
for (const k of ['skybook', 'tslab']) console.log(`| ${k} | ${f(median(starts[k]!.ready))} | ${f(median(starts[k]!.first))} |`);
console.log(
  `ratio skybook/tslab: ready ${(median(starts.skybook!.ready) / median(starts.tslab!.ready)).toFixed(2)}x, first result ${(median(starts.skybook!.first) / median(starts.tslab!.first)).toFixed(2)}x; goal: first result <= 2 s`,
);

console.log(`\nWhole command, skybook kernel (start = the 1-cell run; per cell = (total - start) / (cells - 1))`);
console.log(
  `| tool | start: 1 cell (s) | ${CELLS} cells (s) | per cell (ms) | 01-quickstart, ${qsCells} cells (s) | 01 per cell (s) |\n|---|---:|---:|---:|---:|---:|`,
);
const per: Record<string, { cell: number; start: number }> = {};
for (const tool of Object.keys(tools)) {
  const w = wall[tool]!;
  const start = median(w['trivial-1']!);
  const cell = (median(w[`trivial-${CELLS}`]!) - start) / (CELLS - 1);
  per[tool] = { cell, start };
  console.log(
    `| ${tool} | ${f(start)} | ${f(median(w[`trivial-${CELLS}`]!))} | ${(cell * 1000).toFixed(0)} | ${f(median(w['01-quickstart']!))} | ${f((median(w['01-quickstart']!) - start) / (qsCells - 1))} |`,
  );
}
const [s, n] = [wall['skybook run']!, wall['nbconvert --execute']!];
console.log(
  `ratio skybook run/nbconvert: start ${(per['skybook run']!.start / per['nbconvert --execute']!.start).toFixed(2)}x, per trivial cell ${(per['skybook run']!.cell / per['nbconvert --execute']!.cell).toFixed(2)}x, 01-quickstart ${(median(s['01-quickstart']!) / median(n['01-quickstart']!)).toFixed(2)}x; goal: per cell <= nbconvert's`,
);
console.log(`cross-check: trivial notebooks' outputs identical between the tools; 01-quickstart completed under both`);
