import { Redactor } from '../core/index.js';
import { cellTags, type Notebook } from './nbformat.js';
import { notebookLanguage, redactInjectedSource } from './parameters.js';

/**
 * A copy of a notebook fit to save or show, by lib/core's one rule of what is secret: the injected-parameters cell
 * with secret-named values as `'[redacted]'` (or `injected`, the cell as re-written from redacted values by the run
 * that has them), every other source and every output with URL passwords, secret query values, values under
 * secret-named keys and the redactor's literal secrets removed. The kernel ran the real cell; this is what is kept.
 * Without secrets the notebook comes back equal, so hashes of runs without secrets do not change.
 *
 * @example
 * writeNotebook('runs/a.ipynb', redactNotebook(run.notebook, { redactor: new Redactor({ values: params }) }));
 */
export function redactNotebook(nb: Notebook, opts: { redactor?: Redactor; injected?: string } = {}): Notebook {
  const r = opts.redactor ?? new Redactor({ env: process.env });
  const language = notebookLanguage(nb);
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      const source = cellTags(c).includes('injected-parameters')
        ? (opts.injected ?? redactInjectedSource(c.source, language, r))
        : r.text(c.source);
      return c.outputs ? { ...c, source, outputs: r.value(c.outputs, 'text') } : { ...c, source };
    }),
  };
}
