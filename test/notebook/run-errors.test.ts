import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook, type Notebook } from '../../lib/notebook/index.js';
import { skybook } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtempSync(join(tmpdir(), 'sb-run-'));
const texts = (nb: Notebook) => nb.cells.map((c) => (c.outputs ?? []).map((o) => o.text ?? o.ename ?? o.data?.['text/plain']).join(''));
const statuses = (nb: Notebook) =>
  nb.cells.filter((c) => c.cell_type === 'code').map((c) => (c.metadata.skybook as { status: string }).status);

describe('skybook run (python3 kernel): failures and tags', () => {
  it('on an error: exit 1, a banner naming the failing cell at the top, later cells not run', async () => {
    const out = join(tmp(), 'f.ipynb');
    const r = skybook(['run', join(FIX, 'failing.ipynb'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed: cell 1 raised ValueError: boom at cell 1; partial notebook saved to');
    const nb = await readNotebook(out);
    expect(nb.cells[0]!.metadata.tags).toEqual(['skybook-error-banner']);
    expect(nb.cells[0]!.source).toContain('An exception was encountered at cell 1 (<a href="#c1">In [2]</a>): ValueError: boom at cell 1');
    expect(texts(nb).slice(1)).toEqual(['first\n', 'ValueError', '']);
    expect(statuses(nb)).toEqual(['completed', 'failed', 'not-run']);
    // A second run replaces the old banner rather than stacking another.
    const again = join(tmp(), 'g.ipynb');
    skybook(['run', out, '-o', again]);
    expect((await readNotebook(again)).cells.filter((c) => c.metadata.tags?.includes('skybook-error-banner'))).toHaveLength(1);
  });

  it('skips skip-execution cells and expects errors in raises-exception cells', async () => {
    const out = join(tmp(), 't.ipynb');
    const r = skybook(['run', join(FIX, 'tags.ipynb'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const nb = await readNotebook(out);
    expect(texts(nb)).toEqual(['', 'KeyError', 'after the expected error\n']);
    expect(statuses(nb)).toEqual(['skipped', 'completed', 'completed']);
    expect(nb.cells[0]!.execution_count).toBeNull();
  });

  it('interrupts a cell past --timeout and saves the partial notebook', async () => {
    const out = join(tmp(), 's.ipynb');
    const r = skybook(['run', join(FIX, 'slow.ipynb'), '--timeout', '2', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cell 2 ran past its 2 s timeout and was interrupted');
    const nb = await readNotebook(out);
    expect(texts(nb).slice(1)).toEqual(['', 'started\n', 'sleeping\nKeyboardInterrupt', '']);
    expect(statuses(nb)).toEqual(['completed', 'completed', 'failed', 'not-run']);
    expect(
      JSON.parse(readFileSync(out.replace('.ipynb', '.provenance.json'), 'utf8'))['@graph'].find(
        (n: { '@id': string }) => n['@id'] === '#run',
      ).actionStatus,
    ).toBe('http://schema.org/FailedActionStatus');
  });
});
