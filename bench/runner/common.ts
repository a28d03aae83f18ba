/**
 * What the runner benchmarks (`run.ts`, `trivial.ts`) share: paths, numeric flags, the trivial notebook, timing a
 * command, the text outputs a cross-check compares, and installing the skybook kernel into a prefix.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');

/** `--name N` from the command line, else `dflt`. @example numArg('cells', 20) */
export function numArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** A notebook of `n` trivial cells (`x_i = 2i`, shown) for the skybook (TypeScript) or python3 kernel. */
export function trivialNotebook(n: number, kernel: 'skybook' | 'python3'): string {
  const ts = kernel === 'skybook';
  const source = (i: number) => (ts ? `const x${i} = ${i} * 2;\nx${i}` : `x${i} = ${i} * 2\nx${i}`);
  const cells = Array.from({ length: n }, (_, i) => ({
    cell_type: 'code',
    id: `c${i}`,
    metadata: {},
    source: source(i),
    outputs: [],
    execution_count: null,
  }));
  const kernelspec = ts
    ? { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' }
    : { name: 'python3', display_name: 'Python 3', language: 'python' };
  return JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** Wall clock (s) of one command; a failure throws with its stderr. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, cwd, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Each cell's text/plain outputs joined, for comparing what two tools produced. */
export function cellTexts(path: string): string[] {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { outputs?: { data?: Record<string, string | string[]> }[] }[] };
  return nb.cells.map((c) => (c.outputs ?? []).map((o) => [o.data?.['text/plain'] ?? ''].flat().join('')).join('|'));
}

/** `skybook kernel install --prefix prefix`; returns the JUPYTER_PATH entry under which Jupyter finds it. */
export function installSkybookKernel(prefix: string): string {
  const r = spawnSync(process.execPath, [CLI, 'kernel', 'install', '--prefix', prefix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`skybook kernel install failed: ${r.stderr}`);
  return join(prefix, 'share', 'jupyter');
}
