import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotebookError } from '../../lib/errors/index.js';
import { parseNotebook, readNotebook, stringifyNotebook } from '../../lib/notebook/index.js';
import { splitLines } from '../../lib/notebook/nbformat.js';
import { runPython } from '../helpers/astropy.js';

const FIX = join(import.meta.dirname, 'fixtures');

// Jupyter's own writer is the oracle: nbformat.writes() of a notebook with every kind of cell and output.
const NBFORMAT_SCRIPT = `
import nbformat, sys
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_raw_cell, new_output
nb = new_notebook(metadata={'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}})
nb.cells = [
  new_markdown_cell('# Title\\n\\nünïcode ✓ text', id='m1'),
  new_code_cell('x = 1\\nprint(x)\\n', id='c1', execution_count=3, outputs=[
    new_output('stream', name='stdout', text='1\\n2\\n'),
    new_output('execute_result', execution_count=3, data={'text/plain': 'a\\nb', 'text/html': '<b>x</b>\\n<i>y</i>', 'application/json': {'k': [1, 2]}}),
    new_output('error', ename='ValueError', evalue='bad', traceback=['line 1', 'line 2']),
  ]),
  new_code_cell('', id='c2', metadata={'tags': ['parameters']}),
  new_raw_cell('raw\\ntext', id='r1'),
]
sys.stdout.write(nbformat.writes(nb) + '\\n')
`;

describe('nbformat', () => {
  it('writes byte-for-byte what Jupyter writes (sorted keys, 1-space indent, split lines)', () => {
    const jupyter = runPython(NBFORMAT_SCRIPT);
    const nb = parseNotebook(jupyter);
    expect(nb.cells[1]!.source).toBe('x = 1\nprint(x)\n');
    expect(nb.cells[1]!.outputs![1]!.data!['application/json']).toEqual({ k: [1, 2] });
    expect(stringifyNotebook(nb)).toBe(jupyter);
  });

  it('splits lines keeping their newlines', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });

  it('reads fixtures and reports broken ones with the file and cell', async () => {
    expect((await readNotebook(join(FIX, 'params.ipynb'))).cells).toHaveLength(4);
    await expect(readNotebook(join(FIX, 'not-json.ipynb'))).rejects.toThrow(/not-json\.ipynb: not JSON/);
    await expect(readNotebook(join(FIX, 'nbformat3.ipynb'))).rejects.toThrow(
      /nbformat3\.ipynb: not an nbformat v4 notebook \(nbformat=3\)/,
    );
    await expect(readNotebook(join(FIX, 'bad-cell-type.ipynb'))).rejects.toThrow(
      /bad-cell-type\.ipynb: cell 0: unknown cell_type "python"/,
    );
    await expect(readNotebook(join(FIX, 'missing.ipynb'))).rejects.toBeInstanceOf(NotebookError);
  });

  it('Jupyter reads what we write', () => {
    const text = stringifyNotebook(parseNotebook(readFileSync(join(FIX, 'rich.ipynb'), 'utf8')));
    const out = runPython(
      'import nbformat, sys\nnb = nbformat.reads(sys.argv[1], as_version=4)\nnbformat.validate(nb)\nprint(len(nb.cells), nb.cells[1].source.count(chr(10)))',
      [text],
    );
    expect(out.trim()).toBe('4 1');
  });
});
