import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { skybook } from '../helpers/cli.js';

// Debian's nbconvert/nbclient drive the installed kernel for real, from a folder outside the project.
export interface Output {
  output_type: string;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  execution_count?: number;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export interface Cell {
  cell_type: string;
  source: string;
  execution_count?: number | null;
  outputs?: Output[];
}

/** Installs the kernelspec into a fresh prefix and returns it (pass it to nbconvert as JUPYTER_PATH). */
export function installedPrefix(): string {
  const prefix = mkdtempSync(join(tmpdir(), 'skybook-nbconvert-'));
  expect(skybook(['kernel', 'install', '--prefix', prefix]).code).toBe(0);
  return prefix;
}

function notebook(cells: string[]): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', id: 'md', metadata: {}, source: '# test' },
      ...cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    ],
  };
}

/** nbformat stores multi-line strings as lists of lines; join them back. */
function joinLines(c: Cell): Cell {
  const j = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join('') : v);
  return {
    ...c,
    outputs: c.outputs?.map((o) => ({
      ...o,
      ...(o.text !== undefined ? { text: j(o.text) as string } : {}),
      ...(o.data ? { data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, j(v)])) } : {}),
    })),
  };
}

/** Runs Debian's `jupyter nbconvert --execute` with the skybook kernel on a notebook of these code cells. */
export function nbconvert(prefix: string, cells: string[], extra: string[] = []): { code: number | null; stderr: string; cells: Cell[] } {
  const dir = mkdtempSync(join(tmpdir(), 'skybook-nb-'));
  writeFileSync(join(dir, 'nb.ipynb'), JSON.stringify(notebook(cells)));
  const r = spawnSync(
    '/usr/bin/jupyter',
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--ExecutePreprocessor.kernel_name=skybook',
      '--ExecutePreprocessor.timeout=120',
      ...extra,
      '--output',
      'out.ipynb',
      'nb.ipynb',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') },
    },
  );
  let out: Cell[] = [];
  try {
    out = (JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8')) as { cells: Cell[] }).cells
      .filter((c) => c.cell_type === 'code')
      .map(joinLines);
  } catch {
    /* no output notebook: the assertions on cells report it */
  }
  return { code: r.status, stderr: r.stderr, cells: out };
}
