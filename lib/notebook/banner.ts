import { cellTags, newCell, type Cell, type Notebook } from './nbformat.js';

/** The tag of the banner cell a failed run puts at the top (removed again before the next run). @example cellTags(nb.cells[0]).includes(BANNER_TAG) */
export const BANNER_TAG = 'skybook-error-banner';

/** Removes banner cells left by an earlier failed run. @example withoutBanner(nb).cells.length */
export function withoutBanner(nb: Notebook): Notebook {
  return { ...nb, cells: nb.cells.filter((c) => !cellTags(c).includes(BANNER_TAG)) };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The papermill-style banner: a markdown cell naming the failing cell (its index, execution count and error),
 * linking to it by cell id. `index` counts cells from 0 in the executed notebook, banner excluded.
 *
 * @example
 * nb.cells.unshift(bannerCell(nb.cells[3], 3, 'ZeroDivisionError', 'division by zero'));
 */
export function bannerCell(failed: Cell, index: number, ename: string, evalue: string): Cell {
  const count = failed.execution_count ? `In [${failed.execution_count}]` : `cell ${index}`;
  const link = failed.id ? `<a href="#${esc(failed.id)}">${count}</a>` : count;
  const text = [
    `<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">`,
    `An exception was encountered at cell ${index} (${link}): ${esc(ename)}${evalue ? `: ${esc(evalue)}` : ''}`,
    `</span>`,
  ].join('');
  return newCell('markdown', text, [BANNER_TAG], BANNER_TAG);
}
