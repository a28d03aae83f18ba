/**
 * bench/runner/trivial.ts: `skybook run` against Debian's `jupyter nbconvert --execute` on the same python3 kernel, in one run.
 * Two notebooks (1 and N trivial cells) give start-up cost and per-cell overhead for each tool; outputs cross-checked.
 * `--kernel skybook` runs TypeScript cells on the skybook kernel (installed into bench/out/runner/prefix) under both tools.
 * Usage: node dist/bench/runner/trivial.js [--cells 20] [--repeat 3] [--kernel python3|skybook]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cellTexts, CLI, installSkybookKernel, numArg, ROOT, timeCommand, trivialNotebook } from './common.js';

const OUT = join(ROOT, 'bench', 'out', 'runner');
const CELLS = numArg('cells', 20);
const REPEAT = numArg('repeat', 3);
const KERNEL = process.argv.includes('--kernel') ? process.argv[process.argv.indexOf('--kernel') + 1]! : 'python3';
if (KERNEL !== 'python3' && KERNEL !== 'skybook') throw new Error(`--kernel must be python3 or skybook, got ${KERNEL}`);
const TS = KERNEL === 'skybook';
const ENV: NodeJS.ProcessEnv = { ...process.env };

const time = (cmd: string, args: string[]) => timeCommand(cmd, args, ENV);

const best = (f: () => number) => {
  f(); // warm-up: the page cache, Python's bytecode cache
  return Math.min(...Array.from({ length: REPEAT }, f));
};

mkdirSync(OUT, { recursive: true });
if (TS) ENV.JUPYTER_PATH = installSkybookKernel(join(OUT, 'prefix'));
const results: { tool: string; cells: number; s: number }[] = [];
for (const n of [1, CELLS]) {
  const nb = join(OUT, `trivial-${KERNEL}-${n}.ipynb`);
  writeFileSync(nb, trivialNotebook(n, KERNEL));
  results.push({
    tool: 'skybook run',
    cells: n,
    s: best(() => time(process.execPath, [CLI, 'run', nb, '-o', join(OUT, `sky-${n}.ipynb`)])),
  });
  results.push({
    tool: 'nbconvert --execute',
    cells: n,
    s: best(() =>
      time('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', nb, '--output', `nbc-${n}.ipynb`, '--output-dir', OUT]),
    ),
  });
  const a = cellTexts(join(OUT, `sky-${n}.ipynb`));
  const b = cellTexts(join(OUT, `nbc-${n}.ipynb`));
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    console.error('!!! CROSS-CHECK MISMATCH: the two tools produced different outputs');
    process.exit(1);
  }
}
const get = (tool: string, n: number) => results.find((r) => r.tool === tool && r.cells === n)!.s;
console.log(
  `kernel ${KERNEL}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; best of ${REPEAT} after a warm-up; wall clock of the whole command`,
);
console.log('| tool | 1 cell (s) | ' + CELLS + ' cells (s) | per extra cell (ms) |');
console.log('|---|---:|---:|---:|');
for (const tool of ['skybook run', 'nbconvert --execute']) {
  console.log(
    `| ${tool} | ${get(tool, 1).toFixed(3)} | ${get(tool, CELLS).toFixed(3)} | ${(((get(tool, CELLS) - get(tool, 1)) / (CELLS - 1)) * 1000).toFixed(1)} |`,
  );
}
console.log(
  `ratio skybook/nbconvert: 1 cell ${(get('skybook run', 1) / get('nbconvert --execute', 1)).toFixed(2)}x, ${CELLS} cells ${(get('skybook run', CELLS) / get('nbconvert --execute', CELLS)).toFixed(2)}x`,
);
console.log(`cross-check: outputs of all ${CELLS} cells identical between the tools`);
