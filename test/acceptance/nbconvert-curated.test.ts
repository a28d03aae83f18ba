import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';
import { CURATED, NOTEBOOKS, ZCATALOG, codeCells, mimes, tmp, type Cell } from './curated.js';

// Issue 5, "Real client": Debian's nbconvert/nbclient runs the curated notebooks with our kernel. nbconvert cannot
// inject parameters, so the notebooks run on their defaults, 01 first, in a temp project laid out as a clone is
// (package.json, notebooks/). nbconvert starts the kernel in the notebook's folder, notebooks/; the notebooks resolve
// their paths from the project root (issue 12, item 13), so the survey lands in runs/survey, not notebooks/runs/.
let env: NodeJS.ProcessEnv;
let dir: string;
const executed: Record<string, { code: number | null; stderr: string; cells: Cell[] }> = {};

beforeAll(() => {
  env = { ...process.env, ...installSkybookKernel() };
  dir = tmp('nbconvert');
  writeFileSync(join(dir, 'package.json'), '{ "name": "nbconvert-project", "private": true }\n');
  mkdirSync(join(dir, 'notebooks'));
  for (const name of CURATED) {
    copyFileSync(join(NOTEBOOKS, `${name}.ipynb`), join(dir, 'notebooks', `${name}.ipynb`));
    const r = spawnSync(
      '/usr/bin/jupyter',
      [
        'nbconvert',
        '--to',
        'notebook',
        '--execute',
        '--ExecutePreprocessor.kernel_name=skybook',
        '--ExecutePreprocessor.timeout=300',
        '--output',
        `${name}.out.ipynb`,
        `notebooks/${name}.ipynb`,
      ],
      { cwd: dir, env, encoding: 'utf8', timeout: 400_000 },
    );
    let cells: Cell[] = [];
    try {
      cells = codeCells(join(dir, 'notebooks', `${name}.out.ipynb`));
    } catch {
      /* no notebook written: the tests report the exit code and stderr */
    }
    executed[name] = { code: r.status, stderr: r.stderr, cells };
  }
}, 900_000);

describe('jupyter nbconvert --execute --ExecutePreprocessor.kernel_name=skybook on the curated notebooks', () => {
  it.each(CURATED)('%s runs with no errors and every code cell has its execution count', (name) => {
    const r = executed[name]!;
    expect(r.stderr).not.toMatch(/Traceback|CellExecutionError/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.cells.length).toBeGreaterThan(3);
    expect(r.cells.map((c) => c.execution_count)).toEqual(r.cells.map((_, i) => i + 1));
    expect(r.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'error')).toEqual([]);
  });

  it('the survey lands at the project root, not in notebooks/ where nbconvert starts the kernel', () => {
    expect(executed['01-quickstart']!.code).toBe(0);
    expect(existsSync(join(dir, ZCATALOG))).toBe(true);
    expect(existsSync(join(dir, 'notebooks', 'runs'))).toBe(false);
  });

  it('the rich outputs: Observable Plot figures with legends in 01, an Arrow HTML table in 02, a Plotly figure in 03', () => {
    const html = (name: string) =>
      executed[name]!.cells.flatMap((c) => (c.outputs ?? []).map((o) => [o.data?.['text/html'] ?? ''].flat().join('')));
    const figures = html('01-quickstart').filter((h) => h.startsWith('<figure'));
    expect(figures.length).toBeGreaterThanOrEqual(3); // the sky map and the two redshift panels
    expect(figures[0]).toMatch(/<svg class="[^"]*"[\s\S]*<circle/);
    for (const f of figures) expect(f).toMatch(/-swatch">.*GALAXY<\/span>.*-swatch">.*QSO<\/span>/);
    expect(html('02-sky-store').find((h) => h.includes('<table') && h.includes('GALAXY') && h.includes('QSO'))).toBeDefined();
    const plotly = executed['03-quasar-spectra']!.cells.find((c) => mimes(c).includes('application/vnd.plotly.v1+json'));
    const fig = plotly!.outputs!.find((o) => o.data?.['application/vnd.plotly.v1+json'])!.data!['application/vnd.plotly.v1+json'] as {
      data: unknown[];
    };
    expect(fig.data.length).toBeGreaterThan(0);
  });
});
